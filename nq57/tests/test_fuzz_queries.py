"""Every query parameter of every page, fuzzed (issue 18, finding 6): a NUL byte (PostgreSQL
refuses it in any comparison), dates out of Python's range (OverflowError), huge numbers, any
text. Never a server error, on SQLite and on PostgreSQL (CI runs the suite on both)."""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.views import DashboardForm
from directives.forms import DirectiveFilterForm
from documents.forms import UnitPickForm
from nq57.tests.test_smoke import pages
from org.models import User
from reporting.forms import BoardFilterForm
from tasks.forms import AsOfForm, TaskFilterForm

pytestmark = pytest.mark.clock("2026-01-05T09:00")

# The forms bound to a query string, and the parameters views read directly.
QUERY_FORMS: list[type[forms.Form]] = [
    AsOfForm, TaskFilterForm, BoardFilterForm, DirectiveFilterForm, DashboardForm, UnitPickForm,
]  # fmt: skip
# Read directly by views, or added to a form at run time (the directive list's from/to).
DIRECT = ["page", "q", "unit", "period", "state", "events", "job", "next", "term", "from", "to"]
PARAMETERS = sorted({*DIRECT, *(name for form in QUERY_FORMS for name in form.base_fields)})
WORST = ["\x00", "a\x00b", "01/01/0001", "31/12/9999", "9" * 40, "-1", "0", "29/02/2025"]


def get_pages() -> list[str]:
    return [url for url in pages() if not url.endswith((".xlsx", "/file/", "/download"))]


@pytest.fixture
def standing(demo_data: None) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="thuongtruc"))
    return client


def test_the_parameter_list_covers_every_query_form() -> None:
    assert {"as_of", "from", "to", "year", "unit", "period", "bloc", "q"} <= set(PARAMETERS)


def test_worst_values_in_every_parameter_of_every_page(db: None, standing: Client) -> None:
    """Each worst value in every parameter at once, on every page (one request per page and
    value: a parameter the page does not read is ignored); the random test below mixes them."""
    failures = []
    for url in get_pages():
        for value in WORST:
            status = standing.get(url, dict.fromkeys(PARAMETERS, value)).status_code
            if status >= 500:
                failures.append((url, value, status))
    assert failures == []


values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(WORST),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.integers().map(str),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_queries_never_fail(db: None, standing: Client, data: st.DataObject) -> None:
    url = data.draw(st.sampled_from(get_pages()), label="url")
    query = data.draw(st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=4))
    response = standing.get(url, query)
    assert response.status_code < 500, (url, query)
