/*
 * db_status: what a database operation came to, for the handlers to map
 * to an HTTP status without seeing the database.
 */
#ifndef PORTAL_DB_STATUS_H
#define PORTAL_DB_STATUS_H

enum db_status {
	DB_OK,
	DB_NOTFOUND,
	DB_CONFLICT,		/* unique or exclusion violation */
	DB_INVALID,		/* check or foreign key violation */
	DB_UNAVAILABLE,		/* the database cannot be reached */
	DB_ERR
};

#endif /* !PORTAL_DB_STATUS_H */
