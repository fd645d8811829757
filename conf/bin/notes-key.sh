#!/bin/sh
# The key of DSL supervision case notes (see app/notes.h): create FILE
# with a new random 256-bit key, as 64 hexadecimal digits readable by its
# owner only (mode 0600), unless it exists already. Never overwrite a key:
# the case notes sealed under it would be lost.
#   notes-key.sh FILE
set -eu
file=$1
if [ -e "$file" ]; then
	exit 0
fi
mkdir -p "$(dirname "$file")"
umask 077
tmp="$file.new.$$"
head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$tmp"
echo >>"$tmp"
mv "$tmp" "$file"
echo "portal: created the case notes key $file (keep a copy apart from the database's backups)"
