/*
 * walkin: the rule for adding walk-ins to a session's register.
 */
#include "walkin.h"

/*
 * Whether a walk-in may be added now (`now`, Unix seconds) to a session
 * that starts at `starts_at` and ends at `ends_at` (Unix seconds), which
 * is still scheduled when `scheduled` is set, by a coordinator when
 * `coordinator` is set and otherwise by one of its trainers.
 */
enum walkin_rule
walkin_register_rule(long long starts_at, long long ends_at, long long now,
    int scheduled, int coordinator)
{
	if (!scheduled || now < starts_at)
		return (WALKIN_NOT_STARTED);
	if (coordinator)
		return (WALKIN_OPEN);
	if (ends_at < starts_at)
		ends_at = starts_at;
	if (now >= ends_at + (long long)WALKIN_REGISTER_DAYS * 86400)
		return (WALKIN_CLOSED);
	return (WALKIN_OPEN);
}
