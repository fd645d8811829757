#!/bin/sh
# The layers of ARCHITECTURE.md, checked: none of the files named on the
# command line (the Kore-free modules, portalctl's files and stats/) may
# include a Kore header, directly or through another header. The
# preprocessor follows every #include; a Kore header in its list fails the
# check with the file and the header named.
#
#   sh tests/tools/check-layers.sh app/text.c stats/stats_paired.c ...
set -u
cc=${CC:-cc}
status=0
for f in "$@"; do
	deps=$("$cc" -M -Istats -iquote app -I/usr/include/postgresql "$f" 2>&1)
	if [ $? -ne 0 ]; then
		printf '%s\n' "$deps" >&2
		echo "check-layers: $f: cannot be preprocessed without Kore's flags" >&2
		status=1
		continue
	fi
	kore=$(printf '%s\n' "$deps" | tr ' \\' '\n\n' | grep '/kore/' | sort -u)
	if [ -n "$kore" ]; then
		echo "check-layers: $f is Kore-free but includes" $kore >&2
		status=1
	fi
done
[ "$status" -eq 0 ] || echo "check-layers: a Kore-free file includes Kore (see ARCHITECTURE.md, Layers)" >&2
exit $status
