/*
 * migrate: bring a database's schema up to the numbered migrations in
 * sql/migrations, and load the demo data. libpq, no Kore: used by
 * portalctl.
 */
#ifndef PORTAL_MIGRATE_H
#define PORTAL_MIGRATE_H

#include <libpq-fe.h>

int	migrate_apply(PGconn *, const char *, int *);
int	migrate_version(PGconn *);
int	migrate_load_demo(PGconn *, const char *, int, const char *);

#endif /* !PORTAL_MIGRATE_H */
