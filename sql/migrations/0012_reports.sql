-- Impact reports: the places and sessions a report's filters
-- select, as two SQL functions every report query starts from, so that
-- the filters mean the same thing in every table. Both are plain SQL
-- (inlined by the planner). A NULL argument does not filter.
--
--   report_places(from, to, course, topic, agency, sector, area, level,
--       exclude_formats)   one row a booking of a selected session: its
--       status, the person's agency (and the agency's sector and area),
--       the course, and the financial year of the session (2016 for
--       2016/17: the year of 1 April it falls after).
--   report_sessions(from, to, course, topic, level, exclude_formats)
--       the sessions themselves (places offered, waitlists): the
--       person filters (agency, sector, area) do not apply to them.
--
-- from and to are dates (inclusive) in Europe/London; topic and level are
-- codes (a course matches when it has that topic or qualifies for that
-- level); exclude_formats leaves out courses of those formats.

CREATE FUNCTION report_sessions(p_from date, p_to date, p_course bigint,
    p_topic text, p_level text, p_exclude text[])
RETURNS TABLE (session_id bigint, course_id bigint, starts_at timestamptz,
    fy integer, capacity integer, waitlisted integer, cancelled boolean)
LANGUAGE sql STABLE AS $$
	SELECT s.id, s.course_id, s.starts_at,
	       extract(year FROM (s.starts_at AT TIME ZONE 'Europe/London')
	           - interval '3 months')::integer,
	       s.capacity, s.waitlist_next - 1, s.status = 'cancelled'
	  FROM sessions s JOIN courses c ON c.id = s.course_id
	 WHERE (p_from IS NULL OR s.starts_at >=
	           p_from::timestamp AT TIME ZONE 'Europe/London')
	   AND (p_to IS NULL OR s.starts_at <
	           (p_to + 1)::timestamp AT TIME ZONE 'Europe/London')
	   AND (p_course IS NULL OR c.id = p_course)
	   AND (p_topic IS NULL OR EXISTS (SELECT 1 FROM course_topics ct
	        JOIN topics t ON t.id = ct.topic_id
	        WHERE ct.course_id = c.id AND t.code = p_topic))
	   AND (p_level IS NULL OR EXISTS (SELECT 1 FROM course_group_levels x
	        JOIN group_levels l ON l.id = x.group_level_id
	        WHERE x.course_id = c.id AND l.code = p_level))
	   AND (p_exclude IS NULL OR NOT c.format = ANY (p_exclude))
$$;
COMMENT ON FUNCTION report_sessions(date, date, bigint, text, text, text[]) IS
	'The sessions a report''s filters select (see the migration''s header).';

CREATE FUNCTION report_places(p_from date, p_to date, p_course bigint,
    p_topic text, p_agency bigint, p_sector text, p_area text,
    p_level text, p_exclude text[])
RETURNS TABLE (booking_id bigint, session_id bigint, course_id bigint,
    person_id bigint, agency_id bigint, sector text, status text,
    walk_in boolean, fy integer)
LANGUAGE sql STABLE AS $$
	SELECT b.id, s.session_id, s.course_id, b.person_id, p.agency_id,
	       a.sector, b.status, b.walk_in, s.fy
	  FROM report_sessions(p_from, p_to, p_course, p_topic, p_level,
	           p_exclude) s
	  JOIN bookings b ON b.session_id = s.session_id
	  JOIN people p ON p.id = b.person_id
	  LEFT JOIN agencies a ON a.id = p.agency_id
	 WHERE (p_agency IS NULL OR p.agency_id = p_agency)
	   AND (p_sector IS NULL OR a.sector = p_sector)
	   AND (p_area IS NULL OR a.area = p_area)
$$;
COMMENT ON FUNCTION report_places(date, date, bigint, text, bigint, text,
    text, text, text[]) IS
	'The bookings a report''s filters select (see the migration''s header).';

-- report_forms(the filters of report_places): the same-day forms of the
-- selected sessions. An online form counts when its booking is among the
-- selected places; an anonymous paper form only when no person filter
-- (agency, sector, area) is set, as it cannot be placed in an agency.
CREATE FUNCTION report_forms(p_from date, p_to date, p_course bigint,
    p_topic text, p_agency bigint, p_sector text, p_area text,
    p_level text, p_exclude text[])
RETURNS TABLE (evaluation_id bigint, session_id bigint, course_id bigint,
    booking_id bigint, fy integer, source text, rating_content smallint,
    rating_delivery smallint, rating_venue smallint, rating_trainer smallint,
    rating_overall smallint, knowledge_before smallint,
    knowledge_after smallint, confidence_before smallint,
    confidence_after smallint, outcomes_met text, improve_safeguarding text)
LANGUAGE sql STABLE AS $$
	SELECT e.id, e.session_id, s.course_id, e.booking_id, s.fy, e.source,
	       e.rating_content, e.rating_delivery, e.rating_venue,
	       e.rating_trainer, e.rating_overall, e.knowledge_before,
	       e.knowledge_after, e.confidence_before, e.confidence_after,
	       e.outcomes_met, e.improve_safeguarding
	  FROM report_sessions(p_from, p_to, p_course, p_topic, p_level,
	           p_exclude) s
	  JOIN evaluations e ON e.session_id = s.session_id
	 WHERE CASE WHEN e.booking_id IS NULL THEN
	            p_agency IS NULL AND p_sector IS NULL AND p_area IS NULL
	       WHEN p_agency IS NULL AND p_sector IS NULL AND p_area IS NULL
	            THEN true
	       ELSE EXISTS (SELECT 1 FROM bookings b
	            JOIN people p ON p.id = b.person_id
	            LEFT JOIN agencies a ON a.id = p.agency_id
	            WHERE b.id = e.booking_id
	              AND (p_agency IS NULL OR p.agency_id = p_agency)
	              AND (p_sector IS NULL OR a.sector = p_sector)
	              AND (p_area IS NULL OR a.area = p_area)) END
$$;
COMMENT ON FUNCTION report_forms(date, date, bigint, text, bigint, text,
    text, text, text[]) IS
	'The same-day forms a report''s filters select (see above).';
