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
/* The kept counts (migration 0021) answer when the dates are whole months
 * (or none); COUNTS_COURSES: the courses the course filters select. */
#define COUNTS_MONTHS \
	"($1::date IS NULL OR extract(day FROM $1::date) = 1)" \
	" AND ($2::date IS NULL OR extract(day FROM $2::date + 1) = 1)"
#define COUNTS_NO_PERSON \
	"$5::bigint IS NULL AND $6::text IS NULL AND $7::text IS NULL"
#define COUNTS_NO_COURSE \
	"$3::bigint IS NULL AND $4::text IS NULL AND $8::text IS NULL" \
	" AND $9::text[] IS NULL"
#define COUNTS_IN_MONTHS(m) \
	"($1::date IS NULL OR " m " >= $1::date)" \
	" AND ($2::date IS NULL OR " m " <= $2::date)"
#define COUNTS_COURSES \
	" cs AS (SELECT c.id, c.title, c.evaluation_baseline FROM courses c" \
	"         WHERE ($3::bigint IS NULL OR c.id = $3::bigint)" \
	"           AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM course_topics ct" \
	"                JOIN topics t ON t.id = ct.topic_id" \
	"                WHERE ct.course_id = c.id AND t.code = $4::text))" \
	"           AND ($8::text IS NULL OR EXISTS (SELECT 1" \
	"                FROM course_group_levels x" \
	"                JOIN group_levels l ON l.id = x.group_level_id" \
	"                WHERE x.course_id = c.id AND l.code = $8::text))" \
	"           AND ($9::text[] IS NULL OR NOT c.format = ANY ($9::text[])))"
#define COUNTS_FY(m) \
	"extract(year FROM " m " - interval '3 months')::integer"
/* The months of financial years $11..$12 (April to March), as a range an
 * index on the month can answer. */
#define COUNTS_IN_YEARS(m) \
	m " >= make_date($11::int, 4, 1)" \
	" AND " m " < make_date($12::int + 1, 4, 1)"
/*
 * The answers the viewer v may not see of those the counts hold: the
 * released steps of 5 or more that hold forms v entered and fewer than 5
 * others (README "Disclosure control"), as negative counts of the
 * courses in cs, in the columns of report_course_forms.
 */
