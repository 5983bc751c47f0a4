from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
from tasks.tests.test_views import work  # noqa: F401  (shared with the assignee tests)


def copies_match_events() -> bool:
    """Every assignment holds a copy of its latest event and every event the status it
    replaced ("" for the first), as tasks.services.record_status writes them."""
    from tasks.models import Assignment

    for assignment in Assignment.objects.prefetch_related("events"):
        events = sorted(assignment.events.all(), key=lambda e: (e.effective_date, e.pk))
        previous = ["", *(e.status for e in events)]
        if [e.previous_status for e in events] != previous[:-1]:
            return False
        last = events[-1] if events else None
        copy = (assignment.latest_status, assignment.latest_date, assignment.latest_progress)
        if copy != ((last.status, last.effective_date, last.progress) if last else ("", None, 0)):
            return False
    return True
