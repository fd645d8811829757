#!/bin/sh
# Run each Criterion unit test binary; fail on any failing test and on any
# sanitizer report (Criterion alone does not fail on a leak).
set -u
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "$@"; do
	out=$("$t" --jobs 1 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^\[----\]' | tail -n 3
	if [ "$rc" -ne 0 ] || printf '%s' "$out" |
	    grep -q "ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:"; then
		printf '%s\n' "$out" | tail -n 60
		echo "FAILED: $t"
		status=1
	fi
done
exit $status