#define COUNTS_HIDDEN(v) \
	" hv AS (SELECT course_id," \
	"     CASE WHEN GROUPING(rc) = 0 THEN " S(REPORT_FORM_CONTENT) \
	"     WHEN GROUPING(rd) = 0 THEN " S(REPORT_FORM_DELIVERY) \
	"     WHEN GROUPING(rv) = 0 THEN " S(REPORT_FORM_VENUE) \
	"     WHEN GROUPING(rt) = 0 THEN " S(REPORT_FORM_TRAINER) \
	"     WHEN GROUPING(ro) = 0 THEN " S(REPORT_FORM_OVERALL) \
	"     WHEN GROUPING(kb) = 0 THEN " S(REPORT_FORM_KNOWLEDGE) \
	"     WHEN GROUPING(cb) = 0 THEN " S(REPORT_FORM_CONFIDENCE) \
	"     WHEN GROUPING(om) = 0 THEN " S(REPORT_FORM_OUTCOMES) \
	"     WHEN GROUPING(im) = 0 THEN " S(REPORT_FORM_IMPROVE) \
	"     ELSE " S(REPORT_FORM_SOURCE) " END AS col," \
	"     coalesce(rc, rd, rv, rt, ro, kb, cb, om, im, src) AS a," \
	"     coalesce(ka, ca, 0) AS b, -count(*) AS n" \
	"   FROM (SELECT course_id, coalesce(rating_content, 0) AS rc," \
	"     coalesce(rating_delivery, 0) AS rd, coalesce(rating_venue, 0) AS rv," \
	"     coalesce(rating_trainer, 0) AS rt, coalesce(rating_overall, 0) AS ro," \
	"     coalesce(knowledge_before, 0) AS kb, coalesce(knowledge_after, 0) AS ka," \
	"     coalesce(confidence_before, 0) AS cb," \
	"     coalesce(confidence_after, 0) AS ca," \
	"     CASE outcomes_met WHEN 'yes' THEN 1 WHEN 'partly' THEN 2" \
	"          WHEN 'no' THEN 3 ELSE 0 END AS om," \
	"     CASE improve_safeguarding WHEN 'yes' THEN 1 WHEN 'no' THEN 2" \
	"          WHEN 'unsure' THEN 3 ELSE 0 END AS im," \
	"     CASE source WHEN 'online' THEN 1 ELSE 0 END AS src" \
	"     FROM (SELECT s.course_id, e.*, count(*) OVER w AS k," \
	"                  count(*) FILTER (WHERE e.entered_by IS DISTINCT FROM " \
	"                      " v ") OVER w AS kv" \
	"             FROM (SELECT DISTINCT session_id, step FROM evaluations" \
	"                    WHERE entered_by = " v " AND step IS NOT NULL) vs" \
	"             JOIN sessions s ON s.id = vs.session_id" \
	"             JOIN cs ON cs.id = s.course_id" \
	"             JOIN evaluations e ON e.session_id = vs.session_id" \
	"              AND e.step = vs.step" \
	"             LEFT JOIN evaluation_uploads u ON u.id = e.upload_id" \
	"            WHERE u.voided_at IS NULL" \
	"              AND " COUNTS_IN_MONTHS("report_month(s.starts_at)") \
	"           WINDOW w AS (PARTITION BY e.session_id, e.step)) f" \
	"    WHERE k >= 5 AND kv < 5) x" \
	"   GROUP BY course_id, GROUPING SETS ((rc), (rd), (rv), (rt), (ro)," \
	"     (kb, ka), (cb, ca), (om), (im), (src)))"
#define SESSION_FILTERS	"$1::date, $2::date, $3::bigint, $4, $8, $9::text[]"

enum {
	Q_LATEST,
	Q_ATTENDANCE,
	Q_COURSES,
	Q_AGENCIES,
	Q_EVALUATION,
	Q_COVERAGE,
	Q_EVALUATION_COUNTS,
	Q_LATEST_COUNTS,
	Q_ATTENDANCE_COUNTS,
	Q_COURSES_COUNTS,
	Q_AGENCIES_COUNTS,
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
	/* Each pair once, with how many gave it: [before, now, n]. */
	" 'sustained', (SELECT coalesce(json_agg(json_build_array(x.before,"
	"     x.now, x.n) ORDER BY x.before, x.now), '[]')"
	"     FROM (SELECT coalesce(e.confidence_before, bl.confidence) AS before,"
	"                  fr.confidence_now AS now, count(*) AS n FROM fr"
	"     LEFT JOIN evaluations e ON e.booking_id = fr.booking_id"
	"     LEFT JOIN baselines bl ON bl.booking_id = fr.booking_id"
	"    WHERE fr.confidence_now IS NOT NULL"
	"      AND coalesce(e.confidence_before, bl.confidence) IS NOT NULL"
	"    GROUP BY 1, 2) x),"
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

