-- Workforce coverage read from the periods' index alone.
--
-- coverage_counts(as_of) counts the periods a date falls in (from_on <=
-- as_of < to_on) by agency and level, by their completion's dates: at 100
-- times the demo data, some 290,000 of 1.1 million periods, whose rows lay
-- on most of the table's pages. The index on the two dates now carries
-- every other column those counts read, so PostgreSQL answers them from
-- the index (an index-only scan: the pages autovacuum has marked all
-- visible are not read at all), where it read the table's pages one by
-- one: a third of the time at 100x (README, "Report aggregates").

DROP INDEX training_periods_on;
CREATE INDEX training_periods_on ON training_periods (to_on, from_on)
	INCLUDE (agency_id, group_level_id, trained_on, expires_on);
COMMENT ON INDEX training_periods_on IS
	'The periods a date falls in, with what coverage_counts() counts of '
	'them (an index-only scan).';
