-- A report's gathering gives way to bookings and sign-ins on the
-- database's cores too.
--
-- The portal gathers a report in a thread of its own, at the lowest CPU
-- priority (app/report_task.c), and asks its connections' backends to run
-- at that priority as well: backend_nice(). PostgreSQL cannot change a
-- backend's priority by itself; the prioritize extension (Debian's
-- postgresql-15-prioritize, which conf/bin/install-deps.sh installs) can,
-- and lets a role lower, never raise, the priority of its own backends.
--
-- Creating the extension needs a superuser: this migration creates it when
-- it runs as one and the server has it (the portal's own cluster under
-- var/, the tests' clusters). Elsewhere an administrator may run
-- `CREATE EXTENSION prioritize;` in the portal's database at any time;
-- until then backend_nice() answers false and gatherings compete with
-- bookings as equals. On a replica the extension comes with the primary's
-- catalogue, but its library must be installed there as well.

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_available_extensions
	            WHERE name = 'prioritize')
	   AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
		CREATE EXTENSION IF NOT EXISTS prioritize;
	END IF;
END
$$;

CREATE FUNCTION backend_nice(p_nice integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE
-- set_backend_priority() says what it did as a NOTICE: not to the portal's log
SET client_min_messages = warning AS $$
DECLARE
	ext_schema	name;
	done		boolean;
BEGIN
	SELECT n.nspname INTO ext_schema
	  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
	 WHERE e.extname = 'prioritize';
	IF ext_schema IS NULL THEN
		RETURN false;
	END IF;
	EXECUTE format('SELECT %I.set_backend_priority(pg_backend_pid(), $1)',
	               ext_schema)
	   INTO done USING p_nice;
	RETURN coalesce(done, false);
EXCEPTION WHEN undefined_file OR undefined_function OR insufficient_privilege
	THEN
	-- the library missing on this server (a replica without the package)
	RETURN false;
END
$$;
COMMENT ON FUNCTION backend_nice(integer) IS
	'Lower this backend''s CPU priority to the nice value given (1 to 19: '
	'a report''s gathering), through the prioritize extension; false, and '
	'nothing changed, without it (migration 0029).';
