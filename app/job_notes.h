/*
 * job_notes: sealing again, for their meeting and group, the case notes
 * sealed the old way (with a fixed associated data). It needs the notes
 * key, so it runs in portalctl, not in a migration. libpq, no Kore.
 */
#ifndef PORTAL_JOB_NOTES_H
#define PORTAL_JOB_NOTES_H

#include <libpq-fe.h>

int	job_notes_pending(PGconn *, long *);
int	job_notes_reseal(PGconn *, const unsigned char *, long *, long *);

#endif /* !PORTAL_JOB_NOTES_H */