	/* Q_EVALUATION from the kept counts (migration 0021), when the
	 * filters select whole buckets: no person filter, dates whole
	 * months, no breakdown or by course; the steps a viewer may not see
	 * taken out (COUNTS_HIDDEN). No row
	 * otherwise: then Q_EVALUATION reads the forms. The places are all
	 * counted (no person filter: every session falls within it). */
	[Q_EVALUATION_COUNTS] =
	"WITH ok AS (SELECT 1 WHERE $5::bigint IS NULL AND $6::text IS NULL"
	"   AND $7::text IS NULL"
	"   AND ($1::date IS NULL OR extract(day FROM $1::date) = 1)"
	"   AND ($2::date IS NULL OR extract(day FROM $2::date + 1) = 1)"
	"   AND coalesce($10::text, 'course') = 'course'),"
	COUNTS_COURSES ","
	" pl AS (SELECT r.*, cs.evaluation_baseline FROM report_course_places r"
	"          JOIN cs ON cs.id = r.course_id"
	"         WHERE ($1::date IS NULL OR r.month >= $1::date)"
	"           AND ($2::date IS NULL OR r.month <= $2::date)),"
	" fm AS (SELECT r.* FROM report_course_forms r JOIN cs ON cs.id = r.course_id"
	"         WHERE ($1::date IS NULL OR r.month >= $1::date)"
	"           AND ($2::date IS NULL OR r.month <= $2::date)),"
	" ss AS (SELECT s.id FROM sessions s JOIN cs ON cs.id = s.course_id"
	"         WHERE ($1::date IS NULL OR report_month(s.starts_at) >= $1::date)"
	"           AND ($2::date IS NULL"
	"             OR report_month(s.starts_at) <= $2::date)),"
	/* report_followups_closed() and report_managers_closed(). */
	" st AS (SELECT st.*, coalesce(st.followups_last + 30 <= CURRENT_DATE"
	"                 AND st.followups_done >= 5, false) AS f_ok,"
	"               coalesce(st.managers_open_until <= now(), true)"
	"                 AND st.managers_answered >= 5 AS m_ok"
	"          FROM report_session_stages st JOIN ss ON ss.id = st.session_id),"
	COUNTS_HIDDEN("$11::bigint") ","
	" h AS (SELECT course_id, col, a, b, sum(n) AS n"
	"         FROM (SELECT course_id, col, a, b, n FROM fm"
	"               UNION ALL SELECT course_id, col, a, b, n FROM hv) x"
	"        GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0),"
	" fd AS (SELECT coalesce(sum(d.n), 0) AS due,"
	"               coalesce(sum(d.done), 0) AS done"
	"          FROM report_session_due d JOIN ss ON ss.id = d.session_id"
	"         WHERE d.due_on <= CURRENT_DATE)"
	"SELECT json_build_object("
	" 'places', (SELECT json_build_object("
	"   'booked', coalesce(sum(n) FILTER (WHERE status IN ('confirmed',"
	"       'attended', 'partial', 'no_show', 'late_cancelled')), 0),"
	"   'attended', coalesce(sum(n) FILTER (WHERE status = 'attended'), 0),"
	"   'partial', coalesce(sum(n) FILTER (WHERE status = 'partial'), 0),"
	"   'no_show', coalesce(sum(n) FILTER (WHERE status = 'no_show'), 0),"
	"   'late_cancelled', coalesce(sum(n) FILTER (WHERE"
	"       status = 'late_cancelled'), 0),"
	"   'unscheduled', coalesce(sum(n) FILTER (WHERE walk_in"
	"       AND status IN ('attended', 'partial')), 0),"
	"   'counted_attended', coalesce(sum(n) FILTER (WHERE"
	"       status = 'attended'), 0),"
	"   'counted_partial', coalesce(sum(n) FILTER (WHERE"
	"       status = 'partial'), 0),"
	"   'not_attributable', 0)"
	"   FROM pl),"
	" 'forms_online', (SELECT coalesce(sum(n), 0) FROM h"
	"     WHERE col = 12 AND a = 1),"
	" 'forms_paper', (SELECT coalesce(sum(n), 0) FROM h"
	"     WHERE col = 12 AND a = 0),"
	" 'forms', (SELECT coalesce(json_agg(json_build_array(col, a, b, n)),"
	"   '[]') FROM (SELECT col, a, b, sum(n) AS n FROM h WHERE col < 12"
	"   GROUP BY 1, 2, 3) g),"
	" 'baselines', (SELECT coalesce(sum(baselines), 0) FROM pl),"
	" 'baselines_asked', (SELECT coalesce(sum(n), 0) FROM pl"
	"    WHERE evaluation_baseline"
	"      AND status IN ('confirmed', 'attended', 'partial', 'no_show')),"
	" 'followups_due', (SELECT due FROM fd),"
	" 'followups_done', (SELECT done FROM fd),"
	" 'applied_yes', (SELECT coalesce(sum(applied_yes), 0) FROM st WHERE f_ok),"
	" 'applied_answered', (SELECT coalesce(sum(applied), 0) FROM st"
	"    WHERE f_ok),"
	/* Each pair once, with how many gave it: [before, now, n]. */
	" 'sustained', (SELECT coalesce(json_agg(json_build_array(x.before,"
	"     x.now, x.n) ORDER BY x.before, x.now), '[]')"
	"     FROM (SELECT u.before, u.now, sum(u.n) AS n"
	"             FROM report_session_sustained u JOIN st"
	"               ON st.session_id = u.session_id AND st.f_ok"
	"            GROUP BY 1, 2) x),"
	" 'managers_asked', (SELECT coalesce(sum(managers), 0) FROM st),"
	" 'managers_answered', (SELECT coalesce(sum(managers_answered), 0)"
	"    FROM st),"
	" 'managers_shown', (SELECT coalesce(sum(managers_answered), 0) FROM st"
	"    WHERE m_ok),"
	" 'managers_yes', (SELECT coalesce(sum(managers_yes), 0) FROM st"
	"    WHERE m_ok),"
	" 'managers_staff_shown', (SELECT coalesce(sum(staff_answered), 0)"
	"    FROM st WHERE m_ok AND staff_answered >= 5),"
	" 'managers_staff_yes', (SELECT coalesce(sum(staff_yes), 0)"
	"    FROM st WHERE m_ok AND staff_answered >= 5),"
	" 'managers_self_shown', (SELECT coalesce(sum(self_answered), 0)"
	"    FROM st WHERE m_ok AND self_answered >= 5),"
	" 'managers_self_yes', (SELECT coalesce(sum(self_yes), 0)"
	"    FROM st WHERE m_ok AND self_answered >= 5),"
	" 'rows', CASE WHEN $10::text IS NOT NULL THEN (SELECT"
	"   coalesce(json_agg(json_build_object('key', c.id::text,"
	"     'label', c.title, 'forms', x.forms, 'improve_yes', x.iy,"
	"     'improve_answered', x.ia, 'overall', coalesce((SELECT"
	"       ('[' || string_agg(rtrim(repeat(o.a || ',', o.n::int), ','),"
	"       ',' ORDER BY o.a) || ']')::json FROM h o"
	"      WHERE o.course_id = c.id AND o.col = 4 AND o.a > 0), '[]'))"
	"     ORDER BY c.title, c.id::text), '[]')"
	"   FROM (SELECT course_id, sum(n) FILTER (WHERE col = 0) AS forms,"
	"                coalesce(sum(n) FILTER (WHERE col = 10 AND a = 1), 0)"
	"                  AS iy,"
	"                coalesce(sum(n) FILTER (WHERE col = 10 AND a > 0), 0)"
	"                  AS ia"
	"           FROM h GROUP BY course_id) x"
	"   JOIN courses c ON c.id = x.course_id WHERE x.forms > 0) END,"
	" 'rows_not_attributable', CASE WHEN $10::text IS NOT NULL THEN 0 END)"
	"  FROM ok",
	/* Q_LATEST from the counts: no person filter, or no course filter. */
	[Q_LATEST_COUNTS] =
	"WITH " COUNTS_COURSES
	"SELECT coalesce(max(fy), -1) FROM ("
	" SELECT " COUNTS_FY("r.month") " AS fy FROM report_course_places r"
	"   JOIN cs ON cs.id = r.course_id"
	"  WHERE " COUNTS_NO_PERSON
	"    AND r.status IN ('attended', 'partial')"
	"    AND " COUNTS_IN_MONTHS("r.month")
	"  GROUP BY r.course_id, r.month HAVING sum(r.n) > 0"
	" UNION ALL"
	" SELECT " COUNTS_FY("r.month") " FROM report_agency_places r"
	"   LEFT JOIN agencies a ON a.id = r.agency_id"
	"  WHERE NOT (" COUNTS_NO_PERSON ") AND " COUNTS_NO_COURSE
	"    AND r.status IN ('attended', 'partial')"
	"    AND " COUNTS_IN_MONTHS("r.month")
	"    AND ($5::bigint IS NULL OR r.agency_id = $5::bigint)"
	"    AND ($6::text IS NULL OR a.sector = $6::text)"
	"    AND ($7::text IS NULL OR a.area = $7::text)"
	"  GROUP BY r.month, r.agency_id HAVING sum(r.n) > 0) x"
	" WHERE " COUNTS_MONTHS " AND (" COUNTS_NO_PERSON " OR " COUNTS_NO_COURSE ")"
	" HAVING " COUNTS_MONTHS " AND (" COUNTS_NO_PERSON " OR " COUNTS_NO_COURSE ")",

