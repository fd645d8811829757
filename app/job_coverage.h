/*
 * job_coverage: the reminders of workforce coverage, queued by the mail
 * sender's loop (portalctl send-mail). libpq, no Kore.
 */
#ifndef PORTAL_JOB_COVERAGE_H
#define PORTAL_JOB_COVERAGE_H

#include <libpq-fe.h>

int	job_coverage_reminders(PGconn *);

#endif /* !PORTAL_JOB_COVERAGE_H */
