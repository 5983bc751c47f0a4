"""Fault drills against the served stack (`make drill-db-restart`, `make drill-worker-kill`;
the full-disk drill is a test, nq57/tests/test_full_disk.py). Each prints what happened and
exits 1 when the system did not hold.

db-restart: communes keep saving and submitting (each retrying a refused step after a few
seconds, as an officer would) while PostgreSQL restarts. Holds when every failed request got the
Vietnamese error page without a trace, the app servers answered again without being restarted,
and every submission is in the database exactly once with its figures (nothing half-written).
Restarting PostgreSQL stops every database of that cluster: run it on a machine of your own, or
on a cluster of its own (`pg_createcluster 15 drill --port 5433`, then LOADTEST_DATABASE_URL=
postgres://postgres@127.0.0.1:5433/nq57_drill and DRILL_ARGS="--cluster drill").

worker-kill: a province report is requested, the worker is killed (SIGKILL) in the middle of
generating it, `make serve`'s supervisor starts a new worker. Holds when the report ends done
(the job was rescued and run again) or failed, never left running."""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any

import requests
import urllib3

from bench.loadtest.forms import form_fields
from bench.loadtest.run import PY, ROOT, prepare_database, served, stack_env

urllib3.disable_warnings()
WORK = ROOT / "var" / "loadtest"
TRACE = re.compile(r"Traceback|File \"/|django\.db\.utils", re.I)


class Officer:
    """A commune's reporter in a browser: retries a refused step after `pause` seconds."""

    def __init__(self, base: str, commune: dict[str, Any], log: Counter[str], bad: list[str]):
        self.base, self.commune, self.log, self.bad = base, commune, log, bad
        self.session = requests.Session()
        self.session.verify = False
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would override verify

    def _check(self, response: requests.Response) -> bool:
        self.log[str(response.status_code)] += 1
        if response.status_code >= 500:
            page = response.text
            plain = 'data-testid="error-page"' in page or "nginx" in page
            if TRACE.search(page) or not plain:
                self.bad.append(f"{response.status_code} {response.url}: {page[:200]!r}")
            return False
        return True

    def step(self, path: str, suffix: str = "", change: dict[str, str] | None = None) -> bool:
        """GET the page, and POST its form ending with `suffix`; True once it went through."""
        for _ in range(60):
            try:
                page = self.session.get(self.base + path, timeout=30)
                if not self._check(page):
                    raise requests.ConnectionError
                if not suffix:
                    return True
                found = form_fields(page.text, suffix)
                if found is None:
                    return True  # already done (a retried step that had gone through)
                action, fields = found
                fields.update(change or {})
                answer = self.session.post(
                    self.base + (action or path), data=fields, timeout=30, allow_redirects=False,
                    headers={"Referer": self.base + path},
                )  # fmt: skip
                if self._check(answer) and answer.status_code in (302, 200):
                    return True
            except requests.RequestException:
                self.log["connection"] += 1
            time.sleep(2)
        return False

    def run(self, period: str) -> None:
        report = f"/reports/{period}/{self.commune['unit']}/"
        login = {"username": self.commune["username"], "password": "nq57-demo"}
        self.step("/login/", "/login/", login)
        self.step(report, "start/")
        self.step(report, "figures/", dict(self.commune["figures"], confirm="on"))
        self.step(report, "move/submit/")


