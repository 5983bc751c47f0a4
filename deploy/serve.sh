#!/usr/bin/env bash
# `make serve`: the production stack on one machine, as README §7 runs it on a server —
# PostgreSQL-backed gunicorn (GUNICORN_INSTANCES app servers, workers from the cores), the
# background worker, nginx in front (TLS, static files cached and compressed, request cap),
# Redis as the shared cache when it answers. Stops everything on Ctrl-C or when one part dies.
#
# Settings (environment): DATABASE_URL (default: PostgreSQL nq57_serve on 127.0.0.1), HTTPS_PORT
# (8443), HTTP_PORT (8080), GUNICORN_INSTANCES (2), APP_PORT_BASE (8100), CACHE_URL (default
# redis://127.0.0.1:6379/0 when Redis answers), SERVE_DEMO=1 to load the demo data,
# TLS_CERT/TLS_KEY (default: a self-signed certificate for 127.0.0.1 in var/serve/tls).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
GUNICORN=${GUNICORN:-$ROOT/.venv/bin/gunicorn}

export DEBUG=0
export NQ57_VAR_DIR=${NQ57_VAR_DIR:-$ROOT/var}
RUN_DIR=${SERVE_DIR:-$NQ57_VAR_DIR/serve}
mkdir -p "$RUN_DIR"
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/nq57_serve}
HTTPS_PORT=${HTTPS_PORT:-8443}
HTTP_PORT=${HTTP_PORT:-8080}
GUNICORN_INSTANCES=${GUNICORN_INSTANCES:-2}
APP_PORT_BASE=${APP_PORT_BASE:-8100}
export GUNICORN_INSTANCES
if [ ! -s "$RUN_DIR/secret_key" ]; then
  (umask 077; "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" > "$RUN_DIR/secret_key")
fi
export SECRET_KEY=${SECRET_KEY:-$(cat "$RUN_DIR/secret_key")}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export CSRF_TRUSTED_ORIGINS=${CSRF_TRUSTED_ORIGINS:-https://127.0.0.1:$HTTPS_PORT,https://localhost:$HTTPS_PORT}
export SITE_URL=${SITE_URL:-https://127.0.0.1:$HTTPS_PORT}
export CLIENT_IP_HEADERS=${CLIENT_IP_HEADERS:-HTTP_X_REAL_IP}
if [ -z "${EMAIL_HOST:-}" ] && [ -z "${EMAIL_BACKEND:-}" ]; then
  echo "serve: no EMAIL_HOST; e-mails are printed to the worker's log" >&2
  export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
fi
if [ -z "${CACHE_URL+set}" ]; then
  if "$PY" -c "import redis,sys; sys.exit(0 if redis.Redis(socket_timeout=1).ping() else 1)" 2>/dev/null; then
    export CACHE_URL=redis://127.0.0.1:6379/0
  else
    echo "serve: Redis not answering on 127.0.0.1:6379; each app server keeps its own cache" >&2
  fi
fi
export CACHE_KEY_PREFIX=${CACHE_KEY_PREFIX:-nq57-$(basename "$RUN_DIR")-$HTTPS_PORT}

command -v nginx >/dev/null || { echo "serve: nginx is missing (apt-get install nginx-light)" >&2; exit 1; }

echo "serve: database, static files"
"$PY" - <<'PYEOF'
# Create the database named in DATABASE_URL when it does not exist yet.
import os, psycopg
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PYEOF
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
"$PY" manage.py collectstatic --noinput -v0
if [ "${SERVE_DEMO:-0}" = "1" ]; then "$PY" manage.py load_demo; fi

TLS_CERT=${TLS_CERT:-$RUN_DIR/tls/cert.pem}
TLS_KEY=${TLS_KEY:-$RUN_DIR/tls/key.pem}
if [ ! -s "$TLS_CERT" ]; then
  mkdir -p "$(dirname "$TLS_CERT")"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$TLS_KEY" -out "$TLS_CERT" 2>/dev/null
fi

upstreams=""
for i in $(seq 1 "$GUNICORN_INSTANCES"); do
  upstreams+="        server 127.0.0.1:$((APP_PORT_BASE + i)) max_fails=0;"$'\n'
done
mkdir -p "$RUN_DIR/nginx"
RUN_DIR="$RUN_DIR/nginx" UPSTREAM_SERVERS="$upstreams" TLS_CERT="$TLS_CERT" TLS_KEY="$TLS_KEY" \
HTTPS_LISTEN="127.0.0.1:$HTTPS_PORT" HTTP_LISTEN="127.0.0.1:$HTTP_PORT" HTTPS_PORT="$HTTPS_PORT" \
SERVER_NAME="localhost 127.0.0.1" STATIC_ROOT="$NQ57_VAR_DIR/static" \
MAX_UPLOAD_MB=${MAX_UPLOAD_MB:-20} MAX_BODY_MB=$(( ${MAX_UPLOAD_MB:-20} + 1 )) NGINX_MIME_TYPES=/etc/nginx/mime.types \
ACCESS_LOG="${NGINX_ACCESS_LOG:-off}" \
"$PY" -c "import os, string, sys; print(string.Template(open('deploy/nginx.conf.template').read()).safe_substitute(os.environ))" \
  > "$RUN_DIR/nginx/nginx.conf"

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

for i in $(seq 1 "$GUNICORN_INSTANCES"); do
  GUNICORN_BIND="127.0.0.1:$((APP_PORT_BASE + i))" GUNICORN_NAME="nq57-app$i" \
    "$GUNICORN" -c deploy/gunicorn.conf.py nq57.wsgi:application &
  pids+=($!); echo $! > "$RUN_DIR/app$i.pid"
done
# The worker is restarted when it stops, as systemd's Restart=always does on a server.
(
  trap 'kill "$(cat "$RUN_DIR/worker.pid")" 2>/dev/null; exit 0' TERM INT
  while :; do
    "$PY" manage.py db_worker --no-reload --no-startup-delay &
    echo $! > "$RUN_DIR/worker.pid"
    wait $! || true
    echo "serve: the worker stopped; starting it again" >&2
    sleep 1
  done
) &
pids+=($!)
nginx -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" -e "$RUN_DIR/nginx/nginx-error.log" -g "daemon off;" &
pids+=($!); echo $! > "$RUN_DIR/nginx.pid"

for _ in $(seq 1 60); do
  if curl -ksf "https://127.0.0.1:$HTTPS_PORT/healthz" >/dev/null 2>&1; then break; fi
  sleep 1
done
echo "serve: NQ57 at https://127.0.0.1:$HTTPS_PORT ($GUNICORN_INSTANCES app servers, worker, nginx); health:"
curl -ks "https://127.0.0.1:$HTTPS_PORT/healthz"; echo
wait -n "${pids[@]}"
echo "serve: a process stopped; stopping the rest" >&2
exit 1
