#!/bin/sh
# Writes the one login PgBouncer accepts (the service's, from the environment) to a file only
# this user can read, then runs PgBouncer in the foreground with docker/pgbouncer/pgbouncer.ini.
set -eu
: "${PGBOUNCER_USER:?PGBOUNCER_USER must name the service's database user}"
: "${PGBOUNCER_PASSWORD:?PGBOUNCER_PASSWORD must be the service's database password}"
umask 077
mkdir -p /tmp/pgbouncer
printf '"%s" "%s"\n' "$PGBOUNCER_USER" "$PGBOUNCER_PASSWORD" > /tmp/pgbouncer/userlist.txt
exec pgbouncer "${PGBOUNCER_CONFIG:-/etc/pgbouncer/pgbouncer.ini}"
