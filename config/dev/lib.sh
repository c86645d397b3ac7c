# shellcheck shell=bash
# Helpers shared by the config/dev scripts. Source it; don't run it.

# The repository root, whatever directory the caller started in (used by the scripts
# that source this file).
# shellcheck disable=SC2034
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034
VAR_DIR="$REPO_ROOT/var"
VENV_DIR="$REPO_ROOT/.venv"

# Nothing these scripts run may stop to ask a question: CI has no standard input.
export DEBIAN_FRONTEND=noninteractive
export PIP_NO_INPUT=1
export PIP_DISABLE_PIP_VERSION_CHECK=1
# Progress bars in var/pip-install.log make the 10 s progress line show a cut bar, not a package.
export PIP_PROGRESS_BAR=off
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false
# Browser tests drive Debian's /usr/bin/chromium; no package may fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUPPETEER_SKIP_DOWNLOAD=1

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf '==> warning: %s\n' "$*" >&2; }
die() {
	printf '==> error: %s\n' "$*" >&2
	exit 1
}

is_root() { [[ "$(id -u)" -eq 0 ]]; }

have() { command -v "$1" >/dev/null 2>&1; }

# Run a command as the `postgres` OS user when we are root (initdb and pg_ctl refuse
# to run as root), otherwise as ourselves. From / so that a checkout inside a home
# the postgres user can't enter doesn't make it complain about its working directory.
as_postgres() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# True when process $1 is running (a zombie, dead but not yet reaped, doesn't count).
pid_alive() {
	[[ "$1" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$1" 2>/dev/null || return 1
	if [[ -r "/proc/$1/stat" ]]; then
		local stat
		stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
		# The state letter follows the parenthesised command name.
		stat="${stat##*) }"
		[[ "${stat:0:1}" != Z ]]
	fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	python3 - <<'PY'
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

# One hash of the contents and names of every file under a directory, skipping
# node_modules, so a stamp can tell whether anything changed since the last build.
tree_hash() {
	local dir="$1"
	(
		cd "$dir" || exit 1
		find . -name node_modules -prune -o -type f -print0 |
			LC_ALL=C sort -z |
			xargs -0 -r sha256sum |
			sha256sum | cut -d' ' -f1
	)
}

file_hash() { sha256sum "$1" | cut -d' ' -f1; }

# A service URL fit for a log: any password replaced by ***.
redact_url() {
	printf '%s\n' "$1" | sed -E 's#^([a-z0-9+.-]+://[^:/@]*:)[^@]*@#\1***@#'
}

# run_progress LOGFILE LABEL TOTAL PATTERN CMD...: run CMD (in the foreground, so Ctrl-C
# reaches it) with its output appended to LOGFILE, printing every 10 s the seconds so far,
# how many log lines matching PATTERN it has added out of TOTAL (when TOTAL > 0), and its
# latest line; then how long it took. Returns CMD's exit status.
run_progress() {
	local logfile="$1" label="$2" total="$3" pattern="$4"
	shift 4
	local start=$SECONDS parent=$$ before rc=0 ticker
	mkdir -p "$(dirname "$logfile")"
	printf '\n===== %s  %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*" >>"$logfile"
	before="$(grep -c -E "$pattern" "$logfile" || true)"
	(
		# Stops by itself within 10 s if the script is killed before it can stop it.
		while sleep 10 && kill -0 "$parent" 2>/dev/null; do
			local line count=""
			line="$(tail -n 1 "$logfile" 2>/dev/null | tr -d '\r' | cut -c1-70)"
			if ((total > 0)); then
				count="$(($(grep -c -E "$pattern" "$logfile" || true) - before))/$total, "
			fi
			printf '    ... %s: %d s, %s%s\n' "$label" "$((SECONDS - start))" "$count" "$line" >&2
		done
	) &
	ticker=$!
	"$@" >>"$logfile" 2>&1 || rc=$?
	kill "$ticker" 2>/dev/null || true
	wait "$ticker" 2>/dev/null || true
	if ((rc == 0)); then
		log "$label: done in $((SECONDS - start)) s"
	fi
	return "$rc"
}

# Put the project's virtualenv first on PATH for everything that follows.
venv_activate() {
	[[ -x "$VENV_DIR/bin/python" ]] || die ".venv is missing: run 'make bootstrap' first"
	export VIRTUAL_ENV="$VENV_DIR"
	export PATH="$VENV_DIR/bin:$PATH"
}
