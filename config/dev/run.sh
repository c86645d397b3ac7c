#!/usr/bin/env bash
# `make run` and `make bench`: the app on this machine, from nothing.
#
#   config/dev/run.sh            bootstrap, services, migrate, demo_load, assets, then web +
#                                worker + beat under honcho until Ctrl-C
#   config/dev/run.sh bench      the same up to the assets, then `manage.py benchmark_all`
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
serving=""

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
# Ctrl-C while serving is the normal way to stop: exit 0 once everything is stopped. During
# the set-up, and on HUP or TERM, exit with the conventional 128+N. EXIT does the rest.
on_interrupt() {
	if [[ -n "$serving" ]]; then
		log "Ctrl-C: stopping web, worker and beat"
		exit 0
	fi
	exit 130
}
trap 'exit 129' HUP
trap on_interrupt INT
trap 'exit 143' TERM

# The user that web, worker and beat run as when this script runs as root.
RUN_USER="${RUN_USER:-allocations}"

# Print the command prefix that runs a process as $RUN_USER ("" when not root, or when that
# user can't be had or can't reach the checkout: then everything runs as root, and says why).
run_as_prefix() {
	is_root || return 0
	if ! id -u "$RUN_USER" >/dev/null 2>&1; then
		if have useradd &&
			useradd --system --user-group --no-create-home --home-dir /nonexistent \
				--shell /usr/sbin/nologin "$RUN_USER" >/dev/null 2>&1; then
			log "created the system user $RUN_USER to run web, worker and beat"
		else
			warn "could not create the system user $RUN_USER; web, worker and beat run as root"
			return 0
		fi
	fi
	# setpriv (util-linux) execs the command as the user: signals reach it directly, no
	# session in between to print "Session terminated" on the way out.
	have setpriv || {
		warn "setpriv not found; web, worker and beat run as root"
		return 0
	}
	local -a as_user=(setpriv "--reuid=$RUN_USER" "--regid=$RUN_USER" --init-groups)
	# What the processes write: media (uploads, PDFs), beat's schedule, test mail, logs.
	mkdir -p "$VAR_DIR/media" "$VAR_DIR/run"
	chown -R "$RUN_USER:" "$VAR_DIR/media" "$VAR_DIR/run" 2>/dev/null || true
	# Through env, as the Procfile starts them: setpriv's own exec can still reach an
	# interpreter behind root's private home that the processes' exec then cannot.
	if ! (cd / && "${as_user[@]}" env "$VENV_DIR/bin/python" -c \
		'import os, sys; sys.exit(not (os.access(sys.argv[1], os.R_OK) and os.access(sys.argv[2], os.W_OK) and os.access(sys.argv[3], os.W_OK)))' \
		"$REPO_ROOT/manage.py" "$VAR_DIR/media" "$VAR_DIR/run") >/dev/null 2>&1; then
		warn "the user $RUN_USER can't run .venv/bin/python or read this checkout ($REPO_ROOT:" \
			"a parent directory, such as root's home, isn't open to other users), so web," \
			"worker and beat run as root (Celery will warn about it). Clone the repository" \
			"outside /root (e.g. under /srv or /opt) to run them as $RUN_USER."
		return 0
	fi
	log "web, worker and beat run as the user $RUN_USER"
	# HOME: WeasyPrint's fontconfig and the like want a writable cache directory.
	printf '%s env HOME=%s\n' "${as_user[*]}" "$VAR_DIR/run"
}

cd "$REPO_ROOT"
bash "$DEV_DIR/bootstrap.sh" packages venv
venv_activate
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
mkdir -p "$VAR_DIR" "$VAR_DIR/run"

services_kept_up
# migrate as the owner; everything else as the application's role, which owns nothing.
database_roles_setup
log "DATABASE_URL=$(redact_url "$DATABASE_URL")"
log "REDIS_URL=$(redact_url "$REDIS_URL")"
log "DJANGO_SETTINGS_MODULE=$DJANGO_SETTINGS_MODULE"

log "manage.py migrate"
python manage.py migrate --no-input
log "manage.py demo_load"
python manage.py demo_load
bash "$DEV_DIR/bootstrap.sh" assets
# Only migrate needs the owner's credentials: web, worker, beat and the benchmark don't get them.
unset MIGRATION_DATABASE_URL

if [[ "$mode" == bench ]]; then
	# $BENCH_ARGS is split like shell words, so quoting inside it works as on a command line.
	bench_args=()
	eval "bench_args=(${BENCH_ARGS:-})"
	log "manage.py benchmark_all ${BENCH_ARGS:-}"
	python manage.py benchmark_all "${bench_args[@]}" "$@"
	exit 0
fi

# As root, web, worker and beat run as an unprivileged user (Celery warns against root).
RUN_AS="$(run_as_prefix)"
export RUN_AS
# honcho reads their output through a pipe, where Python holds back what they print (runserver's
# "Starting development server at ..." line, beat's banner) until they exit.
export PYTHONUNBUFFERED=1

log "starting web (http://127.0.0.1:${WEB_PORT:-8000}/), worker and beat; Ctrl-C stops everything"
# -e /dev/null: a top-level .env is for docker compose (production settings) and must not
# leak into the dev run; honcho would otherwise read it and let it override our env.
# In the background so that our trap runs at once on TERM; honcho sets its own SIGINT
# handler, so Ctrl-C at the terminal still reaches it.
serving=1
honcho -f config/dev/Procfile -d "$REPO_ROOT" -e /dev/null start &
honcho_pid=$!
rc=0
wait "$honcho_pid" || rc=$?
honcho_pid=""
exit "$rc"
