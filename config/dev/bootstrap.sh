#!/usr/bin/env bash
# Bring a machine up to what `make run` / `make test` need. Idempotent and quick when
# nothing changed.
#
#   config/dev/bootstrap.sh [--browser] [--force-assets] [STEP...]
#
# STEPs (default: all three, in this order):
#   packages  Debian packages: installed when root and missing (one `apt-get update`,
#             only if something is missing); when not root, listed, and then an error
#             (set BOOTSTRAP_SKIP_PACKAGES=1 to go on without them)
#   venv      .venv with Python >= 3.11 ($PYTHON, default python3); the pinned, hashed
#             requirements/dev-lock.txt then `pip install --no-deps -e .`, only when
#             pyproject.toml or the lock changed since the last install
#   assets    `npm ci && npm run build` in static/src, only when static/src changed since
#             the last build or static/dist is missing (--force-assets: always)
# --browser adds Debian's chromium (for the Playwright browser tests).
set -euo pipefail

# shellcheck source=config/dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PYTHON="${PYTHON:-python3}"
PIP_STAMP="$VENV_DIR/.bootstrap-lock.sha256"
ASSETS_SRC="$REPO_ROOT/static/src"
ASSETS_DIST="$REPO_ROOT/static/dist"
ASSETS_STAMP="$VAR_DIR/.stamps/assets.sha256"

# -------------------------------------------------------------------- packages ----

# Debian package -> a test that is true when what we need from it is already here by other
# means. nodejs and npm are judged by their commands: NodeSource's nodejs carries npm,
# and asking apt for Debian's npm beside it would fight over /usr/bin/npm.
package_present() {
	local name="$1"
	case "$name" in
	nodejs) have node && return 0 ;;
	npm) have npm && return 0 ;;
	redis-server) have redis-server && return 0 ;;
	chromium) [[ -x /usr/bin/chromium ]] && return 0 ;;
	python3) have python3 && return 0 ;;
	python3-venv) have python3 && python3 -c 'import ensurepip, venv' 2>/dev/null && return 0 ;;
	postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && return 0 ;;
	esac
	have dpkg-query || return 1
	[[ "$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null)" == "install ok installed" ]]
}

# apt_install PACKAGE...: one `apt-get update` per bootstrap, then a non-interactive install
# whose output is appended to var/apt-install.log, with progress every 10 s.
_APT_UPDATED=""
apt_install() {
	local log_file="$VAR_DIR/apt-install.log" total
	if [[ -z "$_APT_UPDATED" ]]; then
		log "apt-get update (usually 5-30 s)"
		run_progress "$log_file" "apt-get update" 0 '^$' apt-get update -q || {
			tail -n 30 "$log_file" >&2
			die "apt-get update failed (log: var/apt-install.log)"
		}
		_APT_UPDATED=1
	fi
	# How many packages apt will set up, dependencies included, so progress can say "n/total".
	total="$(apt-get install -s -qq "$@" 2>/dev/null | grep -c '^Inst ' || true)"
	log "apt-get install $* ($total packages with their dependencies; on a fresh Debian 12 the" \
		"whole list takes about 3-4 minutes)"
	# Each package is downloaded, unpacked and set up: count all three steps, so the count
	# moves during the long download and unpack, not only at the end.
	run_progress "$log_file" "apt-get install (steps: download, unpack, set up)" \
		"$((total * 3))" '^(Get:[0-9]+ |Unpacking |Setting up )' \
		apt-get install -y -q -o Dpkg::Use-Pty=0 "$@" || {
		tail -n 30 "$log_file" >&2
		die "apt-get install $* failed (log: var/apt-install.log)"
	}
}