	/* Q_ATTENDANCE from the counts: by course, topic or level with no
	 * person filter (the courses' counts), or by agency or sector with
	 * no course filter (the agencies'). */
	[Q_ATTENDANCE_COUNTS] =
	"WITH " COUNTS_COURSES ","
	" g AS ("
	" SELECT NULL::bigint AS agency_id, NULL::text AS sector, r.course_id,"
	"        " COUNTS_FY("r.month") " AS fy, sum(r.n) AS n"
	"   FROM report_course_places r JOIN cs ON cs.id = r.course_id"
	"  WHERE $10 IN ('course', 'topic', 'group_level') AND " COUNTS_NO_PERSON
	"    AND r.status IN ('attended', 'partial')"
	"    AND " COUNTS_IN_MONTHS("r.month")
	"    AND " COUNTS_IN_YEARS("r.month")
	"  GROUP BY 1, 2, 3, 4 HAVING sum(r.n) <> 0"
	" UNION ALL"
	" SELECT nullif(r.agency_id, 0), a.sector, NULL::bigint,"
	"        " COUNTS_FY("r.month") ", sum(r.n)"
	"   FROM report_agency_places r LEFT JOIN agencies a ON a.id = r.agency_id"
	"  WHERE $10 IN ('agency', 'sector') AND " COUNTS_NO_COURSE
	"    AND r.status IN ('attended', 'partial')"
	"    AND " COUNTS_IN_MONTHS("r.month")
	"    AND " COUNTS_IN_YEARS("r.month")
	"    AND ($5::bigint IS NULL OR r.agency_id = $5::bigint)"
	"    AND ($6::text IS NULL OR a.sector = $6::text)"
	"    AND ($7::text IS NULL OR a.area = $7::text)"
	"  GROUP BY 1, 2, 3, 4 HAVING sum(r.n) <> 0),"
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
	"     '[]'))"
	" WHERE " COUNTS_MONTHS " AND (($10 IN ('course', 'topic', 'group_level')"
	"   AND " COUNTS_NO_PERSON ") OR ($10 IN ('agency', 'sector')"
	"   AND " COUNTS_NO_COURSE "))",

