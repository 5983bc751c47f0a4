"""`make loadtest`: the deadline hour against the served stack (deploy/serve.sh: nginx, two
gunicorn instances, the worker, PostgreSQL, Redis), loopback only, bounded in time and count.

    python -m bench.loadtest.run [--communes N] [--window S] [--think S] [--burst]

1. a PostgreSQL database with the demo province (built once, then copied from a template, so
   every run starts from the same data in seconds);
2. `make serve`'s script on its own ports; `loadtest_prepare` opens a new quarter to the
   communes and writes who submits what;
3. locust, headless: the communes arrive spread over --window seconds (each logs in, opens its
   report, saves figures and text, submits, once), the standing office watches the board and
   the dashboard; the run ends when the last commune has submitted (or at the time limit);
4. prints requests, errors, p50/p95/p99 per page, then checks in the database that every
   submission was recorded exactly once (`loadtest_verify`).
Exit status 1 on any error, a missing or double submission, or (with --target-p95 MS) a slower
p95. --burst: only the sign-in, every commune at the same moment (the password hasher's cost)."""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from ssl import CERT_NONE, create_default_context
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(urlsplit(url)._replace(path="/postgres").geturl(), autocommit=True)


def _exists(conn: Any, name: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def prepare_database(url: str, env: dict[str, str], rebuild: bool) -> None:
    """The demo in `url`'s database, copied from `<name>_template` (built the first time)."""
    name = urlsplit(url).path.lstrip("/")
    template = f"{name}_template"
    with _admin(url) as conn:
        if rebuild and _exists(conn, template):
            conn.execute(f'DROP DATABASE "{template}"')
        if _exists(conn, name):
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if _exists(conn, template):
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        conn.execute(f'CREATE DATABASE "{name}"')
    print("loadtest: building the demo database once (a few minutes)", flush=True)
    dev = {**env, "DEBUG": "1"}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=dev, check=True)
    subprocess.run(
        [PY, "manage.py", "load_demo"], cwd=ROOT, env=dev, check=True, stdout=subprocess.DEVNULL
    )
    with _admin(url) as conn:
        conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')


def wait_healthy(base: str, limit: float = 300) -> None:
    context = create_default_context()
    context.check_hostname, context.verify_mode = False, CERT_NONE
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", context=context, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"loadtest: {base}/healthz never answered 200")


