#!/usr/bin/env bash
# `make run` and `make bench`: the app on this machine, from nothing.
#
#   config/dev/run.sh            bootstrap, services, migrate, demo_load, assets, then web +
#                                worker + beat under honcho until Ctrl-C
#   config/dev/run.sh bench      the same up to the assets, then `manage.py benchmark_pages`
#                                ($BENCH_ARGS are passed on)
#
# PostgreSQL and Redis are started under var/ only when DATABASE_URL / REDIS_URL aren't
# given, and stopped again when this script ends, however it ends (Ctrl-C, TERM, an error).
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=config/dev/services.sh
source "$DEV_DIR/services.sh"

mode="${1:-serve}"
case "$mode" in
serve | bench) shift || true ;;
*) die "usage: $0 [serve|bench]" ;;
esac

honcho_pid=""

# shellcheck disable=SC2317  # called from the EXIT trap
on_exit() {
	local rc=$?
	trap - EXIT HUP INT TERM
	set +e
	if [[ -n "$honcho_pid" ]] && kill -0 "$honcho_pid" 2>/dev/null; then
		# honcho TERMs each process group it started, and KILLs what's left after 5 s.
		kill -TERM "$honcho_pid" 2>/dev/null
		wait "$honcho_pid" 2>/dev/null
	fi
	services_cleanup
	exit "$rc"
}
trap on_exit EXIT
# Exit with the conventional 128+N so `make` reports the interruption; EXIT does the rest.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$REPO_ROOT"
bash "$DEV_DIR/bootstrap.sh" packages venv
venv_activate
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
mkdir -p "$VAR_DIR"

services_kept_up
log "DATABASE_URL=$(redact_url "$DATABASE_URL")"
log "REDIS_URL=$(redact_url "$REDIS_URL")"
log "DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE"

log "manage.py migrate"
python manage.py migrate --no-input
log "manage.py demo_load"
python manage.py demo_load
bash "$DEV_DIR/bootstrap.sh" assets

if [[ "$mode" == bench ]]; then
	# $BENCH_ARGS is split like shell words, so quoting inside it works as on a command line.
	bench_args=()
	eval "bench_args=(${BENCH_ARGS:-})"
	log "manage.py benchmark_pages ${BENCH_ARGS:-}"
	python manage.py benchmark_pages "${bench_args[@]}" "$@"
	exit 0
fi

log "starting web (http://127.0.0.1:${WEB_PORT:-8000}/), worker and beat; Ctrl-C stops everything"
# -e /dev/null: a top-level .env is for docker compose (production settings) and must not
# leak into the dev run; honcho would otherwise read it and let it override our env.
# In the background so that our trap runs at once on TERM; honcho sets its own SIGINT
# handler, so Ctrl-C at the terminal still reaches it.
honcho -f config/dev/Procfile -d "$REPO_ROOT" -e /dev/null start &
honcho_pid=$!
rc=0
wait "$honcho_pid" || rc=$?
honcho_pid=""
exit "$rc"