	/* Q_COURSES from the counts: no person filter; the steps the viewer
	 * may not see taken out. */
	[Q_COURSES_COUNTS] =
	"WITH " COUNTS_COURSES ","
	" s AS ("
	" SELECT course_id, count(*) FILTER (WHERE NOT cancelled) AS sessions,"
	"        coalesce(sum(capacity) FILTER (WHERE NOT cancelled), 0) AS offered,"
	"        coalesce(max(waitlisted), 0) AS peak"
	"   FROM report_sessions(" SESSION_FILTERS ") GROUP BY course_id),"
	" b AS ("
	" SELECT course_id, sum(n) FILTER (WHERE status IN ('confirmed',"
	"            'attended', 'partial', 'no_show', 'late_cancelled')) AS booked,"
	"        sum(n) FILTER (WHERE status = 'attended') AS attended,"
	"        sum(n) FILTER (WHERE status = 'partial') AS partial,"
	"        sum(n) FILTER (WHERE status = 'no_show') AS no_show,"
	"        sum(n) FILTER (WHERE status = 'late_cancelled') AS late,"
	"        sum(n) FILTER (WHERE status IN ('attended', 'partial'))"
	"          AS counted"
	"   FROM report_course_places r JOIN cs ON cs.id = r.course_id"
	"  WHERE " COUNTS_IN_MONTHS("r.month") " GROUP BY course_id),"
	COUNTS_HIDDEN("$10::bigint") ","
	" h AS (SELECT course_id, col, a, b, sum(n) AS n"
	"   FROM (SELECT r.course_id, r.col, r.a, r.b, r.n"
	"           FROM report_course_forms r JOIN cs ON cs.id = r.course_id"
	"          WHERE " COUNTS_IN_MONTHS("r.month")
	"         UNION ALL SELECT course_id, col, a, b, n FROM hv) x"
	"  GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0),"
	/* Each value (or pair) n times, as text. */
	" e AS ("
	" SELECT course_id, sum(n) FILTER (WHERE col = 12) AS forms,"
	"        ('[' || string_agg(rtrim(repeat(a || ',', n::int), ','), ','"
	"            ORDER BY a) FILTER (WHERE col = 4 AND a > 0) || ']')::json"
	"          AS overall,"
	"        ('[' || string_agg(rtrim(repeat('[' || a || ',' || b || '],',"
	"            n::int), ','), ',' ORDER BY a, b)"
	"            FILTER (WHERE col = 5 AND a > 0 AND b > 0) || ']')::json"
	"          AS knowledge,"
	"        ('[' || string_agg(rtrim(repeat('[' || a || ',' || b || '],',"
	"            n::int), ','), ',' ORDER BY a, b)"
	"            FILTER (WHERE col = 7 AND a > 0 AND b > 0) || ']')::json"
	"          AS confidence"
	"   FROM h GROUP BY course_id)"
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
	" WHERE coalesce(b.booked, 0) > 0 OR coalesce(s.sessions, 0) > 0"
	" HAVING " COUNTS_MONTHS " AND " COUNTS_NO_PERSON,

