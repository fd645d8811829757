-- Joining details of a session held online (a link and any code): for
-- its confirmed delegates only, in their booking, its mail and calendar
-- invitation; never in what the public or the waitlist sees.

ALTER TABLE sessions ADD COLUMN joining_details text
	CHECK (joining_details IS NULL OR
	       (length(joining_details) BETWEEN 1 AND 1000));
COMMENT ON COLUMN sessions.joining_details IS
	'How to join an online session (a link, any code), shown to confirmed '
	'delegates only; NULL for none. [not personal]';
