from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