	/* Q_AGENCIES from the counts: no course filter. */
	[Q_AGENCIES_COUNTS] =
	"SELECT coalesce(json_agg(json_build_object('agency_id', a.id,"
	"    'name', a.name, 'sector', a.sector, 'booked', x.booked,"
	"    'attended', x.attended, 'partial', x.partial,"
	"    'no_show', x.no_show) ORDER BY a.name, a.id), '[]')"
	"  FROM (SELECT agency_id,"
	"               sum(n) FILTER (WHERE status IN ('confirmed', 'attended',"
	"                   'partial', 'no_show', 'late_cancelled')) AS booked,"
	"               coalesce(sum(n) FILTER (WHERE status = 'attended'), 0)"
	"                 AS attended,"
	"               coalesce(sum(n) FILTER (WHERE status = 'partial'), 0)"
	"                 AS partial,"
	"               coalesce(sum(n) FILTER (WHERE status = 'no_show'), 0)"
	"                 AS no_show"
	"          FROM report_agency_places"
	"         WHERE agency_id <> 0 AND " COUNTS_IN_MONTHS("month")
	"         GROUP BY agency_id) x"
	"  JOIN agencies a ON a.id = x.agency_id"
	" WHERE x.booked > 0"
	"   AND ($5::bigint IS NULL OR a.id = $5::bigint)"
	"   AND ($6::text IS NULL OR a.sector = $6::text)"
	"   AND ($7::text IS NULL OR a.area = $7::text)"
	" HAVING " COUNTS_MONTHS " AND " COUNTS_NO_COURSE,
};

