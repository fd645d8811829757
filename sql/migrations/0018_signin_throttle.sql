-- The sign-in throttle slows an address down instead of shutting it: a
-- council's or a trust's staff share one proxy address, and one person's
-- wrong passwords must not lock the rest out. An attempt counts against
-- its account from the moment it is reserved (so that a parallel burst
-- for one account gets no further than the limit), but against its
-- address only once its password was found wrong: a crowd signing in at
-- nine o'clock is not an attack. The rules are in app/throttle.h.

ALTER TABLE login_attempts ADD COLUMN failed_at timestamptz;

COMMENT ON TABLE login_attempts IS
	'Sign-in attempts, for throttling (app/throttle.h): 10 failures an '
	'account in 15 minutes refuse it; from 50 failures in 15 minutes an '
	'address is slowed (growing delays, 3 failures refuse an account), '
	'never shut. Each is recorded as failed before the password is '
	'checked, and marked succeeded or failed_at after.';
COMMENT ON COLUMN login_attempts.failed_at IS
	'When the password was found wrong (or the account unknown); NULL while '
	'it is checked and once it succeeded. Only these count for the address.';
