/*
 * job_evaluation: the evaluations' scheduled work (reminders, follow-ups
 * falling due, line managers' links), a round at a time, never twice.
 */
#ifndef PORTAL_JOB_EVALUATION_H
#define PORTAL_JOB_EVALUATION_H

#include <libpq-fe.h>

int	job_evaluation_run(PGconn *, const char *, int);

#endif /* !PORTAL_JOB_EVALUATION_H */