/*
 * Statement `counts` (the kept counts), or `rows` (the rows themselves)
 * when `counts` answers no row because the filters do not select whole
 * buckets (migration 0021).
 */
static enum db_status
db_report_counts_or_rows(int counts, int rows, int n, const char **p,
    cJSON **out)
{
	enum db_status	st;

	if ((st = db_report_json(report_sql[counts], n, p, out)) !=
	    DB_NOTFOUND)
		return (st);
	return (db_report_json(report_sql[rows], n, p, out));
}

/* The latest financial year with places under `f` into `*year` (-1). */
enum db_status
db_report_latest_year(const struct report_filter *f, int *year)
{
	const char	*p[RP__MAX];
	cJSON		*out;
	enum db_status	 st;

	db_report_params(f, p);
	out = NULL;
	if ((st = db_report_counts_or_rows(Q_LATEST_COUNTS, Q_LATEST, RP__MAX,
	    p, &out)) == DB_OK)
		*year = cJSON_IsNumber(out) ? out->valueint : -1;
	cJSON_Delete(out);
	return (st);
}

/*
 * Places taken up under `f` by f->by and year, `first`..`last`:
 * {"cells","totals"} in `*out` (caller owns; report_attendance()).
 */
enum db_status
db_report_attendance(const struct report_filter *f, int first, int last,
    cJSON **out)
{
	const char	*p[RP__MAX + 3];
	char		 a[16], b[16];

	db_report_params(f, p);
	snprintf(a, sizeof(a), "%d", first);
	snprintf(b, sizeof(b), "%d", last);
	p[RP__MAX] = report_by_name(f->by);
	p[RP__MAX + 1] = a;
	p[RP__MAX + 2] = b;
	return (db_report_counts_or_rows(Q_ATTENDANCE_COUNTS, Q_ATTENDANCE,
	    RP__MAX + 3, p, out));
}

/* The courses' rows under `f` in `*out` (caller owns; report_courses()). */
enum db_status
db_report_courses(const struct report_filter *f, cJSON **out)
{
	const char	*p[RP__MAX + 1];

	db_report_params(f, p);
	p[RP__MAX] = f->viewer[0] ? f->viewer : NULL;
	return (db_report_counts_or_rows(Q_COURSES_COUNTS, Q_COURSES,
	    RP__MAX + 1, p, out));
}

/* The agencies' rows under `f` (report_agencies()). */
enum db_status
db_report_agencies(const struct report_filter *f, cJSON **out)
{
	const char	*p[RP__MAX];

	db_report_params(f, p);
	return (db_report_counts_or_rows(Q_AGENCIES_COUNTS, Q_AGENCIES,
	    RP__MAX, p, out));
}

/*
 * The evaluation answers and counts under `f`, broken down `by` (course,
 * agency, sector; NULL for none) into `*out` (report_evaluation()).
 */
enum db_status
db_report_evaluation(const struct report_filter *f, const char *by,
    cJSON **out)
{
	const char	*p[RP__MAX + 2];

	db_report_params(f, p);
	p[RP__MAX] = by;
	p[RP__MAX + 1] = f->viewer[0] ? f->viewer : NULL;
	return (db_report_counts_or_rows(Q_EVALUATION_COUNTS, Q_EVALUATION,
	    RP__MAX + 2, p, out));
}

/* Schools' coverage by level on `as_of` (report_coverage()). */
enum db_status
db_report_coverage(const char *as_of, cJSON **out)
{
	const char	*p[1] = { as_of };

	return (db_report_json(report_sql[Q_COVERAGE], 1, p, out));
}
