"""The org tests' small province and its accounts, for the plumbing's tests."""

from org.tests.conftest import people, tree

__all__ = ["people", "tree"]
