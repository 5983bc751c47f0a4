from typing import Any

from django.http import HttpRequest

from notifications.queries import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The navigation's unread badge: one count query per page for a logged-in user."""
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(request.user)}  # type: ignore[arg-type]
