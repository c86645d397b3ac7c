#!/bin/bash
# Run once by the postgres image when its volume is new (/docker-entrypoint-initdb.d), as the
# image's superuser: the owner `allocations` (migrations; owns the database) and the
# application `allocations_app` (web, worker, beat; owns nothing, no superuser, so it cannot
# TRUNCATE, disable triggers or change the replication role). config/kernel/database.py gives
# the application its rights after every migrate.
set -euo pipefail
: "${ALLOCATIONS_OWNER_PASSWORD:?}" "${ALLOCATIONS_APP_PASSWORD:?}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
	-v owner_password="$ALLOCATIONS_OWNER_PASSWORD" -v app_password="$ALLOCATIONS_APP_PASSWORD" <<'SQL'
CREATE ROLE allocations LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    PASSWORD :'owner_password';
CREATE ROLE allocations_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
    NOBYPASSRLS NOINHERIT PASSWORD :'app_password';
CREATE DATABASE allocations OWNER allocations;
SQL
