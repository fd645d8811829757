/*
 * db_register: a session's register (sign-in sheet) and attendance.
 */
#ifndef PORTAL_DB_REGISTER_H
#define PORTAL_DB_REGISTER_H

#include <cjson/cJSON.h>

#include "db_status.h"

/* Whether `person` may keep the register of `session`. */
enum register_access {
	REGISTER_NO_SESSION,
	REGISTER_DENIED,
	REGISTER_ALLOWED
};

/*
 * $1 an attended booking: its training record (the course's highest
 * level, the session's day), once. The register and walk-ins share it.
 */
#define DB_REGISTER_RECORD_SQL \
	"INSERT INTO training_records (person_id, group_level_id," \
	"    completed_on, title, provider, source, booking_id)" \
	"SELECT b.person_id, (SELECT x.group_level_id" \
	"         FROM course_group_levels x" \
	"         JOIN group_levels l ON l.id = x.group_level_id" \
	"        WHERE x.course_id = c.id ORDER BY l.rank DESC LIMIT 1)," \
	"       (s.starts_at AT TIME ZONE 'Europe/London')::date, c.title," \
	"       'Safeguarding Children Partnership', 'booking', b.id" \
	"  FROM bookings b JOIN sessions s ON s.id = b.session_id" \
	"  JOIN courses c ON c.id = s.course_id" \
	" WHERE b.id = $1::bigint " \
	"ON CONFLICT (booking_id) DO NOTHING"

struct attendance_mark {
	long long	 booking_id;
	const char	*status;	/* attended, partial, no_show */
};

enum db_status	db_register_access(long long, long long, int, int *, int *);
enum db_status	db_register_rows(long long, cJSON **);
enum db_status	db_register_mark(long long, const struct attendance_mark *,
	    size_t, long long, cJSON *);

#endif /* !PORTAL_DB_REGISTER_H */