def db_restart(args: argparse.Namespace) -> int:
    env = stack_env(args.port)
    prepare_database(env["DATABASE_URL"], env, rebuild=False)
    plan = WORK / "drill-plan.json"
    dev = {**env, "DEBUG": "1"}
    command = [PY, "manage.py", "loadtest_prepare", "--output", str(plan)]
    subprocess.run([*command, "--communes", str(args.communes)], cwd=ROOT, env=dev, check=True)
    content = json.loads(plan.read_text())
    log: Counter[str] = Counter()
    bad: list[str] = []
    with served(env, WORK / "drill-serve.log") as base:
        officers = [Officer(base, c, log, bad) for c in content["communes"]]
        threads = [threading.Thread(target=o.run, args=(content["period"],)) for o in officers]
        for thread in threads:
            thread.start()
            time.sleep(args.spread / len(threads))
            if thread is threads[len(threads) // 3]:
                restarted = time.monotonic()
                version = os.listdir("/etc/postgresql")[0]
                print(
                    f"drill: restarting PostgreSQL {version}/{args.cluster} while communes submit"
                )
                restart = ["pg_ctlcluster", "--skip-systemctl-redirect", version, args.cluster]
                subprocess.run([*restart, "restart"], check=True)
                print(f"drill: PostgreSQL back after {time.monotonic() - restarted:.1f} s")
        for thread in threads:
            thread.join()
        health = requests.get(f"{base}/healthz", verify=False, timeout=10).json()
    verify = [PY, "manage.py", "loadtest_verify", "--plan", str(plan)]
    verified = subprocess.run(verify, cwd=ROOT, env=dev, check=False).returncode == 0
    print(f"drill: responses {dict(log)}; pages with a trace or no error page: {len(bad)}")
    for line in bad[:5]:
        print("  ", line)
    print(f"drill: health after the restart, same app servers: {health['status']}")
    return 0 if verified and not bad and health["status"] == "ok" else 1


def worker_kill(args: argparse.Namespace) -> int:
    env = stack_env(args.port)
    env["WORKER_STALE_SECONDS"] = str(args.stale)
    prepare_database(env["DATABASE_URL"], env, rebuild=False)
    dev = {**env, "DEBUG": "1"}
    request = (
        "from documents.services import request_report; from org.models import User, Unit;"
        "from periods.models import Period; from django.db import transaction\n"
        "with transaction.atomic():\n"
        "    r = request_report(actor=User.objects.get(username='thuongtruc'),"
        " kind='quarterly', period=Period.objects.get(code='2025-Q3'),"
        " unit=Unit.objects.get(code='40'), fmt='docx')\n"
        "print(r.pk)"
    )

    def report_status(pk: str) -> tuple[str, int]:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            row = conn.execute(
                "SELECT status, progress FROM documents_generatedreport WHERE id = %s", [int(pk)]
            ).fetchone()
        assert row is not None
        return str(row[0]), int(row[1])

    with served(env, WORK / "drill-serve.log"):
        shell = [PY, "manage.py", "shell", "-c", request]
        pk = subprocess.run(shell, cwd=ROOT, env=dev, capture_output=True, text=True, check=True)
        report = pk.stdout.strip().splitlines()[-1]
        for _ in range(600):
            state, progress = report_status(report)
            if state == "running":
                break
            time.sleep(0.1)
        worker = int((WORK / "serve" / "worker.pid").read_text())
        os.kill(worker, signal.SIGKILL)
        killed = time.monotonic()
        print(f"drill: worker {worker} killed while the report was {state} at {progress} %")
        deadline = killed + args.stale + 300
        while time.monotonic() < deadline:
            state, progress = report_status(report)
            if state in ("done", "failed"):
                break
            time.sleep(2)
        took = time.monotonic() - killed
    print(
        f"drill: the report ended {state} {took:.0f} s after the kill (rescue after {args.stale} s)"
    )
    return 0 if state in ("done", "failed") else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="drill", required=True)
    restart = sub.add_parser("db-restart")
    restart.add_argument("--communes", type=int, default=30)
    restart.add_argument("--spread", type=float, default=20, help="seconds over which they start")
    restart.add_argument(
        "--cluster", default="main",
        help="the PostgreSQL cluster to restart (one of your own: see LOADTEST_DATABASE_URL)",
    )  # fmt: skip
    kill = sub.add_parser("worker-kill")
    kill.add_argument("--stale", type=int, default=30, help="WORKER_STALE_SECONDS for the drill")
    for drill in (restart, kill):
        drill.add_argument("--port", type=int, default=9443)
    args = parser.parse_args()
    return db_restart(args) if args.drill == "db-restart" else worker_kill(args)


if __name__ == "__main__":
    sys.exit(main())
