/*
 * job_supervision: the scheduled work of DSL group supervision, run by
 * `portalctl send-mail` in each round. libpq, no Kore.
 */
#ifndef PORTAL_JOB_SUPERVISION_H
#define PORTAL_JOB_SUPERVISION_H

#include <libpq-fe.h>

int	job_supervision(PGconn *);

#endif /* !PORTAL_JOB_SUPERVISION_H */
