# The short form of the README's commands, for those who have make: `make help`.
# Everything lives in config/dev/*.sh (which need only bash); these recipes only call them:
#   make run  = bash config/dev/run.sh      make test = bash config/dev/test.sh

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

DEV := config/dev
VENV_BIN := .venv/bin

.PHONY: help bootstrap run test lint format assets bench clean lock

help: ## Show the targets and the environment variables they honour
	@echo "Usage: make <target>"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Environment:"
	@echo "  DATABASE_URL, REDIS_URL  use these services instead of starting local ones"
	@echo "  PYTEST_ARGS              extra pytest arguments for 'make test' (shell quoting works)"
	@echo "  BENCH_ARGS               extra arguments for 'make bench'"
	@echo "  DEV_PG_PORT, DEV_REDIS_PORT  ports of the var/ services (54329, 63799)"
	@echo "  WEB_PORT                 runserver port for 'make run' (8000)"
	@echo "  PYTHON                   interpreter that creates .venv (python3; 3.11 or newer)"
	@echo "  BOOTSTRAP_SKIP_PACKAGES=1  don't check or install Debian packages"

bootstrap: ## Install what's missing: Debian packages (as root), .venv, built assets
	@bash $(DEV)/bootstrap.sh

run: ## Run the app (web, worker, beat) with PostgreSQL and Redis under var/; Ctrl-C stops all
	@bash $(DEV)/run.sh

test: ## Lint, migrations check, import contracts, mypy and pytest (both cores), throwaway services
	@bash $(DEV)/test.sh

lint: ## ruff check and ruff format --check
	@bash $(DEV)/bootstrap.sh venv
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .

format: ## Fix what ruff can fix, then format
	@bash $(DEV)/bootstrap.sh venv
	$(VENV_BIN)/ruff check --fix .
	$(VENV_BIN)/ruff format .

assets: ## Build static/src into static/dist (npm ci && npm run build), changed or not
	@bash $(DEV)/bootstrap.sh assets --force-assets

bench: ## manage.py benchmark_all (every performance goal, one table) against the var/ services
	@bash $(DEV)/run.sh bench

clean: ## Stop the var/ services and remove var/
	@bash $(DEV)/services.sh clean

# pip-compile resolves for the interpreter that runs it: run it with .venv made from Debian 12's
# python3 (3.11.2), the oldest the lock must install on (redis needs async-timeout below 3.11.3).
lock: ## Regenerate requirements/lock.txt and dev-lock.txt (pinned, hashed) from pyproject.toml
	@bash $(DEV)/bootstrap.sh venv
	$(VENV_BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements/lock.txt pyproject.toml
	$(VENV_BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev -o requirements/dev-lock.txt pyproject.toml
