/*
 * db_report: the impact reports' SQL. Every statement starts from the
 * functions of migration 11 (report_places, report_sessions,
 * report_forms) with the filters as $1..$9 (enum report_param), counts
 * and gathers, and answers one JSON value; report.c computes from it.
 */
#include <stdio.h>

#include "db.h"
#include "db_report.h"

#define FILTERS	"$1::date, $2::date, $3::bigint, $4, $5::bigint, $6, $7, " \
		"$8, $9::text[]"
#define SESSION_FILTERS	"$1::date, $2::date, $3::bigint, $4, $8, $9::text[]"

enum {
	Q_LATEST,
	Q_ATTENDANCE,
	Q_COURSES,
	Q_AGENCIES,
	Q_EVALUATION,
	Q_COVERAGE,
	Q__MAX
};

static const char *const report_sql[Q__MAX] = {
	/* The latest financial year with a place taken up. */
	[Q_LATEST] =
	"SELECT coalesce(max(fy), -1) FROM report_places(" FILTERS ")"
	" WHERE status IN ('attended', 'partial')",

	/* $10 by, $11 first year, $12 last year: places taken up by key
	 * and year ("cells"), and each year's bookings once ("totals"). */
	[Q_ATTENDANCE] =
	"WITH g AS ("
	" SELECT agency_id, sector, course_id, fy, count(*) AS n"
	"   FROM report_places(" FILTERS ")"
	"  WHERE status IN ('attended', 'partial')"
	"    AND fy BETWEEN $11::int AND $12::int"
	"  GROUP BY 1, 2, 3, 4),"
	" c AS ("
	" SELECT k.key, k.label, g.fy, sum(g.n) AS places"
	"   FROM g CROSS JOIN LATERAL ("
	"        SELECT g.agency_id::text, a.name FROM agencies a"
	"         WHERE $10 = 'agency' AND a.id = g.agency_id"
	"        UNION ALL SELECT g.sector, g.sector"
	"         WHERE $10 = 'sector' AND g.sector IS NOT NULL"
	"        UNION ALL SELECT c.id::text, c.title FROM courses c"
	"         WHERE $10 = 'course' AND c.id = g.course_id"
	"        UNION ALL SELECT t.code, t.name FROM course_topics ct"
	"          JOIN topics t ON t.id = ct.topic_id"
	"         WHERE $10 = 'topic' AND ct.course_id = g.course_id"
	"        UNION ALL SELECT l.code, l.name FROM course_group_levels x"
	"          JOIN group_levels l ON l.id = x.group_level_id"
	"         WHERE $10 = 'group_level' AND x.course_id = g.course_id"
	"        ) k (key, label)"
	"  GROUP BY 1, 2, 3)"
	"SELECT json_build_object("
	" 'cells', coalesce((SELECT json_agg(json_build_object('key', key,"
	"     'label', label, 'fy', fy, 'places', places)"
	"     ORDER BY label, key, fy) FROM c), '[]'),"
	" 'totals', coalesce((SELECT json_agg(json_build_object('fy', fy,"
	"     'places', n)) FROM (SELECT fy, sum(n) AS n FROM g GROUP BY fy) t),"
	"     '[]'))",

	/* Per course: sessions held and places offered, the waitlist's
	 * peak, places by what became of them, and the answers of the
	 * same-day forms (overall rating; knowledge and confidence pairs). */
	[Q_COURSES] =
	"WITH s AS ("
	" SELECT course_id, count(*) FILTER (WHERE NOT cancelled) AS sessions,"
	"        coalesce(sum(capacity) FILTER (WHERE NOT cancelled), 0) AS offered,"
	"        coalesce(max(waitlisted), 0) AS peak"
	"   FROM report_sessions(" SESSION_FILTERS ") GROUP BY course_id),"
	" b AS ("
	" SELECT course_id, count(*) FILTER (WHERE status IN ('confirmed',"
	"            'attended', 'partial', 'no_show', 'late_cancelled')) AS booked,"
	"        count(*) FILTER (WHERE status = 'attended') AS attended,"
	"        count(*) FILTER (WHERE status = 'partial') AS partial,"
	"        count(*) FILTER (WHERE status = 'no_show') AS no_show,"
	"        count(*) FILTER (WHERE status = 'late_cancelled') AS late"
	"   FROM report_places(" FILTERS ") GROUP BY course_id),"
	" e AS ("
	" SELECT course_id, count(*) AS forms,"
	"        json_agg(rating_overall) FILTER (WHERE rating_overall IS NOT NULL)"
	"          AS overall,"
	"        json_agg(json_build_array(knowledge_before, knowledge_after))"
	"          FILTER (WHERE knowledge_before IS NOT NULL"
	"                    AND knowledge_after IS NOT NULL) AS knowledge,"
	"        json_agg(json_build_array(confidence_before, confidence_after))"
	"          FILTER (WHERE confidence_before IS NOT NULL"
	"                    AND confidence_after IS NOT NULL) AS confidence"
	"   FROM report_forms(" FILTERS ") GROUP BY course_id)"
	"SELECT coalesce(json_agg(json_build_object('course_id', c.id,"
	"    'code', c.code, 'title', c.title, 'format', c.format,"
	"    'sessions', coalesce(s.sessions, 0),"
	"    'places_offered', coalesce(s.offered, 0),"
	"    'peak_waitlist', coalesce(s.peak, 0),"
	"    'booked', coalesce(b.booked, 0), 'attended', coalesce(b.attended, 0),"
	"    'partial', coalesce(b.partial, 0), 'no_show', coalesce(b.no_show, 0),"
	"    'late_cancelled', coalesce(b.late, 0), 'forms', coalesce(e.forms, 0),"
	"    'overall', coalesce(e.overall, '[]'),"
	"    'knowledge', coalesce(e.knowledge, '[]'),"
	"    'confidence', coalesce(e.confidence, '[]'))"
	"    ORDER BY c.title, c.id), '[]')"
	"  FROM courses c LEFT JOIN s ON s.course_id = c.id"
	"  LEFT JOIN b ON b.course_id = c.id LEFT JOIN e ON e.course_id = c.id"
	" WHERE coalesce(b.booked, 0) > 0 OR (coalesce(s.sessions, 0) > 0"
	"   AND $5::bigint IS NULL AND $6::text IS NULL AND $7::text IS NULL)",

	/* Per agency: places booked, taken up, not taken up. */
	[Q_AGENCIES] =
	"SELECT coalesce(json_agg(json_build_object('agency_id', a.id,"
	"    'name', a.name, 'sector', a.sector, 'booked', x.booked,"
	"    'attended', x.attended, 'partial', x.partial,"
	"    'no_show', x.no_show) ORDER BY a.name, a.id), '[]')"
	"  FROM (SELECT agency_id,"
	"               count(*) FILTER (WHERE status IN ('confirmed', 'attended',"
	"                   'partial', 'no_show', 'late_cancelled')) AS booked,"
	"               count(*) FILTER (WHERE status = 'attended') AS attended,"
	"               count(*) FILTER (WHERE status = 'partial') AS partial,"
	"               count(*) FILTER (WHERE status = 'no_show') AS no_show"
	"          FROM report_places(" FILTERS ")"
	"         WHERE agency_id IS NOT NULL GROUP BY agency_id) x"
	"  JOIN agencies a ON a.id = x.agency_id"
	" WHERE x.booked > 0",

	/* $10 breakdown (course, agency, sector) or NULL. The forms as
	 * counts, no link to anyone: [column, value, paired value, forms]
	 * per value of each column (one pass, GROUPING SETS), the columns
	 * those of report_forms_read(): 0-4 content, delivery, venue,
	 * trainer, overall; 5 knowledge before with after; 7 confidence
	 * before with after; 9 outcomes (1 yes 2 partly 3 no); 10 improve
	 * (1 yes 2 no 3 unsure); 11 online (1) or paper (0); 0 for blank. */
	[Q_EVALUATION] =
	"WITH p AS (SELECT * FROM report_places(" FILTERS ")),"
	" f AS (SELECT * FROM report_forms(" FILTERS ")),"
	" fu AS (SELECT fu.* FROM followups fu JOIN p USING (booking_id)"
	"         WHERE fu.due_on <= CURRENT_DATE"
	"           AND p.status IN ('attended', 'partial')),"
	" m AS (SELECT m.* FROM manager_reviews m JOIN p USING (booking_id)),"
	" k AS (SELECT CASE $10 WHEN 'course' THEN c.id::text"
	"              WHEN 'agency' THEN a.id::text ELSE a.sector END AS key,"
	"              CASE $10 WHEN 'course' THEN c.title"
	"              WHEN 'agency' THEN a.name ELSE a.sector END AS label, f.*"
	"         FROM f JOIN courses c ON c.id = f.course_id"
	"         LEFT JOIN bookings b ON b.id = f.booking_id"
	"         LEFT JOIN people pp ON pp.id = b.person_id"
	"         LEFT JOIN agencies a ON a.id = pp.agency_id"
	"        WHERE $10::text IS NOT NULL)"
	"SELECT json_build_object("
	" 'places', (SELECT json_build_object("
	"   'booked', count(*) FILTER (WHERE status IN ('confirmed', 'attended',"
	"       'partial', 'no_show', 'late_cancelled')),"
	"   'attended', count(*) FILTER (WHERE status = 'attended'),"
	"   'partial', count(*) FILTER (WHERE status = 'partial'),"
	"   'no_show', count(*) FILTER (WHERE status = 'no_show'),"
	"   'late_cancelled', count(*) FILTER (WHERE status = 'late_cancelled'),"
	"   'unscheduled', count(*) FILTER (WHERE walk_in"
	"       AND status IN ('attended', 'partial'))) FROM p),"
	" 'forms', (SELECT coalesce(json_agg(json_build_array(col, a, b, n)),"
	"   '[]') FROM (SELECT CASE WHEN GROUPING(rc) = 0 THEN 0"
	"     WHEN GROUPING(rd) = 0 THEN 1 WHEN GROUPING(rv) = 0 THEN 2"
	"     WHEN GROUPING(rt) = 0 THEN 3 WHEN GROUPING(ro) = 0 THEN 4"
	"     WHEN GROUPING(kb) = 0 THEN 5 WHEN GROUPING(cb) = 0 THEN 7"
	"     WHEN GROUPING(om) = 0 THEN 9 WHEN GROUPING(im) = 0 THEN 10"
	"     ELSE 11 END AS col,"
	"     coalesce(rc, rd, rv, rt, ro, kb, cb, om, im, src) AS a,"
	"     coalesce(ka, ca, 0) AS b, count(*) AS n"
	"   FROM (SELECT coalesce(rating_content, 0) AS rc,"
	"     coalesce(rating_delivery, 0) AS rd, coalesce(rating_venue, 0) AS rv,"
	"     coalesce(rating_trainer, 0) AS rt, coalesce(rating_overall, 0) AS ro,"
	"     coalesce(knowledge_before, 0) AS kb, coalesce(knowledge_after, 0) AS ka,"
	"     coalesce(confidence_before, 0) AS cb,"
	"     coalesce(confidence_after, 0) AS ca,"
	"     CASE outcomes_met WHEN 'yes' THEN 1 WHEN 'partly' THEN 2"
	"          WHEN 'no' THEN 3 ELSE 0 END AS om,"
	"     CASE improve_safeguarding WHEN 'yes' THEN 1 WHEN 'no' THEN 2"
	"          WHEN 'unsure' THEN 3 ELSE 0 END AS im,"
	"     CASE source WHEN 'online' THEN 1 ELSE 0 END AS src FROM f) x"
	"   GROUP BY GROUPING SETS ((rc), (rd), (rv), (rt), (ro), (kb, ka),"
	"     (cb, ca), (om), (im), (src))) g),"
	" 'baselines', (SELECT count(*) FROM baselines bl JOIN p USING (booking_id)),"
	" 'baselines_asked', (SELECT count(*) FROM p JOIN courses c"
	"     ON c.id = p.course_id WHERE c.evaluation_baseline"
	"    AND p.status IN ('confirmed', 'attended', 'partial', 'no_show')),"
	" 'followups_due', (SELECT count(*) FROM fu),"
	" 'followups_done', (SELECT count(*) FROM fu WHERE completed_at IS NOT NULL),"
	" 'applied_yes', (SELECT count(*) FROM fu WHERE applied = 'yes'),"
	" 'applied_answered', (SELECT count(applied) FROM fu),"
	" 'sustained', (SELECT coalesce(json_agg(json_build_array("
	"     coalesce(e.confidence_before, bl.confidence), fu.confidence_now)),"
	"     '[]') FROM fu"
	"     LEFT JOIN evaluations e ON e.booking_id = fu.booking_id"
	"     LEFT JOIN baselines bl ON bl.booking_id = fu.booking_id"
	"    WHERE fu.confidence_now IS NOT NULL"
	"      AND coalesce(e.confidence_before, bl.confidence) IS NOT NULL),"
	" 'managers_asked', (SELECT count(*) FROM m),"
	" 'managers_answered', (SELECT count(*) FROM m WHERE answered_at IS NOT NULL),"
	" 'managers_yes', (SELECT count(*) FROM m WHERE changed_practice = 'yes'),"
	" 'managers_staff_answered', (SELECT count(*) FROM m"
	"     WHERE answered_at IS NOT NULL AND manager_source = 'staff_list'),"
	" 'managers_staff_yes', (SELECT count(*) FROM m"
	"     WHERE changed_practice = 'yes' AND manager_source = 'staff_list'),"
	" 'managers_self_answered', (SELECT count(*) FROM m"
	"     WHERE answered_at IS NOT NULL AND manager_source = 'self'),"
	" 'managers_self_yes', (SELECT count(*) FROM m"
	"     WHERE changed_practice = 'yes' AND manager_source = 'self'),"
	" 'rows', CASE WHEN $10::text IS NOT NULL THEN (SELECT"
	"   coalesce(json_agg(json_build_object('key', key, 'label', label,"
	"     'forms', forms, 'improve_yes', iy, 'improve_answered', ia,"
	"     'overall', overall) ORDER BY label, key), '[]')"
	"   FROM (SELECT key, label, count(*) AS forms,"
	"                count(*) FILTER (WHERE improve_safeguarding = 'yes') AS iy,"
	"                count(improve_safeguarding) AS ia,"
	"                coalesce(json_agg(rating_overall) FILTER (WHERE"
	"                    rating_overall IS NOT NULL), '[]') AS overall"
	"           FROM k WHERE key IS NOT NULL GROUP BY key, label) x) END)",

	/* $1 as of: schools' and early years settings' coverage, each
	 * setting's trained counted up to its N, by level. */
	[Q_COVERAGE] =
	"SELECT coalesce(json_agg(json_build_object('group_level', l.code,"
	"    'name', l.name, 'n', x.n, 'trained', x.trained,"
	"    'lapsing', x.lapsing) ORDER BY l.rank), '[]')"
	"  FROM (SELECT cc.group_level_id, sum(cc.n) AS n,"
	"               sum(least(cc.trained, cc.n)) AS trained,"
	"               sum(least(cc.lapsing, cc.trained, cc.n)) AS lapsing"
	"          FROM coverage_counts($1::date) cc"
	"          JOIN agencies a ON a.id = cc.agency_id"
	"         WHERE a.sector IN ('education', 'early_years')"
	"         GROUP BY cc.group_level_id) x"
	"  JOIN group_levels l ON l.id = x.group_level_id",
};

