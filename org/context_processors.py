from typing import Any

from django.http import HttpRequest

from org import access
from org.access import Action


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the menu offers; each page still authorizes on its own."""
    user = request.user
    return {
        "nav": {
            "accounts": access.has_anywhere(user, Action.MANAGE_ACCOUNTS),
            "units": user.is_authenticated,
        }
    }
