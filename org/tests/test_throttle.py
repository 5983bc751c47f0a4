"""Sign-in throttling (issue 18, finding 5): per account and address, per account from anywhere,
per address over all accounts, system-wide; lockouts that do not extend themselves; the owner
told; password change and reset throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from time_machine import travel

from nq57.testing import NOW
from org.models import Role, User
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory

PASSWORD = "nq57-test-pass"


def attempt(username: str, password: str, address: str = "10.0.0.1") -> int:
    client = Client(REMOTE_ADDR=address)
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data).status_code


def test_spraying_one_address_over_many_accounts_is_stopped(tree: Tree) -> None:
    """60 wrong passwords over 15 accounts from one address were all tried; now the address
    is held after LOGIN_LIMIT_IP (30) failures, whatever the account."""
    accounts = [UserFactory(username=f"tk{i}", unit=tree.commune) for i in range(15)]
    answers = [attempt(a.username, f"sai-{n}") for n in range(4) for a in accounts]
    assert answers[:29] == [200] * 29
    assert set(answers[29:]) == {429}  # the 30th failure locks, and every try after it
    assert AccessAttempt.objects.filter(ip_address="10.0.0.1").count() == 15
    assert attempt("tk0", PASSWORD) == 429  # the right password from that address too
    assert attempt("tk0", PASSWORD, "10.0.0.2") == 302  # the account itself is not locked


def test_a_second_address_gets_no_fresh_tries_on_the_same_account(people: People) -> None:
    for n in range(5):
        assert attempt("bc", f"sai-{n}", "10.0.0.1") == (200 if n < 4 else 429)
    for n in range(5):
        assert attempt("bc", f"sai-{n}", "10.0.0.2") == (200 if n < 4 else 429)
    # Ten failures from anywhere lock the account itself, from every address.
    assert attempt("bc", PASSWORD, "10.0.0.3") == 429
    assert attempt("bc2", PASSWORD, "10.0.0.3") == 302


def test_attempts_during_a_lockout_do_not_extend_it(people: People) -> None:
    for n in range(5):
        attempt("bc", f"sai-{n}")
    for minutes in (1, 5, 10, 14):  # someone keeps trying the whole time, right password too
        with travel(NOW + timedelta(minutes=minutes)):
            assert attempt("bc", PASSWORD) == 429
            assert attempt("bc", "sai") == 429
    with travel(NOW + timedelta(minutes=15, seconds=5)):
        assert attempt("bc", PASSWORD) == 302  # 15 minutes after the last failure counted


def test_the_owner_is_told_once_when_the_account_locks(
    people: People, django_capture_on_commit_callbacks: pytest.FixtureRequest
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for n in range(8):
            attempt("bc", f"sai-{n}", "10.9.8.7")
    notices = [m for m in mail.outbox if m.to == [people.reporter.email]]
    assert len(notices) == 1
    assert "tạm bị khóa" in notices[0].subject and "10.9.8.7" in notices[0].body


def test_a_spray_from_many_addresses_holds_every_client_that_failed(
    tree: Tree, settings: pytest.FixtureRequest
) -> None:
    settings.LOGIN_LIMIT_GLOBAL = 20  # type: ignore[attr-defined]
    accounts = [UserFactory(username=f"tk{i}", unit=tree.commune) for i in range(20)]
    answers = [  # one failure each, each from its own address
        attempt(account.username, "sai", f"10.1.0.{i}") for i, account in enumerate(accounts)
    ]
    assert answers == [200] * 19 + [429]  # the 20th failure system-wide holds
    assert attempt("tk0", PASSWORD, "10.1.0.0") == 429  # failed already: held
    assert attempt("tk1", PASSWORD, "10.2.0.1") == 429  # this account failed: held
    fresh = UserFactory(username="sach", unit=tree.commune, role=Role.REPORTER)
    assert attempt(fresh.username, PASSWORD, "10.3.0.1") == 302  # no failure: unaffected


def test_a_success_clears_the_accounts_failures_not_the_addresses(tree: Tree) -> None:
    accounts = [UserFactory(username=f"tk{i}", unit=tree.commune) for i in range(10)]
    for account in accounts:
        for n in range(2):
            attempt(account.username, f"sai-{n}")
    assert attempt("tk0", PASSWORD) == 302  # a sprayer's own valid account
    assert AccessAttempt.objects.filter(username="tk0").count() == 0
    for account in [*accounts[1:], *accounts[1:4]]:  # the address kept 18: 12 more lock it
        attempt(account.username, "sai-3")
    assert attempt("tk9", PASSWORD) == 429


def test_old_password_guesses_are_throttled(people: People) -> None:
    client = Client()
    client.force_login(people.reporter)
    url = reverse("password_change")
    new = "mat-khau-moi-2025"
    for n in range(5):
        data = {"old_password": f"doan-{n}", "new_password1": new, "new_password2": new}
        assert "old_password" in client.post(url, data).context["form"].errors
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(url, data)  # the right one, but the limit is reached
    assert response.status_code == 200 and "quá nhiều lần" in response.content.decode()
    assert User.objects.get(pk=people.reporter.pk).check_password(PASSWORD)
    with travel(NOW + timedelta(hours=1, minutes=1)):
        assert client.post(url, data).status_code == 302


def test_reset_emails_are_throttled(people: People) -> None:
    client = Client()
    for _ in range(6):
        response = client.post(reverse("password_reset"), {"email": people.reporter.email})
        assert response.status_code == 302  # the page never says whether it sent
    assert len(mail.outbox) == 3
    other = Client(REMOTE_ADDR="10.0.0.5")
    other.post(reverse("password_reset"), {"email": people.reporter.email})
    assert len(mail.outbox) == 3  # the address asked for is limited, whoever asks
