/*
 * db_report: the impact reports' SQL. Every statement starts from the
 * functions of migrations 0012 and 0015 (report_places, report_sessions,
 * report_forms, report_session_in) with the filters as $1..$9 (enum
 * report_param), counts and gathers, and answers one JSON value;
 * report.c computes from it. Answers come only from released forms
 * (the disclosure rule of migration 0015); completion counts every form.
 */
#include <stdio.h>

#include "db.h"
#include "db_report.h"

#define S_(x)	#x
#define S(x)	S_(x)

#define FILTERS	"$1::date, $2::date, $3::bigint, $4, $5::bigint, $6, $7, " \
		"$8, $9::text[]"
/* report_forms() also takes the viewer, $n. */
#define FORM_FILTERS(n)	"$1::date, $2::date, $3::bigint, $4, $5::bigint, $6, " \
		"$7, $8, $9::text[], " n "::bigint"
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

	/* $10 the viewer. Per course: sessions held and places offered,
	 * the waitlist's peak, places by what became of them, the same-day
	 * forms and the places of the sessions counted (completion), and
	 * the answers of the released forms (overall rating; knowledge and
	 * confidence pairs). */
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
	"        count(*) FILTER (WHERE status = 'late_cancelled') AS late,"
	"        count(*) FILTER (WHERE status IN ('attended', 'partial')"
	"            AND report_session_in(session_id, $5::bigint, $6, $7))"
	"          AS counted"
	"   FROM report_places(" FILTERS ") GROUP BY course_id),"
	" e AS ("
	" SELECT course_id, count(*) AS forms,"
	"        json_agg(rating_overall) FILTER (WHERE released"
	"            AND rating_overall IS NOT NULL) AS overall,"
	"        json_agg(json_build_array(knowledge_before, knowledge_after))"
	"          FILTER (WHERE released AND knowledge_before IS NOT NULL"
	"                    AND knowledge_after IS NOT NULL) AS knowledge,"
	"        json_agg(json_build_array(confidence_before, confidence_after))"
	"          FILTER (WHERE released AND confidence_before IS NOT NULL"
	"                    AND confidence_after IS NOT NULL) AS confidence"
	"   FROM report_forms(" FORM_FILTERS("$10") ") GROUP BY course_id)"
	"SELECT coalesce(json_agg(json_build_object('course_id', c.id,"
	"    'code', c.code, 'title', c.title, 'format', c.format,"
	"    'sessions', coalesce(s.sessions, 0),"
	"    'places_offered', coalesce(s.offered, 0),"
	"    'peak_waitlist', coalesce(s.peak, 0),"
	"    'booked', coalesce(b.booked, 0), 'attended', coalesce(b.attended, 0),"
	"    'partial', coalesce(b.partial, 0), 'no_show', coalesce(b.no_show, 0),"
	"    'late_cancelled', coalesce(b.late, 0), 'forms', coalesce(e.forms, 0),"
	"    'places_counted', coalesce(b.counted, 0),"
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

	/* $10 breakdown (course, agency, sector) or NULL, $11 the viewer
	 * (struct report_filter). Under the
	 * disclosure rule (migration 0015): answers only of released forms
	 * and of sessions whose later windows have closed; completion of
	 * every form; under a person filter, only sessions all of whose
	 * attendees fall within it ("counted"), the others' places said
	 * apart ("not_attributable"). The released forms as counts, no
	 * link to anyone: [column, value, paired value, forms] per value of
	 * each column (one pass, GROUPING SETS), the columns REPORT_FORM_*
	 * of report.h that report_forms_read() reads. A breakdown
	 * by agency or sector places a session's forms in a row only when
	 * all its attendees are of that agency or sector. */
	[Q_EVALUATION] =
	"WITH p AS (SELECT * FROM report_places(" FILTERS ")),"
	" f AS (SELECT * FROM report_forms(" FORM_FILTERS("$11") ")),"
	" r AS (SELECT * FROM f WHERE released),"
	" si AS (SELECT DISTINCT session_id FROM p"
	"         WHERE report_session_in(session_id, $5::bigint, $6, $7)),"
	" fu AS (SELECT fu.*, p.session_id FROM followups fu"
	"          JOIN p USING (booking_id)"
	"         WHERE fu.due_on <= CURRENT_DATE"
	"           AND p.status IN ('attended', 'partial')),"
	" fr AS (SELECT * FROM fu WHERE session_id IN (SELECT session_id FROM si)"
	"           AND report_followups_closed(session_id)),"
	" m AS (SELECT m.*, p.session_id FROM manager_reviews m"
	"         JOIN p USING (booking_id)),"
	" mr AS (SELECT * FROM m WHERE session_id IN (SELECT session_id FROM si)"
	"           AND report_managers_closed(session_id)),"
	/* The managers split by where their address came from: a session's
	 * answers of one kind count only when 5 or more of that kind
	 * answered, so that each split figure is again a union of whole
	 * groups of 5 or more, as the release rule holds for the total. */
	" ms AS (SELECT * FROM mr WHERE (session_id, manager_source) IN"
	"         (SELECT session_id, manager_source FROM mr"
	"           WHERE answered_at IS NOT NULL GROUP BY 1, 2"
	"          HAVING count(*) >= 5)),"
	" sa AS (SELECT b.session_id,"
	"          CASE WHEN count(*) = count(pp.agency_id)"
	"                AND count(DISTINCT pp.agency_id) = 1"
	"               THEN min(pp.agency_id) END AS agency_id,"
	"          CASE WHEN count(*) = count(a.sector)"
	"                AND count(DISTINCT a.sector) = 1"
	"               THEN min(a.sector) END AS sector"
	"          FROM bookings b JOIN people pp ON pp.id = b.person_id"
	"          LEFT JOIN agencies a ON a.id = pp.agency_id"
	"         WHERE $10::text IN ('agency', 'sector')"
	"           AND b.status IN ('attended', 'partial')"
	"           AND b.session_id IN (SELECT session_id FROM r)"
	"         GROUP BY b.session_id),"
	" k AS (SELECT CASE $10 WHEN 'course' THEN c.id::text"
	"              WHEN 'agency' THEN sa.agency_id::text"
	"              ELSE sa.sector END AS key,"
	"              CASE $10 WHEN 'course' THEN c.title"
	"              WHEN 'agency' THEN a.name ELSE sa.sector END AS label, r.*"
	"         FROM r JOIN courses c ON c.id = r.course_id"
	"         LEFT JOIN sa ON sa.session_id = r.session_id"
	"         LEFT JOIN agencies a ON a.id = sa.agency_id"
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
	"       AND status IN ('attended', 'partial')),"
	"   'counted_attended', count(*) FILTER (WHERE status = 'attended'"
	"       AND session_id IN (SELECT session_id FROM si)),"
	"   'counted_partial', count(*) FILTER (WHERE status = 'partial'"
	"       AND session_id IN (SELECT session_id FROM si)),"
	"   'not_attributable', count(*) FILTER (WHERE status IN ('attended',"
	"       'partial') AND session_id NOT IN (SELECT session_id FROM si)))"
	"   FROM p),"
	" 'forms_online', (SELECT count(*) FROM f WHERE source = 'online'),"
	" 'forms_paper', (SELECT count(*) FROM f WHERE source = 'paper'),"
	" 'forms', (SELECT coalesce(json_agg(json_build_array(col, a, b, n)),"
	"   '[]') FROM (SELECT CASE"
	"     WHEN GROUPING(rc) = 0 THEN " S(REPORT_FORM_CONTENT)
	"     WHEN GROUPING(rd) = 0 THEN " S(REPORT_FORM_DELIVERY)
	"     WHEN GROUPING(rv) = 0 THEN " S(REPORT_FORM_VENUE)
	"     WHEN GROUPING(rt) = 0 THEN " S(REPORT_FORM_TRAINER)
	"     WHEN GROUPING(ro) = 0 THEN " S(REPORT_FORM_OVERALL)
	"     WHEN GROUPING(kb) = 0 THEN " S(REPORT_FORM_KNOWLEDGE)
	"     WHEN GROUPING(cb) = 0 THEN " S(REPORT_FORM_CONFIDENCE)
	"     WHEN GROUPING(om) = 0 THEN " S(REPORT_FORM_OUTCOMES)
	"     WHEN GROUPING(im) = 0 THEN " S(REPORT_FORM_IMPROVE)
	"     ELSE " S(REPORT_FORM_SOURCE) " END AS col,"
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
	"     CASE source WHEN 'online' THEN 1 ELSE 0 END AS src FROM r) x"
	"   GROUP BY GROUPING SETS ((rc), (rd), (rv), (rt), (ro), (kb, ka),"
	"     (cb, ca), (om), (im), (src))) g),"
	" 'baselines', (SELECT count(*) FROM baselines bl JOIN p USING (booking_id)),"
	" 'baselines_asked', (SELECT count(*) FROM p JOIN courses c"
	"     ON c.id = p.course_id WHERE c.evaluation_baseline"
	"    AND p.status IN ('confirmed', 'attended', 'partial', 'no_show')),"
	" 'followups_due', (SELECT count(*) FROM fu),"
	" 'followups_done', (SELECT count(*) FROM fu WHERE completed_at IS NOT NULL),"
	" 'applied_yes', (SELECT count(*) FROM fr WHERE applied = 'yes'),"
	" 'applied_answered', (SELECT count(applied) FROM fr),"
	" 'sustained', (SELECT coalesce(json_agg(json_build_array("
	"     coalesce(e.confidence_before, bl.confidence), fr.confidence_now)"
	"     ORDER BY coalesce(e.confidence_before, bl.confidence),"
	"     fr.confidence_now), '[]') FROM fr"
	"     LEFT JOIN evaluations e ON e.booking_id = fr.booking_id"
	"     LEFT JOIN baselines bl ON bl.booking_id = fr.booking_id"
	"    WHERE fr.confidence_now IS NOT NULL"
	"      AND coalesce(e.confidence_before, bl.confidence) IS NOT NULL),"
	" 'managers_asked', (SELECT count(*) FROM m),"
	" 'managers_answered', (SELECT count(*) FROM m WHERE answered_at IS NOT NULL),"
	" 'managers_shown', (SELECT count(*) FROM mr WHERE answered_at IS NOT NULL),"
	" 'managers_yes', (SELECT count(*) FROM mr WHERE changed_practice = 'yes'),"
	" 'managers_staff_shown', (SELECT count(*) FROM ms"
	"     WHERE answered_at IS NOT NULL AND manager_source = 'staff_list'),"
	" 'managers_staff_yes', (SELECT count(*) FROM ms"
	"     WHERE changed_practice = 'yes' AND manager_source = 'staff_list'),"
	" 'managers_self_shown', (SELECT count(*) FROM ms"
	"     WHERE answered_at IS NOT NULL AND manager_source = 'self'),"
	" 'managers_self_yes', (SELECT count(*) FROM ms"
	"     WHERE changed_practice = 'yes' AND manager_source = 'self'),"
	" 'rows', CASE WHEN $10::text IS NOT NULL THEN (SELECT"
	"   coalesce(json_agg(json_build_object('key', key, 'label', label,"
	"     'forms', forms, 'improve_yes', iy, 'improve_answered', ia,"
	"     'overall', overall) ORDER BY label, key), '[]')"
	"   FROM (SELECT key, label, count(*) AS forms,"
	"                count(*) FILTER (WHERE improve_safeguarding = 'yes') AS iy,"
	"                count(improve_safeguarding) AS ia,"
	"                coalesce(json_agg(rating_overall ORDER BY rating_overall)"
	"                    FILTER (WHERE rating_overall IS NOT NULL), '[]')"
	"                    AS overall"
	"           FROM k WHERE key IS NOT NULL GROUP BY key, label) x) END,"
	" 'rows_not_attributable', CASE WHEN $10::text IS NOT NULL THEN"
	"   (SELECT count(*) FROM k WHERE key IS NULL) END)",

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
	const char	*p[RP__MAX + 1];

	report_filter_params(f, p);
	p[RP__MAX] = f->viewer[0] ? f->viewer : NULL;
	return (db_report_json(report_sql[Q_COURSES], RP__MAX + 1, p, out));
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
	const char	*p[RP__MAX + 2];

	report_filter_params(f, p);
	p[RP__MAX] = by;
	p[RP__MAX + 1] = f->viewer[0] ? f->viewer : NULL;
	return (db_report_json(report_sql[Q_EVALUATION], RP__MAX + 2, p, out));
}

/* Schools' coverage by level on `as_of` (report_coverage()). */
int
db_report_coverage(const char *as_of, cJSON **out)
{
	const char	*p[1] = { as_of };

	return (db_report_json(report_sql[Q_COVERAGE], 1, p, out));
}