def hasher_cost(env: dict[str, str]) -> str:
    code = (
        "import time, django; django.setup();"
        "from django.contrib.auth.hashers import get_hasher;"
        "h = get_hasher(); h.encode('x', h.salt()); t = time.perf_counter(); n = 5\n"
        "for _ in range(n): h.encode('nq57-demo', h.salt())\n"
        "ms = (time.perf_counter() - t) / n * 1000;"
        "print(f'{h.algorithm} ({h.iterations:,} iterations): {ms:.0f} ms per password on one "
        "core = {1000 / ms:.1f} sign-ins per second per core')"
    )
    result = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "nq57.settings"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def report(stats_csv: Path) -> tuple[int, int, float]:
    """Print the per-page table; returns (requests, failures, overall p95 in ms)."""
    rows = list(csv.DictReader(stats_csv.open()))
    columns = ("requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"\n{'page':<22}" + "".join(f"{c:>9}" for c in columns))
    total = (0, 0, 0.0)
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        requests, failures = int(row["Request Count"]), int(row["Failure Count"])
        p50, p95, p99 = row["50%"], row["95%"], row["99%"]
        maximum = float(row["Max Response Time"] or 0)
        print(f"{name:<22}{requests:>9}{failures:>9}{p50:>9}{p95:>9}{p99:>9}{maximum:>9.0f}")
        if row["Name"] == "Aggregated":
            total = (requests, failures, float(p95 or 0))
    return total


def stack_env(port: int) -> dict[str, str]:
    """The environment of the load test's stack: its own database, folders and ports (the
    shared cache: Redis when it answers, as serve.sh decides)."""
    work = ROOT / "var" / "loadtest"
    url = os.environ.get(
        "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nq57_loadtest"
    )
    env = {
        **os.environ, "DATABASE_URL": url, "NQ57_VAR_DIR": str(work / "var"),
        "SERVE_DIR": str(work / "serve"), "HTTPS_PORT": str(port), "HTTP_PORT": str(port - 363),
        "APP_PORT_BASE": str(port - 300),
        "GUNICORN_INSTANCES": os.environ.get("GUNICORN_INSTANCES", "2"),
        "CACHE_KEY_PREFIX": f"nq57-loadtest-{os.getpid()}",
    }  # fmt: skip
    env.pop("DEBUG", None)
    return env


@contextmanager
def served(env: dict[str, str], log: Path) -> Iterator[str]:
    """deploy/serve.sh running with `env` until the block ends; yields its base URL."""
    base = f"https://127.0.0.1:{env['HTTPS_PORT']}"
    with log.open("w") as output:
        serve = subprocess.Popen(
            ["bash", "deploy/serve.sh"], cwd=ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_healthy(base)
        yield base
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--communes", type=int, default=130)
    parser.add_argument("--window", type=float, default=600, help="arrivals spread over S seconds")
    parser.add_argument("--think", type=float, default=3, help="seconds between an officer's steps")
    parser.add_argument("--watchers", type=int, default=3, help="standing office users")
    parser.add_argument("--burst", action="store_true", help="only sign-ins, all at once")
    parser.add_argument("--target-p95", type=float, default=0, help="fail above this p95 (ms)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the demo template")
    parser.add_argument("--port", type=int, default=9443)
    args = parser.parse_args()

    work = ROOT / "var" / "loadtest"
    work.mkdir(parents=True, exist_ok=True)
    env = stack_env(args.port)
    prepare_database(env["DATABASE_URL"], env, args.rebuild)
    plan = work / "plan.json"
    dev = {**env, "DEBUG": "1"}
    command = [PY, "manage.py", "loadtest_prepare", "--output", str(plan)]
    subprocess.run([*command, "--communes", str(args.communes)], cwd=ROOT, env=dev, check=True)
    with served(env, work / "serve.log") as base:
        print(f"loadtest: {hasher_cost(dev)}", flush=True)
        users = args.communes + (0 if args.burst else args.watchers)
        # All started within seconds (a burst: within one); each commune waits for its arrival.
        rate = users if args.burst else users / 5
        limit = int((10 if args.burst else args.window) + 300)
        started = time.monotonic()
        locust = subprocess.run(
            [LOCUST, "-f", "bench/loadtest/locustfile.py", "--headless", "--host", base,
             "-u", str(users), "-r", f"{rate:.4f}", "-t", f"{limit}s", "--stop-timeout", "30",
             "--csv", str(work / "stats"), "--only-summary", "--loglevel", "WARNING",
             *(["Commune"] if args.burst else [])],
            cwd=ROOT, capture_output=True, text=True, check=False,
            env={**env, "NQ57_PLAN": str(plan), "NQ57_MODE": "burst" if args.burst else "deadline",
                 "NQ57_THINK": str(args.think),
                 "NQ57_WATCHERS": "0" if args.burst else str(args.watchers),
                 "NQ57_WINDOW": "0" if args.burst else str(args.window)},
        )  # fmt: skip
        elapsed = time.monotonic() - started
    if locust.returncode not in (0, 1):
        print(locust.stdout[-3000:], locust.stderr[-3000:])
        return 1
    requests, failures, p95 = report(work / "stats_stats.csv")
    errors = (work / "stats_failures.csv").read_text().strip().splitlines()[1:]
    for line in errors[:10]:
        print("  error:", line)
    kind = "sign-ins at once" if args.burst else f"communes arriving over {args.window:.0f} s"
    per_minute = args.communes / (elapsed / 60)
    print(f"\n{args.communes} {kind}; done in {elapsed:.0f} s ({per_minute:.1f} communes/min)")
    verified = True
    if not args.burst:
        check = [PY, "manage.py", "loadtest_verify", "--plan", str(plan)]
        verified = subprocess.run(check, cwd=ROOT, env=dev, check=False).returncode == 0
    slow = bool(args.target_p95) and p95 > args.target_p95
    if slow:
        print(f"loadtest: p95 {p95:.0f} ms is above the target {args.target_p95:.0f} ms")
    return 0 if failures == 0 and verified and not slow and requests else 1


if __name__ == "__main__":
    sys.exit(main())
