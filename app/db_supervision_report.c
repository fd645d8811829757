/*
 * db_supervision_report: the counts behind the supervision report and
 * "my supervision". A DSL's meetings "held while a member" are the
 * meetings of a group on days they were a member of it.
 */
#include <stdio.h>

#include "db.h"
#include "db_supervision_report.h"
#include "sqlparam.h"

enum {
	Q_TODAY,
	Q_GROUPS,
	Q_DSLS,
	Q_ME,
	Q__MAX
};

static const char *const report_sql[Q__MAX] = {
	[Q_TODAY] =
	"SELECT to_char(current_date, 'YYYY-MM-DD')",

	/*
	 * $1 year start, $2 year end, $3 autumn end, $4 spring end: per
	 * group of the year, meetings per term, and attendance entries
	 * (present of all). A group is of the year when it was open in it
	 * (set up by its end, not closed before its start), or had a member
	 * on a day of it, or met in it: a group set up today to record last
	 * year from paper shows in the years its dated members and meetings
	 * fall in.
	 */
	[Q_GROUPS] =
	"SELECT g.id, g.name, g.kind, g.facilitator, g.active,"
	"       count(s.id) FILTER (WHERE s.held_on <= $3::date),"
	"       count(s.id) FILTER (WHERE s.held_on > $3::date"
	"                            AND s.held_on <= $4::date),"
	"       count(s.id) FILTER (WHERE s.held_on > $4::date),"
	"       coalesce(sum(x.present), 0), coalesce(sum(x.expected), 0)"
	"  FROM supervision_groups g"
	"  LEFT JOIN supervision_sessions s ON s.group_id = g.id"
	"   AND s.held_on BETWEEN $1::date AND $2::date"
	"  LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE a.status ="
	"         'present') AS present, count(*) AS expected"
	"         FROM supervision_attendance a WHERE a.session_id = s.id) x"
	"    ON true"
	" WHERE ((g.created_at AT TIME ZONE 'Europe/London')::date <= $2::date"
	"        AND (g.closed_on IS NULL OR g.closed_on >= $1::date))"
	"    OR EXISTS (SELECT 1 FROM supervision_members m"
	"                WHERE m.group_id = g.id AND m.joined_on <= $2::date"
	"                  AND (m.left_on IS NULL OR (m.left_on > $1::date"
	"                       AND m.left_on > m.joined_on)))"
	"    OR EXISTS (SELECT 1 FROM supervision_sessions x"
	"                WHERE x.group_id = g.id"
	"                  AND x.held_on BETWEEN $1::date AND $2::date)"
	" GROUP BY g.id ORDER BY g.name",

	/*
	 * $1 year start, $2 year end, $3 term start, $4 term end, $5 as of,
	 * $6 agency (NULL: all): every active DSL with their groups in the
	 * year, meetings held while a member, attended, apologies, absent,
	 * last attended, attended this term, and training status.
	 */
	[Q_DSLS] =
	"WITH held AS ("
	"  SELECT DISTINCT m.person_id, s.id, s.held_on"
	"    FROM supervision_members m"
	"    JOIN supervision_sessions s ON s.group_id = m.group_id"
	"     AND m.joined_on <= s.held_on"
	"     AND (m.left_on IS NULL OR s.held_on < m.left_on)"
	"   WHERE s.held_on BETWEEN $1::date AND $2::date),"
	" att AS ("
	"  SELECT a.person_id, s.held_on, a.status"
	"    FROM supervision_attendance a"
	"    JOIN supervision_sessions s ON s.id = a.session_id"
	"   WHERE s.held_on <= $2::date)"
	"SELECT p.id, p.full_name, ag.name,"
	"       (SELECT string_agg(DISTINCT g.name, ', ')"
	"          FROM supervision_members m"
	"          JOIN supervision_groups g ON g.id = m.group_id"
	"         WHERE m.person_id = p.id AND m.joined_on <= $2::date"
	"           AND (m.left_on IS NULL OR m.left_on > $1::date)),"
	"       (SELECT count(*) FROM held h WHERE h.person_id = p.id),"
	"       (SELECT count(*) FROM att WHERE att.person_id = p.id"
	"           AND att.held_on >= $1::date AND att.status = 'present'),"
	"       (SELECT count(*) FROM att WHERE att.person_id = p.id"
	"           AND att.held_on >= $1::date AND att.status = 'apologies'),"
	"       (SELECT count(*) FROM att WHERE att.person_id = p.id"
	"           AND att.held_on >= $1::date AND att.status = 'absent'),"
	"       (SELECT to_char(max(att.held_on), 'YYYY-MM-DD') FROM att"
	"         WHERE att.person_id = p.id AND att.status = 'present'),"
	"       (SELECT count(*) FROM att WHERE att.person_id = p.id"
	"           AND att.status = 'present'"
	"           AND att.held_on BETWEEN $3::date AND $4::date),"
	"       t.status, to_char(t.expires_on, 'YYYY-MM-DD'), l.name"
	"  FROM people p"
	"  LEFT JOIN agencies ag ON ag.id = p.agency_id"
	"  LEFT JOIN group_levels l ON l.id = p.group_level_id"
	"  LEFT JOIN training_status($5::date) t ON t.person_id = p.id"
	" WHERE p.is_dsl AND p.active AND p.erased_at IS NULL"
	"   AND ($6::bigint IS NULL OR p.agency_id = $6::bigint)"
	" ORDER BY ag.name, p.full_name, p.id",

	/* $1 person: their groups, meetings and the next date */
	[Q_ME] =
	"SELECT json_build_object('is_dsl', p.is_dsl,"
	"   'groups', coalesce((SELECT json_agg(json_build_object("
	"       'id', g.id, 'name', g.name, 'kind', g.kind,"
	"       'facilitator', g.facilitator, 'active', g.active,"
	"       'joined_on', m.joined_on, 'left_on', m.left_on,"
	"       'next_date', CASE WHEN m.left_on IS NULL AND g.active THEN"
	"         (SELECT s.next_date FROM supervision_sessions s"
	"           WHERE s.group_id = g.id AND s.next_date >= current_date"
	"           ORDER BY s.held_on DESC LIMIT 1) END)"
	"       ORDER BY m.left_on IS NOT NULL, g.name, m.joined_on)"
	"     FROM supervision_members m"
	"     JOIN supervision_groups g ON g.id = m.group_id"
	"    WHERE m.person_id = p.id), '[]'),"
	"   'meetings', coalesce((SELECT json_agg(json_build_object("
	"       'id', s.id, 'group_id', g.id, 'group', g.name,"
	"       'held_on', s.held_on, 'status', a.status,"
	"       'topics', s.topics, 'next_date', s.next_date)"
	"       ORDER BY s.held_on DESC)"
	"     FROM supervision_attendance a"
	"     JOIN supervision_sessions s ON s.id = a.session_id"
	"     JOIN supervision_groups g ON g.id = s.group_id"
	"    WHERE a.person_id = p.id), '[]'),"
	"   'attended', (SELECT count(*) FROM supervision_attendance a"
	"                 WHERE a.person_id = p.id AND a.status = 'present'),"
	"   'apologies', (SELECT count(*) FROM supervision_attendance a"
	"                 WHERE a.person_id = p.id AND a.status = 'apologies'),"
	"   'absent', (SELECT count(*) FROM supervision_attendance a"
	"                 WHERE a.person_id = p.id AND a.status = 'absent'),"
	"   'next_date', (SELECT min(s.next_date)"
	"      FROM supervision_members m"
	"      JOIN supervision_groups g ON g.id = m.group_id AND g.active"
	"      JOIN LATERAL (SELECT x.next_date FROM supervision_sessions x"
	"            WHERE x.group_id = g.id ORDER BY x.held_on DESC"
	"            LIMIT 1) s ON true"
	"     WHERE m.person_id = p.id AND m.left_on IS NULL"
	"       AND s.next_date >= current_date))"
	"  FROM people p WHERE p.id = $1::bigint",
};