/* The latest financial year with places under `f` into `*year` (-1). */
int
db_report_latest_year(const struct report_filter *f, int *year)
{
	const char	*p[RP__MAX];
	cJSON		*out;
	int		 st;

	report_filter_params(f, p);
	out = NULL;
	if ((st = db_report_json(report_sql[Q_LATEST], RP__MAX, p, &out)) ==
	    DB_OK)
		*year = cJSON_IsNumber(out) ? out->valueint : -1;
	cJSON_Delete(out);
	return (st);
}

/*
 * Places taken up under `f` by f->by and year, `first`..`last`:
 * {"cells","totals"} in `*out` (caller owns; report_attendance()).
 */
int
db_report_attendance(const struct report_filter *f, int first, int last,
    cJSON **out)
{
	const char	*p[RP__MAX + 3];
	char		 a[16], b[16];

	report_filter_params(f, p);
	snprintf(a, sizeof(a), "%d", first);
	snprintf(b, sizeof(b), "%d", last);
	p[RP__MAX] = report_by_name(f->by);
	p[RP__MAX + 1] = a;
	p[RP__MAX + 2] = b;
	return (db_report_json(report_sql[Q_ATTENDANCE], RP__MAX + 3, p, out));
}

/* The courses' rows under `f` in `*out` (caller owns; report_courses()). */
int
db_report_courses(const struct report_filter *f, cJSON **out)
{
	const char	*p[RP__MAX];

	report_filter_params(f, p);
	return (db_report_json(report_sql[Q_COURSES], RP__MAX, p, out));
}

/* The agencies' rows under `f` (report_agencies()). */
int
db_report_agencies(const struct report_filter *f, cJSON **out)
{
	const char	*p[RP__MAX];

	report_filter_params(f, p);
	return (db_report_json(report_sql[Q_AGENCIES], RP__MAX, p, out));
}

/*
 * The evaluation answers and counts under `f`, broken down `by` (course,
 * agency, sector; NULL for none) into `*out` (report_evaluation()).
 */
int
db_report_evaluation(const struct report_filter *f, const char *by,
    cJSON **out)
{
	const char	*p[RP__MAX + 1];

	report_filter_params(f, p);
	p[RP__MAX] = by;
	return (db_report_json(report_sql[Q_EVALUATION], RP__MAX + 1, p, out));
}

/* Schools' coverage by level on `as_of` (report_coverage()). */
int
db_report_coverage(const char *as_of, cJSON **out)
{
	const char	*p[1] = { as_of };

	return (db_report_json(report_sql[Q_COVERAGE], 1, p, out));
}
