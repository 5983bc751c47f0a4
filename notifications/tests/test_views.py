"""The notification list over HTTP: one's own only, newest first, read/unread; marking read is
POST only and another user's notification is answered like a missing one."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from org.models import User
from org.tests import conftest as org_fixtures
from org.tests.conftest import People
from org.tests.test_views import client_for

tree, people = org_fixtures.tree, org_fixtures.people  # the shared fixtures

LIST = reverse("notifications:list")


def notify(user: User, *texts: str, url: str = "/reports/") -> None:
    for text in texts:
        services.notify(recipients=[user], text=text, url=url)


def texts(content: str) -> list[str]:
    return re.findall(r'data-testid="text">([^<]+)<', content)


def test_list_shows_own_newest_first_with_unread_marked(people: People) -> None:
    notify(people.reporter, "Cũ", "Mới")
    notify(people.head, "Của lãnh đạo")
    Notification.objects.filter(text="Cũ").update(read_at="2025-10-01T09:00:00+07:00")
    content = client_for(people.reporter).get(LIST).content.decode()
    assert texts(content) == ["Mới", "Cũ"]
    assert content.count('data-testid="notification-unread"') == 1
    assert 'data-testid="unread-count"' in content and "Của lãnh đạo" not in content


def test_list_paginates(people: People) -> None:
    notify(people.reporter, *(f"Thông báo {n:02}" for n in range(35)))
    client = client_for(people.reporter)
    assert len(texts(client.get(LIST).content.decode())) == 30
    assert len(texts(client.get(LIST, {"page": "2"}).content.decode())) == 5


def test_anonymous_to_login_and_list_post_405(people: People) -> None:
    response = Client().get(LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client_for(people.reporter).post(LIST).status_code == 405


def test_mark_one_read_then_go_to_its_page(people: People) -> None:
    notify(people.reporter, "Nhắc nộp báo cáo", url="/reports/2025-Q3/16681/")
    note = Notification.objects.get()
    path = reverse("notifications:read", args=[note.pk])
    client = client_for(people.reporter)
    assert client.get(path).status_code == 405
    response = client.post(path)
    assert response.status_code == 302 and response.url == "/reports/2025-Q3/16681/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="unread-count"' not in client.get(LIST).content.decode()


@pytest.mark.parametrize("url", ["", "https://evil.example/phish", "//evil.example/"])
def test_mark_read_never_leaves_the_site(people: People, url: str) -> None:
    notify(people.reporter, "Thông báo", url=url)
    note = Notification.objects.get()
    response = client_for(people.reporter).post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 302 and response.url == LIST


def test_another_users_notification_is_404_and_untouched(people: People) -> None:
    notify(people.head, "Của lãnh đạo")
    note = Notification.objects.get()
    response = client_for(people.reporter).post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_touches_only_own(people: People) -> None:
    notify(people.reporter, "Một", "Hai")
    notify(people.head, "Ba")
    client = client_for(people.reporter)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=people.reporter, read_at__isnull=True)
    assert Notification.objects.filter(recipient=people.head, read_at__isnull=True).count() == 1