static const struct db_column report_group_cols[] = {
	{ "id", DB_INT }, { "name", DB_TEXT }, { "kind", DB_TEXT },
	{ "facilitator", DB_TEXT }, { "active", DB_BOOL },
	{ "autumn", DB_INT }, { "spring", DB_INT }, { "summer", DB_INT },
	{ "present", DB_INT }, { "expected", DB_INT }
};

static const struct db_column report_dsl_cols[] = {
	{ "person_id", DB_INT }, { "full_name", DB_TEXT },
	{ "agency", DB_TEXT }, { "groups", DB_TEXT },
	{ "meetings_held", DB_INT }, { "attended", DB_INT },
	{ "apologies", DB_INT }, { "absent", DB_INT },
	{ "last_attended", DB_TEXT }, { "attended_this_term", DB_INT },
	{ "training_status", DB_TEXT }, { "training_expires_on", DB_TEXT },
	{ "group_level", DB_TEXT }
};

static enum db_status	report_rows(const char *, int, const char *const *,
		    const struct db_column *, int, cJSON **);

/* Today in Europe/London, as the database has it. */
enum db_status
db_supervision_today(struct term_date *today)
{
	struct db	db;
	int		st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, report_sql[Q_TODAY], 0, NULL)) == DB_OK &&
	    term_date_parse(db_value(&db, 0, 0), today) == -1)
		st = DB_ERR;
	db_close(&db);
	return (st);
}

/* The groups of the year with their counts, a JSON array (caller owns). */
enum db_status
db_supervision_report_groups(const struct supervision_period *p, cJSON **out)
{
	const char	*params[4] = { p->start, p->end, p->autumn_end,
			    p->spring_end };

	return (report_rows(report_sql[Q_GROUPS], 4, params,
	    report_group_cols, (int)(sizeof(report_group_cols) /
	    sizeof(report_group_cols[0])), out));
}

/*
 * Every active DSL (of `agency` when not 0) with their counts over the
 * year, a JSON array (caller owns).
 */
enum db_status
db_supervision_report_dsls(const struct supervision_period *p,
    long long agency, cJSON **out)
{
	char		 aid[24];
	const char	*params[6] = { p->start, p->end, p->term_start,
			    p->term_end, p->as_of, agency > 0 ? aid : NULL };

	sqlparam_id(aid, agency);
	return (report_rows(report_sql[Q_DSLS], 6, params, report_dsl_cols,
	    (int)(sizeof(report_dsl_cols) / sizeof(report_dsl_cols[0])), out));
}

/* A person's own supervision (never case notes), JSON (caller owns). */
enum db_status
db_supervision_me(long long person, cJSON **out)
{
	char		 pid[24];
	const char	*params[1] = { pid };

	sqlparam_id(pid, person);
	return (db_json(report_sql[Q_ME], 1, params, out));
}

static enum db_status
report_rows(const char *sql, int n, const char *const *params,
    const struct db_column *cols, int ncols, cJSON **out)
{
	struct db	db;
	int		st;

	if ((st = db_open(&db)) != DB_OK)
		return (st);
	if ((st = db_exec(&db, sql, n, params)) == DB_OK)
		*out = db_rows_json(&db, 0, cols, ncols);
	db_close(&db);
	return (st);
}
