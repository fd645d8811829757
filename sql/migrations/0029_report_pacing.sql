-- How long a report's gathering took, to pace the next.
--
-- Bookings, registers and the mail sender change what reports read all
-- day, so a report read every few seconds is stale at every read; were it
-- gathered again at each, gatherings would run back to back and take a
-- core from the bookings and sign-ins. A stale kept answer is served,
-- marked as of its time, while its key is gathered again no sooner than
-- a few times its last gathering's length after it was kept
-- (app/db_report_answer.c): the reports' share of the database stays a
-- bounded fraction of one core, whatever the data's size.

ALTER TABLE report_answers
	ADD COLUMN gathered_ms integer NOT NULL DEFAULT 0
	CHECK (gathered_ms >= 0);
COMMENT ON COLUMN report_answers.gathered_ms IS
	'How long its gathering took, in milliseconds, from its turn on the '
	'database to its answer: the next one of its key waits a few times '
	'this after it was kept.';
