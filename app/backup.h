/*
 * backup: `portalctl backup DIR` and `portalctl restore DIR`, with
 * PostgreSQL's own pg_dump (custom format) and pg_restore, and a manifest
 * of what the backup holds. No Kore.
 */
#ifndef PORTAL_BACKUP_H
#define PORTAL_BACKUP_H

#include <libpq-fe.h>

/* The dump and the manifest inside a backup's folder. */
#define BACKUP_DUMP	"portal.dump"
#define BACKUP_MANIFEST	"manifest.json"
#define BACKUP_FORMAT	"portal-backup/1"

int	backup_write(PGconn *, const char *);
int	backup_restore(PGconn *, const char *, int);

#endif
