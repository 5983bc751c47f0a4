"""Fixtures of the apps' tests that the plumbing's tests reuse: the org tests' small province and
accounts, the task tests' programme."""

from org.tests.conftest import people, tree
from tasks.tests.test_views import work

__all__ = ["people", "tree", "work"]
