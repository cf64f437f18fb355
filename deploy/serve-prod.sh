#!/usr/bin/env bash
# The production-like stack on this machine, without Docker: PostgreSQL, Redis, gunicorn, a Celery
# worker and Celery beat, all with production settings (DEBUG=False, JSON logs, whitenoise manifest,
# Redis cache/sessions/broker). Plain HTTP on 127.0.0.1 only: no TLS here, so the HTTPS redirect and
# Secure cookies are switched off (SECURE_SSL_REDIRECT=False, SECURE_COOKIES=False).
#
#   deploy/serve-prod.sh          start, wait on Ctrl-C, stop      (`make serve-prod`)
#   deploy/serve-prod.sh start    start in the background, return once /healthz answers 200
#   deploy/serve-prod.sh stop     stop what `start` started
#   deploy/serve-prod.sh manage …  run manage.py with the same production settings (createstaff, shell…)
#
# Knobs (environment): SERVE_PROD_PORT (8000), SERVE_PROD_DB (talentvisa_prodlike),
# SERVE_PROD_REDIS_DB (2), SERVE_PROD_STATE (a directory outside the repository for the generated
# SECRET_KEY, logs, pid files, uploads and the beat schedule; default $TMPDIR/talentvisa-serve-prod).
# Anything else production reads (STRIPE_*, OPENAI_API_KEY, CLOUDINARY_URL, EMAIL_URL...) is taken
# from the environment or .env as usual; the values below win over .env.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-.venv}
PORT=${SERVE_PROD_PORT:-8000}
DB=${SERVE_PROD_DB:-talentvisa_prodlike}
REDIS_DB=${SERVE_PROD_REDIS_DB:-2}
STATE=${SERVE_PROD_STATE:-${TMPDIR:-/tmp}/talentvisa-serve-prod}
PG=${SERVE_PROD_PG:-postgres://postgres@127.0.0.1:5432}
mkdir -p "$STATE/logs" "$STATE/media" "$STATE/private_media"

case "$STATE" in "$ROOT"/*) echo "SERVE_PROD_STATE must be outside the repository" >&2; exit 2 ;; esac

services_up() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/serve-prod.log
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "PostgreSQL or Redis did not come up" >&2
  return 1
}

production_env() {
  [ -s "$STATE/secret_key" ] || "$VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(64))" >"$STATE/secret_key"
  export DEBUG=False
  export SECRET_KEY
  SECRET_KEY=$(cat "$STATE/secret_key")
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export SITE_URL="http://127.0.0.1:$PORT"
  export DATABASE_URL="$PG/$DB"
  export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
  export SECURE_SSL_REDIRECT=False SECURE_COOKIES=False
  # No nginx here: Django answers /media/ itself.
  export SERVE_MEDIA=True
  export MEDIA_ROOT="$STATE/media" PRIVATE_MEDIA_ROOT="$STATE/private_media"
  export CELERY_BEAT_SCHEDULE_FILE="$STATE/celerybeat-schedule"
  export GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
  unset CELERY_TASK_ALWAYS_EAGER PAYMENTS_TEST_MODE_ENABLED
}

running() { [ -s "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

start() {
  if running gunicorn; then echo "already running (pid $(cat "$STATE/gunicorn.pid")); stop it first" >&2; exit 1; fi
  local t0=$SECONDS
  services_up
  production_env
  psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || psql "$PG/postgres" -qc "CREATE DATABASE $DB"
  "$VENV/bin/python" manage.py check --fail-level ERROR >/dev/null
  "$VENV/bin/python" manage.py collectstatic --noinput -v 0
  "$VENV/bin/python" manage.py migrate --noinput -v 0
  "$VENV/bin/gunicorn" -c gunicorn.conf.py talentvisa.wsgi:application --pid "$STATE/gunicorn.pid" \
    >>"$STATE/logs/gunicorn.log" 2>&1 &
  "$VENV/bin/celery" -A talentvisa worker -l info --concurrency 2 --pidfile "$STATE/worker.pid" \
    -n "serve-prod@%h" >>"$STATE/logs/worker.log" 2>&1 &
  "$VENV/bin/celery" -A talentvisa beat -l info -s "$CELERY_BEAT_SCHEDULE_FILE" --pidfile "$STATE/beat.pid" \
    >>"$STATE/logs/beat.log" 2>&1 &
  for _ in $(seq 1 60); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
      curl -fsS "http://127.0.0.1:$PORT/healthz"; echo
      echo "Production-like stack up in $((SECONDS - t0)) s: http://127.0.0.1:$PORT/  (logs: $STATE/logs/)"
      return 0
    fi
    sleep 1
  done
  echo "gunicorn did not answer /healthz within 60 s; see $STATE/logs/" >&2
  tail -n 20 "$STATE/logs/gunicorn.log" >&2 || true
  stop
  return 1
}

stop() {
  for name in beat worker gunicorn; do
    if running "$name"; then kill -TERM "$(cat "$STATE/$name.pid")" 2>/dev/null || true; fi
  done
  for name in beat worker gunicorn; do
    for _ in $(seq 1 30); do running "$name" || break; sleep 0.5; done
    rm -f "$STATE/$name.pid"
  done
  echo "stopped"
}

case "${1:-run}" in
  start) start ;;
  stop) stop ;;
  manage) shift; production_env; exec "$VENV/bin/python" manage.py "$@" ;;
  run)
    start
    trap 'stop; exit 0' INT TERM
    echo "Ctrl-C stops gunicorn, the worker and beat."
    while running gunicorn; do sleep 2; done
    stop
    ;;
  *) echo "usage: $0 [run|start|stop]" >&2; exit 2 ;;
esac
