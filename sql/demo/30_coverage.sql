-- Demo data of workforce coverage: training imported by the
-- agencies for their own staff in recent years, so that the coverage of
-- today has real figures (in date, lapsing, expired and never trained),
-- and each school's and early years setting's staffing return as of the
-- last 31 March. Deterministic for a given load date: a seeded stream
-- and dates counted back from the day the demo is loaded.

SELECT setseed(0.1101);

INSERT INTO training_records (person_id, group_level_id, completed_on, title,
                              provider, source, hours, agency_id)
SELECT p.id, p.group_level_id,
       current_date - (20 + floor(random() * (l.refresh_months * 31 + 150)))::int,
       CASE WHEN a.sector IN ('education', 'early_years')
            THEN 'Whole-staff safeguarding training (in-house)'
            ELSE 'Single-agency safeguarding training' END,
       a.name, 'import', 3, a.id
  FROM people p JOIN agencies a ON a.id = p.agency_id
  JOIN group_levels l ON l.id = p.group_level_id,
       LATERAL (SELECT random() AS r WHERE p.id > 0) x
 WHERE p.active AND p.erased_at IS NULL AND x.r < 0.78
 ORDER BY p.id
ON CONFLICT DO NOTHING;

INSERT INTO staffing_returns (agency_id, group_level_id, as_of, headcount)
SELECT a.id, p.group_level_id,
       make_date(extract(year FROM current_date - interval '3 months')::int, 3, 31),
       greatest(0, count(*) + floor(random() * 4)::int - 1)
  FROM agencies a JOIN people p ON p.agency_id = a.id
 WHERE a.sector IN ('education', 'early_years') AND p.active
   AND p.group_level_id IS NOT NULL
 GROUP BY a.id, p.group_level_id
 ORDER BY a.id, p.group_level_id
ON CONFLICT DO NOTHING;
