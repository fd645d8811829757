-- Background work gives way to requests on the database server's cores.
--
-- The portal gathers a report in a thread of its own at the least CPU
-- priority (app/report_task.c), and asks the backends of that thread's
-- connections to give way as well, once a connection: backend_give_way().
--
-- On Linux a backend's nice value alone does not do it. With autogroups
-- (kernel.sched_autogroup_enabled, on by default in Debian, for every
-- process the cpu controller of cgroups does not place) the scheduler
-- shares the cores between sessions first, and every PostgreSQL backend
-- is a session of its own (the postmaster's children call setsid()): a
-- backend's nice changes nothing against the other backends. Its
-- session's nice does, which a process may set between 0 and 19 by
-- writing it to /proc/self/autogroup (for a process without
-- CAP_SYS_ADMIN, once a tenth of a second on the whole machine: hence
-- the few tries). Where the cpu controller places the backends (a
-- systemd unit with CPUWeight= or CPUQuota=, say) autogroups do not
-- apply, a backend's plain nice would, and this function does not set it:
-- there the work competes as an equal.
--
-- A parallel query's workers are sessions of their own, at their own
-- priority: a backend that gives way runs its queries without them.
--
-- Writing a server file takes a superuser (or pg_write_server_files): the
-- function runs as its owner, the role that ran this migration, and does
-- that one thing. Where its owner may not, or the kernel has no
-- autogroups, or another operating system, it says false and the work
-- competes with requests as an equal, as before. On a replica the
-- function comes with the primary's catalogue and acts on the replica's
-- own backend.

CREATE FUNCTION backend_give_way() RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog AS $$
DECLARE
	tries integer := 0;
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', '0', false);
	LOOP
		BEGIN
			COPY (SELECT 19) TO '/proc/self/autogroup';
			RETURN true;
		EXCEPTION
		WHEN insufficient_privilege OR undefined_file THEN
			RETURN false;
		WHEN OTHERS THEN
			-- another process set its priority less than a tenth
			-- of a second ago
			tries := tries + 1;
			IF tries >= 5 THEN
				RETURN false;
			END IF;
			PERFORM pg_sleep(0.11);
		END;
	END LOOP;
END
$$;
REVOKE ALL ON FUNCTION backend_give_way() FROM PUBLIC;
COMMENT ON FUNCTION backend_give_way() IS
	'For background work (a report''s gathering): this backend gives way '
	'to the others on busy cores, at the least CPU priority (its '
	'autogroup''s nice set to 19) and without parallel workers. False '
	'where its priority could not be set: the function''s owner may not '
	'write server files, or the kernel has no autogroups.';
