#!/bin/sh
# Print conf/dev.conf for a given port and state folder (instead of var):
#   render-conf.sh PORT VARDIR
set -eu
port=$1
vardir=$2
sed -e "s|^\([[:space:]]*bind 127\.0\.0\.1\) 8888$|\1 $port|" \
    -e "s|\([[:space:]]\)var/|\1$vardir/|" conf/dev.conf
