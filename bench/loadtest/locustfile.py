"""The deadline hour (`make loadtest`, bench/loadtest/run.py): every commune of the plan logs in,
opens its report, saves its figures and its text, submits — once; the standing office watches
the board and the dashboard meanwhile. Request names group the pages for the percentiles.

Plan (JSON from `manage.py loadtest_prepare`): NQ57_PLAN. Mode NQ57_MODE=deadline (default) or
burst (only the sign-in, every commune at once: the hasher's cost under a burst).

Arrivals are scheduled here, not by locust's spawn rate: every user is started within seconds,
and the i-th commune waits until i × NQ57_WINDOW / n seconds after the start (± a little), does
its report once and then idles until the last one has finished (a user that stopped would be
replaced by locust)."""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from bench.loadtest.forms import form_fields

PASSWORD = os.environ.get("NQ57_PASSWORD", "nq57-demo")
PLAN = json.loads(open(os.environ["NQ57_PLAN"]).read())  # noqa: SIM115 - read once at start
PERIOD = PLAN["period"]
MODE = os.environ.get("NQ57_MODE", "deadline")
# Seconds an officer spends between steps (reading the page, typing).
THINK = float(os.environ.get("NQ57_THINK", "3"))
# The communes' arrivals are spread over this many seconds (0: all at once).
WINDOW = float(os.environ.get("NQ57_WINDOW", "600"))

_next = iter(enumerate(PLAN["communes"]))
_started = time.monotonic()
_lock = threading.Lock()

_finished: list[str] = []


def next_commune() -> tuple[int, dict[str, Any]] | None:
    with _lock:
        return next(_next, None)


def done(user: Any) -> None:
    """A commune has finished (the run ends after the last one: `_end_when_all_done`)."""
    with _lock:
        _finished.append(user.commune["unit"])


@events.init.add_listener
def _end_when_all_done(environment: Any, **kwargs: Any) -> None:
    """Quit once every commune of the plan has finished, the watchers with them (from a
    greenlet of its own: a user cannot stop the runner it runs in)."""

    def watch() -> None:
        while len(_finished) < len(PLAN["communes"]):
            gevent.sleep(0.5)
        gevent.sleep(1)
        if environment.runner is not None:
            environment.runner.quit()

    gevent.spawn(watch)


class Officer(FastHttpUser):
    abstract = True

    def failed_sign_in(self) -> None:
        raise StopUser

    def sign_in(self, username: str) -> None:
        page = self.client.get("/login/", name="GET /login/").text or ""
        credentials = {"username": username, "password": PASSWORD}
        if not self.post_form(page, "/login/", "POST /login/", credentials, at="/login/"):
            self.failed_sign_in()

    def post_form(
        self, page: str, suffix: str, name: str, change: dict[str, str], at: str = ""
    ) -> bool:
        """Send the page's form whose action ends with `suffix`, as a browser would (its hidden
        fields, the CSRF token, the Referer HTTPS requires), with `change` filled in; a save is
        answered by a redirect, anything else is a failure."""
        found = form_fields(page, suffix)
        if found is None:
            return False
        action, fields = found
        fields.update(change)
        headers = {"Referer": f"{self.host}{at or action}"}
        with self.client.post(
            action or at, data=fields, name=name, headers=headers, allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"{name}: {response.status_code} (not saved)")
                return False
        return True


class Commune(Officer):
    """One commune's reporter: the whole report once, then it idles."""

    weight = 100
    wait_time = between(0, 0)

    def on_start(self) -> None:
        picked = next_commune()
        if picked is None:
            self.idle()
        index, self.commune = picked  # type: ignore[misc]
        self.report = f"/reports/{PERIOD}/{self.commune['unit']}/"
        spacing = WINDOW / len(PLAN["communes"])
        arrival = index * spacing + random.uniform(-0.4, 0.4) * spacing
        self._sleep(max(0.0, _started + arrival - time.monotonic()))

    def failed_sign_in(self) -> None:
        done(self)  # counted as an error; the run still ends when the others have finished
        self.idle()

    def idle(self) -> None:
        """Done: wait for the others (the run quits after the last)."""
        while True:
            self._sleep(60)

    def think(self) -> None:
        self._sleep(random.uniform(0.5, 1.5) * THINK)

    def _sleep(self, seconds: float) -> None:
        gevent.sleep(seconds)

    @task
    def deadline(self) -> None:
        self.sign_in(self.commune["username"])
        if MODE == "burst":
            done(self)
            self.idle()
        self.think()
        page = self.client.get(self.report, name="GET report").text or ""
        if "start/" in page and form_fields(page, "start/") is not None:
            self.post_form(page, "start/", "POST report start", {}, at=self.report)
            page = self.client.get(self.report, name="GET report").text or ""
        self.think()
        # Last quarter's figures again: a jump rule may warn, and a confirmed warning needs
        # the officer's comment (indicators' ConfirmedWarning).
        figures = dict(
            self.commune["figures"], confirm="on", comment="Số liệu đã đối chiếu với sổ theo dõi."
        )
        self.post_form(page, "figures/", "POST figures", figures, at=self.report)
        page = self.client.get(self.report, name="GET report").text or ""
        self.think()
        found = form_fields(page, "save/")
        text = {}
        if found is not None:
            for name in found[1]:
                if name.endswith("-text") or re.fullmatch(r"q\d+", name):
                    text[name] = (
                        f"Kết quả quý của {self.commune['unit']}: đã triển khai đúng kế hoạch."
                    )
        self.post_form(page, "save/", "POST report text", text, at=self.report)
        page = self.client.get(self.report, name="GET report").text or ""
        self.think()
        self.post_form(page, "move/submit/", "POST submit", {}, at=self.report)
        self.client.get(self.report, name="GET report")
        done(self)
        self.idle()


class StandingOffice(Officer):
    """The standing office watching the deadline hour: the board, then the dashboard."""

    fixed_count = int(os.environ.get("NQ57_WATCHERS", "3"))
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.sign_in("thuongtruc")

    @task(3)
    def board(self) -> None:
        self.client.get(f"/reports/{PERIOD}/board/", name="GET board")

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="GET dashboard")
