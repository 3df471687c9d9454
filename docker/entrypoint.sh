#!/bin/sh
# The image's entry point (docker/Dockerfile). The first argument says what this container is:
#   setup   the migration job: migrate the shared and tenant schemas, then trust the identity
#           provider named by EKINERJA_TRUST_ISSUER / EKINERJA_TRUST_JWKS_URI (idempotent:
#           every release runs it before the new api and worker start)
#   api     the GraphQL service (`ekinerja serve`; EKINERJA_WORKERS processes)
#   worker  webhooks, import jobs and the national figures (`ekinerja worker`)
# Anything else runs as given, e.g. `ekinerja tenants list`. Every command is a plain argument
# list here, so no shell folds or splits it (issue 18: the compose file's folded command broke).
set -eu

role="${1:-api}"
[ "$#" -gt 0 ] && shift

case "$role" in
setup)
    if [ -n "${EKINERJA_TRUST_ISSUER:-}" ]; then  # refused before anything is changed
        : "${EKINERJA_TRUST_JWKS_URI:?EKINERJA_TRUST_JWKS_URI must name the issuer's JWKS}"
    fi
    ekinerja migrate
    if [ -n "${EKINERJA_TRUST_ISSUER:-}" ]; then
        ekinerja idp add "$EKINERJA_TRUST_ISSUER" \
            --jwks-uri "$EKINERJA_TRUST_JWKS_URI" \
            --nip-claim "${EKINERJA_TRUST_NIP_CLAIM:-nip}" \
            --roles-claim "${EKINERJA_TRUST_ROLES_CLAIM:-realm_access.roles}"
    fi
    ;;
api)
    exec ekinerja serve "$@"
    ;;
worker)
    exec ekinerja worker "$@"
    ;;
*)
    exec "$role" "$@"
    ;;
esac
