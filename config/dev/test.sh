#!/usr/bin/env bash
# `bash config/dev/test.sh` (`make test`): every check CI runs, on a machine that may have
# nothing yet but bash.
#
# Bootstrap (with Debian's chromium for the browser tests), then throwaway PostgreSQL and
# Redis unless DATABASE_URL / REDIS_URL are given, then:
#   ruff check . ; ruff format --check . ; manage.py makemigrations --check --dry-run ;
#   lint-imports (the contracts in pyproject.toml) ; mypy (the files in pyproject.toml) ;
#   python -m pytest -n $PYTEST_WORKERS $PYTEST_ARGS   (pytest-xdist: 2 processes by default;
#   PYTEST_WORKERS=1 runs in this process alone)
# Every check runs even when an earlier one fails, so one run shows everything; the exit
# code is non-zero if any failed. The throwaway services are removed whatever happens.
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=config/dev/services.sh
source "$DEV_DIR/services.sh"

on_exit() {
	local rc=$?
	trap - EXIT HUP INT TERM
	services_cleanup
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$REPO_ROOT"
bash "$DEV_DIR/bootstrap.sh" --browser
venv_activate
# The test settings whatever the shell says: pytest-django prefers the environment
# variable over pyproject's setting.
export DJANGO_SETTINGS_MODULE=config.settings.test

services_throwaway_up
# Tests connect as the owner (pytest-django creates and empties the test databases);
# tests/test_database_roles.py and the Celery workers the tests start connect as the
# application's role (config/settings/test.py).
database_roles_setup
log "DATABASE_URL=$(redact_url "$DATABASE_URL")"
log "REDIS_URL=$(redact_url "$REDIS_URL")"

failed=()
check() {
	local name="$1"
	shift
	log "$name"
	if "$@"; then
		return 0
	else
		local rc=$?
		# 130: interrupted; stop here rather than run the remaining checks.
		((rc == 130)) && exit 130
		failed+=("$name (exit $rc)")
	fi
}

check "ruff check ." ruff check .
check "ruff format --check ." ruff format --check .
check "makemigrations --check --dry-run" python manage.py makemigrations --check --dry-run
check "lint-imports (import contracts)" lint-imports --no-cache
check "mypy" mypy
# $PYTEST_ARGS is split like shell words, so `PYTEST_ARGS='-k "offer and not browser"'` works.
pytest_args=()
eval "pytest_args=(${PYTEST_ARGS:-})"
# Both cores: pytest-django gives each xdist process its own test database, and
# config/settings/test.py its own cache keys, Celery queue and media folder. --dist loadgroup
# keeps the tests marked @pytest.mark.xdist_group(name) in one process.
workers="${PYTEST_WORKERS:-2}"
xdist_args=()
if [[ "$workers" != 1 && "$workers" != 0 ]]; then
	xdist_args=(-n "$workers" --dist loadgroup)
fi
check "python -m pytest ${xdist_args[*]} ${PYTEST_ARGS:-}" \
	python -m pytest "${xdist_args[@]}" "${pytest_args[@]}"

if ((${#failed[@]})); then
	printf '==> FAILED: %s\n' "${failed[@]}" >&2
	exit 1
fi
log "all checks passed"
