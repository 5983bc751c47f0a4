"""Fixtures of the apps' tests that the plumbing's tests reuse: the org tests' small province and
accounts, the task tests' programme, the documents tests' quarter and issuer settings."""

from documents.tests.conftest import _media, profiles, quarter
from org.tests.conftest import people, tree
from reporting.tests.test_workflow import period, report
from tasks.tests.test_views import work

__all__ = ["_media", "people", "period", "profiles", "quarter", "report", "tree", "work"]
