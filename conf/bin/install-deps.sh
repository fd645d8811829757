#!/bin/sh
# Installs the Debian packages the portal needs to build, run and be tested,
# when any is missing. Uses sudo when not run as root. Nothing is downloaded
# from anywhere but Debian's archive (and npm, by the Makefile, for assets).
set -eu

PACKAGES="
build-essential pkg-config
kore libpq-dev postgresql postgresql-contrib
libgsl-dev libcjson-dev libcriterion-dev libsodium-dev libcsv-dev libcurl4-openssl-dev
nodejs npm chromium
nginx openssl ssl-cert curl john-data systemd
python3 python3-aiosmtpd python3-icalendar python3-scipy poppler-utils
wrk
"

missing=""
for p in $PACKAGES; do
	# nodejs and npm may come from elsewhere than Debian (npm bundled in
	# nodejs): accept the commands when present.
	case "$p" in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo "Installing missing packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
else
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q $missing