step_packages() {
	local -a wanted=(
		# The interpreter and its venv module (Debian ships ensurepip separately).
		python3 python3-venv
		postgresql redis-server
		# WeasyPrint's native libraries, and Arial-metric fonts so PDFs lay out the same everywhere.
		libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation
		nodejs npm
	)
	if [[ -n "$WITH_BROWSER" ]]; then
		wanted+=(chromium)
	fi
	local -a missing=()
	local name
	for name in "${wanted[@]}"; do
		package_present "$name" || missing+=("$name")
	done
	if ((${#missing[@]} == 0)); then
		log "packages: all present"
		return 0
	fi
	if [[ -n "${BOOTSTRAP_SKIP_PACKAGES:-}" ]]; then
		warn "packages missing, going on without them (BOOTSTRAP_SKIP_PACKAGES): ${missing[*]}"
		return 0
	fi
	if ! is_root; then
		die "Debian packages missing: ${missing[*]}
    install them with:  sudo apt-get install ${missing[*]}
    (or set BOOTSTRAP_SKIP_PACKAGES=1 to go on without them)"
	fi
	have apt-get || die "packages missing (${missing[*]}) and no apt-get to install them with"
	apt_install "${missing[@]}"
}

# -------------------------------------------------------------------- venv --------

python_ok() {
	"$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

step_venv() {
	if [[ -e "$VENV_DIR" && ! -x "$VENV_DIR/bin/python" ]]; then
		warn ".venv is broken (no bin/python); recreating it"
		rm -rf "$VENV_DIR"
	fi
	if [[ ! -d "$VENV_DIR" ]]; then
		have "$PYTHON" || die "$PYTHON not found: install Python 3.11 or newer (or set PYTHON)"
		python_ok "$PYTHON" ||
			die "$PYTHON is $("$PYTHON" --version 2>&1); this project needs Python 3.11 or newer (set PYTHON=python3.X)"
		log "venv: creating .venv with $("$PYTHON" --version 2>&1) (about 5 s)"
		if ! "$PYTHON" -m venv "$VENV_DIR" >/dev/null 2>&1; then
			rm -rf "$VENV_DIR"
			# Debian splits venv/ensurepip out of python3 itself.
			if is_root && have apt-get && ! package_present python3-venv; then
				apt_install python3-venv
				"$PYTHON" -m venv "$VENV_DIR" || die "could not create .venv with $PYTHON"
			else
				die "could not create .venv with '$PYTHON -m venv' (on Debian: apt-get install python3-venv)"
			fi
		fi
	fi
	python_ok "$VENV_DIR/bin/python" ||
		die ".venv has $("$VENV_DIR/bin/python" --version 2>&1); remove it (rm -rf .venv) and run again with Python >= 3.11"

	local want lock="$REPO_ROOT/requirements/dev-lock.txt" count
	want="$(cat "$REPO_ROOT/pyproject.toml" "$lock" 2>/dev/null | sha256sum | cut -d' ' -f1)"
	if [[ -f "$PIP_STAMP" && "$(cat "$PIP_STAMP")" == "$want" ]]; then
		log "venv: dependencies up to date"
		return 0
	fi
	mkdir -p "$VAR_DIR"
	local pip_log="$VAR_DIR/pip-install.log"
	if [[ -f "$lock" ]]; then
		count="$(grep -c -E '^[A-Za-z0-9._-]+==' "$lock" || true)"
		log "venv: pip install -r requirements/dev-lock.txt ($count pinned packages, checked" \
			"against their hashes; about 1-2 minutes the first time)"
		run_progress "$pip_log" "pip install" "$count" '^(Collecting|Processing|Requirement already satisfied)' \
			"$VENV_DIR/bin/python" -m pip install --require-hashes -r "$lock" || {
			tail -n 30 "$pip_log" >&2
			die "pip install -r requirements/dev-lock.txt failed (log: var/pip-install.log)"
		}
		log "venv: pip install --no-deps -e ."
		run_progress "$pip_log" "pip install -e ." 0 '^$' \
			"$VENV_DIR/bin/python" -m pip install --no-deps -e "$REPO_ROOT" || {
			tail -n 30 "$pip_log" >&2
			die "pip install --no-deps -e . failed (log: var/pip-install.log)"
		}
	else
		warn "requirements/dev-lock.txt is missing: installing unpinned from pyproject.toml"
		run_progress "$pip_log" "pip install -e .[dev]" 0 '^$' \
			"$VENV_DIR/bin/python" -m pip install -e "$REPO_ROOT[dev]" || {
			tail -n 30 "$pip_log" >&2
			die "pip install -e '.[dev]' failed (log: var/pip-install.log)"
		}
	fi
	printf '%s\n' "$want" >"$PIP_STAMP"
}

# -------------------------------------------------------------------- assets ------

step_assets() {
	if [[ ! -f "$ASSETS_SRC/package.json" ]]; then
		if [[ -n "$FORCE_ASSETS" ]]; then
			die "static/src/package.json not found: nothing to build"
		fi
		warn "static/src/package.json not found yet; skipping the asset build"
		return 0
	fi
	local want
	want="$(tree_hash "$ASSETS_SRC")"
	if [[ -z "$FORCE_ASSETS" && -d "$ASSETS_DIST" && -f "$ASSETS_STAMP" &&
		"$(cat "$ASSETS_STAMP")" == "$want" ]]; then
		log "assets: up to date"
		return 0
	fi
	have npm || die "npm not found: install Debian's nodejs and npm (make bootstrap does, as root)"
	[[ -f "$ASSETS_SRC/package-lock.json" ]] ||
		die "static/src/package-lock.json is missing: 'npm ci' needs it (run 'npm install' in static/src once and commit the lock file)"
	log "assets: npm ci && npm run build (static/src changed)"
	(
		cd "$ASSETS_SRC"
		npm ci --no-audit --no-fund --loglevel=error
		npm run build --silent
	) || die "the asset build failed"
	mkdir -p "$(dirname "$ASSETS_STAMP")"
	# Hash again: npm ci may have touched files under static/src outside node_modules.
	tree_hash "$ASSETS_SRC" >"$ASSETS_STAMP"
}

# -------------------------------------------------------------------- main --------

WITH_BROWSER=""
FORCE_ASSETS=""
steps=()
for arg in "$@"; do
	case "$arg" in
	--browser) WITH_BROWSER=1 ;;
	--force-assets) FORCE_ASSETS=1 ;;
	packages | venv | assets) steps+=("$arg") ;;
	*) die "unknown argument: $arg (see the top of $0)" ;;
	esac
done
if ((${#steps[@]} == 0)); then
	steps=(packages venv assets)
fi

mkdir -p "$VAR_DIR"
for step in "${steps[@]}"; do
	"step_$step"
done
