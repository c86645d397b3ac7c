#!/usr/bin/env bash
# Local PostgreSQL and Redis for development and tests.
#
# Sourced by run.sh and test.sh for its functions; run directly for the kept (var/)
# services:  config/dev/services.sh start|stop|status|clean
#
# Two kinds of service:
#   kept       `make run` / `make bench`: one cluster and one Redis under var/, on fixed
#              ports (54329 and 63799, clear of the system's 5432 and 6379), reused between
#              runs, stopped when the run ends.
#   throwaway  `make test`: a fresh initdb in a mktemp dir and a Redis that keeps nothing,
#              each on a random free port, removed afterwards whatever happens.
# Each is only started when DATABASE_URL / REDIS_URL are not already given.
set -euo pipefail

# shellcheck source=config/dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEV_PG_PORT="${DEV_PG_PORT:-54329}"
DEV_REDIS_PORT="${DEV_REDIS_PORT:-63799}"
PG_DATABASE="allocations"
THROWAWAY_PREFIX="allocations-test"

# What this process started, so that cleanup stops only that (a second `make run` that
# found the kept services already up leaves them to the run that started them).
_STARTED_PG_HOME=""
_STARTED_PG_THROWAWAY=""
_STARTED_REDIS_DIR=""
_STARTED_REDIS_PORT=""
_STARTED_REDIS_THROWAWAY=""
_THROWAWAY_DIR=""
# Set when kept services found already running were left by a run that is gone.
_ADOPT=""

# ---------------------------------------------------------------- PostgreSQL ------

pg_bindir() {
	if [[ -n "${PG_BINDIR:-}" ]]; then
		printf '%s\n' "$PG_BINDIR"
		return
	fi
	local dir
	dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
		sort -V | tail -n 1)"
	[[ -n "$dir" && -x "$dir/initdb" ]] ||
		die "PostgreSQL server binaries not found in /usr/lib/postgresql/<version>/bin: install Debian's 'postgresql' (make bootstrap does, as root), set PG_BINDIR, or give DATABASE_URL"
	printf '%s\n' "$dir"
}

# Make an empty directory belong to whoever will run PostgreSQL.
pg_own_dir() {
	mkdir -p "$1"
	if is_root; then
		chown postgres:postgres "$1"
	fi
	chmod 0700 "$1"
}

# Where the kept cluster lives. Normally var/postgres; when the postgres user can't reach
# var/ (a checkout inside a 0700 home, say), a directory under /var/tmp named after this
# checkout, with var/postgres a symlink to it so it's easy to find and `make clean` finds it.
pg_kept_home() {
	mkdir -p "$VAR_DIR"
	if [[ -L "$VAR_DIR/postgres" ]]; then
		readlink "$VAR_DIR/postgres"
	elif [[ -d "$VAR_DIR/postgres" ]] || as_postgres test -x "$VAR_DIR"; then
		printf '%s\n' "$VAR_DIR/postgres"
	else
		local outside
		outside="/var/tmp/allocations-dev-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-12)"
		warn "the postgres user can't reach $VAR_DIR (a parent directory isn't searchable" \
			"by it), so the kept cluster lives in $outside, linked from var/postgres"
		mkdir -p "$outside"
		chmod 0755 "$outside"
		ln -sfn "$outside" "$VAR_DIR/postgres"
		printf '%s\n' "$outside"
	fi
}

