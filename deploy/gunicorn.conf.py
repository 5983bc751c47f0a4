"""gunicorn settings for NQ57 (deploy/serve.sh, the systemd unit in README §7).

Workers from the cores: (2 × cores + 1) in all, shared by the GUNICORN_INSTANCES app servers of
this machine (each instance is one gunicorn; several let a restart or a crash of one leave the
others serving). Sync workers: nginx buffers slow clients, so a worker is busy only while
Django computes. GUNICORN_WORKERS overrides."""

import multiprocessing
import os

instances = max(1, int(os.environ.get("GUNICORN_INSTANCES", "1")))
workers = int(
    os.environ.get("GUNICORN_WORKERS") or max(2, (2 * multiprocessing.cpu_count() + 1) // instances)
)
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
timeout = 30
graceful_timeout = 20
# A worker is replaced after this many requests (bounded memory growth), not all at once.
max_requests = 2000
max_requests_jitter = 200
# nginx sets X-Forwarded-Proto; only it may talk to gunicorn.
forwarded_allow_ips = "127.0.0.1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
proc_name = os.environ.get("GUNICORN_NAME", "nq57")
