"""Session lifetime (issue 18, finding 7): 30 minutes idle, an absolute cap whatever the
activity, and no session surviving a disabled account."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from time_machine import travel

from nq57.testing import NOW
from org import services
from org.tests.conftest import People

PASSWORD = "nq57-test-pass"


def signed_in(username: str) -> Client:
    client = Client()
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_idle_for_thirty_minutes_signs_out(people: People) -> None:
    client = signed_in("bc")
    with travel(NOW + timedelta(minutes=29)):
        assert client.get(reverse("org:unit_list")).status_code == 200
    with travel(NOW + timedelta(minutes=29 + 31)):
        response = client.get(reverse("org:unit_list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_active_session_still_ends_at_the_absolute_cap(people: People) -> None:
    client = signed_in("bc")
    for minutes in range(20, 12 * 60, 20):  # a page every 20 minutes for 12 hours
        with travel(NOW + timedelta(minutes=minutes)):
            assert client.get(reverse("org:unit_list")).status_code == 200
    with travel(NOW + timedelta(hours=12, minutes=5)):
        response = client.get(reverse("org:unit_list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert client.get(reverse("org:unit_list")).status_code == 302  # signed out for good


def test_a_reactivated_account_does_not_get_its_old_sessions_back(people: People) -> None:
    client = signed_in("bc")
    other_device = signed_in("bc")
    bystander = signed_in("bc2")
    services.set_account_active(actor=people.sysadmin, account=people.reporter, active=False)
    assert Session.objects.count() == 1  # only the bystander's
    services.set_account_active(actor=people.sysadmin, account=people.reporter, active=True)
    for device in (client, other_device):
        response = device.get(reverse("org:unit_list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert bystander.get(reverse("org:unit_list")).status_code == 200