# pg_start HOME PORT FLAVOUR: initdb HOME/data if needed, start it, wait, create the database.
# FLAVOUR is "kept" or "throwaway" (the latter trades durability for speed).
pg_start() {
	local home="$1" port="$2" flavour="$3" bindir data sockdir
	bindir="$(pg_bindir)"
	data="$home/data"
	pg_own_dir "$home"
	if [[ ! -s "$data/PG_VERSION" ]]; then
		log "postgres: initdb $data"
		as_postgres "$bindir/initdb" --pgdata="$data" --username=postgres --auth=trust \
			--encoding=UTF8 --locale=C >"$home/initdb.log" 2>&1 ||
			{
				cat "$home/initdb.log" >&2
				die "initdb failed (log above)"
			}
	fi
	# A socket path longer than ~100 bytes is refused; then use TCP only.
	sockdir="$home"
	if ((${#sockdir} > 90)); then
		sockdir=""
	fi
	local -a opts=(
		-c "port=$port"
		-c "listen_addresses=127.0.0.1"
		-c "unix_socket_directories='$sockdir'"
		-c "max_connections=100"
	)
	if [[ "$flavour" == throwaway ]]; then
		# Tests don't need crash safety; these make them noticeably faster.
		opts+=(-c fsync=off -c synchronous_commit=off -c full_page_writes=off)
	fi
	if as_postgres "$bindir/pg_ctl" status --pgdata="$data" >/dev/null 2>&1; then
		if port_open "$port"; then
			log "postgres: already running on 127.0.0.1:$port ($data); reusing it"
			if [[ -n "$_ADOPT" && "$flavour" == kept ]]; then
				_STARTED_PG_HOME="$home"
			fi
			return 0
		fi
		die "postgres in $data is running but not on port $port: stop it with 'config/dev/services.sh stop'"
	fi
	if port_open "$port"; then
		die "port $port is taken by something else; set DEV_PG_PORT to another port, or give DATABASE_URL"
	fi
	log "postgres: starting on 127.0.0.1:$port ($flavour, $data)"
	# Recorded before the start so that a Ctrl-C during it still gets it stopped.
	if [[ "$flavour" == throwaway ]]; then
		_STARTED_PG_THROWAWAY="$home"
	else
		_STARTED_PG_HOME="$home"
	fi
	if ! as_postgres "$bindir/pg_ctl" start --pgdata="$data" --wait --timeout=60 --silent \
		--log="$home/postgres.log" --options="${opts[*]}"; then
		tail -n 20 "$home/postgres.log" >&2 || true
		die "postgres did not start (log: $home/postgres.log)"
	fi
	pg_create_database "$port"
}

pg_create_database() {
	local port="$1" psql
	psql="$(pg_bindir)/psql"
	if [[ "$("$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAc \
		"SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != 1 ]]; then
		log "postgres: creating database $PG_DATABASE"
		"$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Xqc \
			"CREATE DATABASE $PG_DATABASE" >/dev/null ||
			die "could not create the database $PG_DATABASE on 127.0.0.1:$port"
	fi
}

# pg_stop HOME: fast shutdown (immediate if that hangs); never touches any other cluster.
pg_stop() {
	local home="$1" data bindir
	data="$home/data"
	[[ -f "$data/postmaster.pid" ]] || return 0
	bindir="$(pg_bindir)"
	log "postgres: stopping ($data)"
	as_postgres "$bindir/pg_ctl" stop --pgdata="$data" --mode=fast --wait --timeout=30 \
		--silent >/dev/null 2>&1 ||
		as_postgres "$bindir/pg_ctl" stop --pgdata="$data" --mode=immediate --wait \
			--timeout=30 --silent >/dev/null 2>&1 ||
		warn "could not stop postgres in $data"
}

# ---------------------------------------------------------------- Redis -----------

redis_bin() {
	have redis-server ||
		die "redis-server not found: install Debian's 'redis-server' (make bootstrap does, as root), or give REDIS_URL"
	command -v redis-server
}

# redis_start DIR PORT FLAVOUR
redis_start() {
	local dir="$1" port="$2" flavour="$3" bin pid
	bin="$(redis_bin)"
	mkdir -p "$dir"
	if [[ -f "$dir/redis.pid" ]]; then
		pid="$(cat "$dir/redis.pid")"
		if pid_alive "$pid" && port_open "$port"; then
			log "redis: already running on 127.0.0.1:$port (pid $pid); reusing it"
			if [[ -n "$_ADOPT" && "$flavour" == kept ]]; then
				_STARTED_REDIS_DIR="$dir"
				_STARTED_REDIS_PORT="$port"
			fi
			return 0
		fi
		rm -f "$dir/redis.pid"
	fi
	if port_open "$port"; then
		die "port $port is taken by something else; set DEV_REDIS_PORT to another port, or give REDIS_URL"
	fi
	# Throwaway keeps nothing on disk; the kept one snapshots to var/redis/dump.rdb.
	local -a persistence=(--save "" --appendonly no)
	if [[ "$flavour" == kept ]]; then
		persistence=(--save "300 1" --appendonly no)
	fi
	printf '%s\n' "$port" >"$dir/port"
	log "redis: starting on 127.0.0.1:$port ($flavour, $dir)"
	_STARTED_REDIS_DIR="$dir"
	_STARTED_REDIS_PORT="$port"
	if [[ "$flavour" == throwaway ]]; then
		_STARTED_REDIS_THROWAWAY=1
	fi
	# --daemonize puts it in its own session, so a Ctrl-C at the terminal reaches only
	# our trap, which then shuts it down in order.
	"$bin" --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
		--pidfile "$dir/redis.pid" --logfile "$dir/redis.log" "${persistence[@]}"
	local i
	for ((i = 0; i < 100; i++)); do
		if redis_ping "$port"; then
			return 0
		fi
		sleep 0.1
	done
	tail -n 20 "$dir/redis.log" >&2 || true
	die "redis did not start (log: $dir/redis.log)"
}

redis_ping() {
	if have redis-cli; then
		[[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]
	else
		port_open "$1"
	fi
}

# redis_stop DIR PORT SAVE: SHUTDOWN through the port, else TERM the pid from its pidfile.
redis_stop() {
	local dir="$1" port="$2" save="$3" pid i
	[[ -f "$dir/redis.pid" ]] || return 0
	pid="$(cat "$dir/redis.pid")"
	if ! pid_alive "$pid"; then
		rm -f "$dir/redis.pid"
		return 0
	fi
	log "redis: stopping (127.0.0.1:$port, pid $pid)"
	if have redis-cli; then
		redis-cli -h 127.0.0.1 -p "$port" shutdown "$save" >/dev/null 2>&1 || true
	fi
	for ((i = 0; i < 50; i++)); do
		pid_alive "$pid" || return 0
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		pid_alive "$pid" || return 0
		sleep 0.1
	done
	warn "redis (pid $pid) ignored SHUTDOWN and TERM; killing it"
	kill -KILL "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- kept (var/) -----

# Start what isn't given, export DATABASE_URL / REDIS_URL, and remember what to stop.
# Kept services that a live run (or `services.sh start`) owns are shared and left running;
# ones left by a run that died outright (kill -9, a closed terminal) are adopted and
# stopped when this run ends.
services_kept_up() {
	local owner_file="$VAR_DIR/services.owner" owner=""
	mkdir -p "$VAR_DIR"
	[[ -f "$owner_file" ]] && owner="$(cat "$owner_file")"
	if [[ "$owner" == manual ]] || pid_alive "$owner"; then
		_ADOPT=""
	else
		_ADOPT=1
	fi
	if [[ -n "${DATABASE_URL:-}" ]]; then
		log "postgres: using the given DATABASE_URL"
	else
		pg_start "$(pg_kept_home)" "$DEV_PG_PORT" kept
		export DATABASE_URL="postgres://postgres@127.0.0.1:$DEV_PG_PORT/$PG_DATABASE"
	fi
	if [[ -n "${REDIS_URL:-}" ]]; then
		log "redis: using the given REDIS_URL"
	else
		redis_start "$VAR_DIR/redis" "$DEV_REDIS_PORT" kept
		export REDIS_URL="redis://127.0.0.1:$DEV_REDIS_PORT/0"
	fi
	if [[ -n "$_STARTED_PG_HOME$_STARTED_REDIS_DIR" ]]; then
		printf '%s\n' "${KEPT_OWNER:-$$}" >"$owner_file"
	fi
}

# Stop the kept services, whoever started them (for `services.sh stop` and `make clean`).
services_kept_stop_all() {
	local home=""
	if [[ -L "$VAR_DIR/postgres" ]]; then
		home="$(readlink "$VAR_DIR/postgres")"
	elif [[ -d "$VAR_DIR/postgres" ]]; then
		home="$VAR_DIR/postgres"
	fi
	if [[ -n "$home" ]] && have_pg_bindir; then
		pg_stop "$home"
	fi
	redis_stop "$VAR_DIR/redis" "$DEV_REDIS_PORT" save
	rm -f "$VAR_DIR/services.owner"
}

have_pg_bindir() { (pg_bindir >/dev/null 2>&1); }

# ---------------------------------------------------------------- throwaway -------

# Start throwaway services for what isn't given and export their URLs. The caller must
# `trap services_cleanup EXIT` first.
services_throwaway_up() {
	throwaway_reap_stale
	if [[ -z "${DATABASE_URL:-}" || -z "${REDIS_URL:-}" ]]; then
		local parent="${TMPDIR:-/tmp}"
		# The postgres user must reach the cluster: fall back to /tmp when TMPDIR is private.
		if is_root && ! as_postgres test -x "$parent" 2>/dev/null; then
			parent=/tmp
		fi
		_THROWAWAY_DIR="$(mktemp -d "$parent/$THROWAWAY_PREFIX.XXXXXXXX")"
		chmod 0755 "$_THROWAWAY_DIR"
		# Lets a later run remove what a killed run (kill -9) left behind.
		printf '%s\n' "$$" >"$_THROWAWAY_DIR/owner.pid"
	fi
	if [[ -n "${DATABASE_URL:-}" ]]; then
		log "postgres: using the given DATABASE_URL"
	else
		local port attempt home="$_THROWAWAY_DIR/postgres"
		_STARTED_PG_THROWAWAY="$home"
		for attempt in 1 2 3; do
			port="$(free_port)"
			# Something else may take the port between free_port and postgres' bind: retry.
			if (pg_start "$home" "$port" throwaway); then
				break
			fi
			pg_stop "$home"
			((attempt < 3)) || die "could not start a throwaway postgres"
		done
		export DATABASE_URL="postgres://postgres@127.0.0.1:$port/$PG_DATABASE"
	fi
	if [[ -n "${REDIS_URL:-}" ]]; then
		log "redis: using the given REDIS_URL"
	else
		local rport
		rport="$(free_port)"
		redis_start "$_THROWAWAY_DIR/redis" "$rport" throwaway
		export REDIS_URL="redis://127.0.0.1:$rport/0"
	fi
}

# Remove throwaway directories whose owning script is gone.
throwaway_reap_stale() {
	local dir owner
	for dir in "${TMPDIR:-/tmp}/$THROWAWAY_PREFIX".* /tmp/"$THROWAWAY_PREFIX".*; do
		[[ -d "$dir" && -f "$dir/owner.pid" ]] || continue
		owner="$(cat "$dir/owner.pid")"
		pid_alive "$owner" && continue
		log "removing services left behind by an earlier test run ($dir)"
		throwaway_destroy "$dir"
	done
}

throwaway_destroy() {
	local dir="$1"
	if [[ -f "$dir/postgres/data/postmaster.pid" ]] && have_pg_bindir; then
		pg_stop "$dir/postgres"
	fi
	if [[ -f "$dir/redis/port" ]]; then
		redis_stop "$dir/redis" "$(cat "$dir/redis/port")" nosave
	fi
	rm -rf "$dir"
}

# ---------------------------------------------------------------- roles -----------

# Split DATABASE_URL into two roles (config/kernel/database.py): MIGRATION_DATABASE_URL, the
# owner that `manage.py migrate` connects as, and DATABASE_URL, the application's role that
# owns nothing. Needs .venv (psycopg) and DATABASE_URL to be a superuser's (the throwaway or
# kept cluster's postgres, or CI's); with MIGRATION_DATABASE_URL given, both are used as they
# are; with a DATABASE_URL that is no superuser's, one role does everything (and says so).
database_roles_setup() {
	if [[ -n "${MIGRATION_DATABASE_URL:-}" ]]; then
		log "postgres: migrations as the given MIGRATION_DATABASE_URL, the application as DATABASE_URL"
		return 0
	fi
	local out rc=0 line
	out="$(python "$REPO_ROOT/config/dev/database_roles.py" "$DATABASE_URL")" || rc=$?
	if ((rc == 3)); then
		warn "DATABASE_URL's role is no superuser, so migrations and the application share it" \
			"(give MIGRATION_DATABASE_URL, the owner's, to run the application as a role that owns nothing)"
		return 0
	fi
	((rc == 0)) || die "could not make the database roles (config/dev/database_roles.py)"
	while IFS= read -r line; do
		case "$line" in
		MIGRATION_DATABASE_URL=*) export MIGRATION_DATABASE_URL="${line#*=}" ;;
		DATABASE_URL=*) export DATABASE_URL="${line#*=}" ;;
		esac
	done <<<"$out"
	log "postgres: migrations run as $(redact_url "$MIGRATION_DATABASE_URL")"
	log "postgres: the application runs as $(redact_url "$DATABASE_URL") (owns nothing)"
}

# ---------------------------------------------------------------- cleanup ---------

# Stop exactly what this process started; remove throwaway files. Safe to call twice.
services_cleanup() {
	set +e
	if [[ -n "$_STARTED_REDIS_DIR" ]]; then
		if [[ -n "$_STARTED_REDIS_THROWAWAY" ]]; then
			redis_stop "$_STARTED_REDIS_DIR" "$_STARTED_REDIS_PORT" nosave
		else
			redis_stop "$_STARTED_REDIS_DIR" "$_STARTED_REDIS_PORT" save
		fi
		_STARTED_REDIS_DIR=""
	fi
	if [[ -n "$_STARTED_PG_THROWAWAY" ]]; then
		pg_stop "$_STARTED_PG_THROWAWAY"
		_STARTED_PG_THROWAWAY=""
	fi
	if [[ -n "$_STARTED_PG_HOME" ]]; then
		pg_stop "$_STARTED_PG_HOME"
		_STARTED_PG_HOME=""
	fi
	if [[ -f "$VAR_DIR/services.owner" && "$(cat "$VAR_DIR/services.owner")" == "$$" ]]; then
		rm -f "$VAR_DIR/services.owner"
	fi
	if [[ -n "$_THROWAWAY_DIR" ]]; then
		rm -rf "$_THROWAWAY_DIR"
		_THROWAWAY_DIR=""
	fi
}

# ---------------------------------------------------------------- command line ----

services_main() {
	case "${1:-}" in
	start)
		# Started by hand: no run stops these; `services.sh stop` or `make clean` does.
		KEPT_OWNER=manual services_kept_up
		printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' "$DATABASE_URL" "$REDIS_URL"
		;;
	stop) services_kept_stop_all ;;
	status)
		local home
		home="$(pg_kept_home)"
		if [[ -f "$home/data/postmaster.pid" ]] && port_open "$DEV_PG_PORT"; then
			echo "postgres: running on 127.0.0.1:$DEV_PG_PORT ($home/data)"
		else
			echo "postgres: stopped"
		fi
		if redis_ping "$DEV_REDIS_PORT" && [[ -f "$VAR_DIR/redis/redis.pid" ]]; then
			echo "redis: running on 127.0.0.1:$DEV_REDIS_PORT"
		else
			echo "redis: stopped"
		fi
		;;
	clean)
		services_kept_stop_all
		throwaway_reap_stale
		if [[ -L "$VAR_DIR/postgres" ]]; then
			local outside
			outside="$(readlink "$VAR_DIR/postgres")"
			log "removing $outside"
			rm -rf "$outside"
		fi
		log "removing $VAR_DIR"
		rm -rf "$VAR_DIR"
		;;
	*)
		echo "usage: $0 start|stop|status|clean   (the kept services under var/)" >&2
		return 2
		;;
	esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	services_main "$@"
fi
