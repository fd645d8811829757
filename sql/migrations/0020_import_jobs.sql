-- Imports off the request path: an attendance history upload is answered
-- at once (202) with a job, and imported in a thread of its own with its
-- own database connections (app/import_task.c); the coordinator's page
-- polls the job for its progress and, at the end, what was made or the
-- rows it refused. The file itself is not kept here: the thread holds it.

CREATE TABLE import_jobs (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('attendance')),
	requested_by	bigint NOT NULL REFERENCES people (id),
	status		text NOT NULL DEFAULT 'running'
			CHECK (status IN ('running', 'done', 'refused', 'failed')),
	step		int NOT NULL DEFAULT 0 CHECK (step >= 0),
	steps		int NOT NULL CHECK (steps > 0 AND step <= steps),
	rows		int CHECK (rows >= 0),
	result		jsonb,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX import_jobs_created ON import_jobs (created_at);
COMMENT ON TABLE import_jobs IS
	'Uploads imported in the background: one a POST of an import, '
	'polled by its coordinator until it is no longer running.';
COMMENT ON COLUMN import_jobs.id IS 'The job, as its Location names it.';
COMMENT ON COLUMN import_jobs.kind IS
	'What is imported: attendance (history). [not personal]';
COMMENT ON COLUMN import_jobs.requested_by IS 'The coordinator who sent the file.';
COMMENT ON COLUMN import_jobs.status IS
	'running; done (imported); refused (nothing imported: the problems '
	'are in result); failed (the database could not finish it). '
	'[not personal]';
COMMENT ON COLUMN import_jobs.step IS
	'Steps done of steps: reading the file, waiting for another import, '
	'then each statement of the import.';
COMMENT ON COLUMN import_jobs.steps IS 'How many steps the import takes.';
COMMENT ON COLUMN import_jobs.rows IS 'Rows of the file, once read.';
COMMENT ON COLUMN import_jobs.result IS
	'At the end: what was made (done), {"rows":[{line,field,message}]} or '
	'{"unknown_agencies","unknown_group_levels"} (refused), or '
	'{"message"} (failed): line numbers, fields, the checks'' messages, '
	'agency and level names, never a person''s details. [not personal]';
COMMENT ON COLUMN import_jobs.created_at IS 'When the file was sent.';
COMMENT ON COLUMN import_jobs.updated_at IS
	'The last sign of life of the thread importing it: a job running '
	'with none for 10 minutes is reported failed (its worker stopped).';
COMMENT ON COLUMN import_jobs.finished_at IS 'When it ended, NULL while running.';
