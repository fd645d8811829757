/*
 * evaluation_sql: the SQL that fetches the facts evaluation_windows()
 * decides a booking's stages from, shared by the module's statements
 * (db_evaluation.c) and portalctl's (job_evaluation.c). The columns come
 * in the order evaluation_facts_read() reads them; NULL stays NULL.
 */
#ifndef PORTAL_EVALUATION_SQL_H
#define PORTAL_EVALUATION_SQL_H

/* A time as microseconds since 1970 (evaluation.h). */
#define EVALUATION_SQL_USEC(x)	"(extract(epoch FROM " x ") * 1000000)::bigint"

/* EVALUATION_FACTS columns of booking b, session s, course c and the
 * follow-up's row f (EVALUATION_SQL_FROM). */
#define EVALUATION_SQL_FACTS						\
	EVALUATION_SQL_USEC("now()") ","				\
	" " EVALUATION_SQL_USEC("s.starts_at") ","			\
	" " EVALUATION_SQL_USEC("s.ends_at") ", b.status,"		\
	" " EVALUATION_SQL_USEC("b.confirmed_at") ","			\
	" " EVALUATION_SQL_USEC("b.attendance_at") ","			\
	" c.evaluation_baseline, f.due_on - DATE '1970-01-01',"		\
	" EXISTS (SELECT 1 FROM baselines x WHERE x.booking_id = b.id),"	\
	" EXISTS (SELECT 1 FROM evaluations x WHERE x.booking_id = b.id),"	\
	" f.completed_at IS NOT NULL"

#define EVALUATION_SQL_FROM						\
	" FROM bookings b JOIN sessions s ON s.id = b.session_id"	\
	" JOIN courses c ON c.id = s.course_id"				\
	" LEFT JOIN followups f ON f.booking_id = b.id"

#endif /* !PORTAL_EVALUATION_SQL_H */
