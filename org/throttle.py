"""Sign-in throttling (django-axes handler, settings.AXES_HANDLER) and the throttles of the
password pages. The limits and what they lock are stated in settings (LOGIN_LIMIT_*).

django-axes counts failures by the parameter sets of AXES_LOCKOUT_PARAMETERS — (account,
address), account, address — but with one limit for all; here each set has its own limit, a
system-wide limit tightens them under a spray from many addresses, a success clears only the
account's failures (never the address's, which a sprayer with one valid account could clear),
and the account's owner is told by e-mail when their account gets locked."""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.db.transaction import on_commit
from django.http import HttpRequest

from org.jobs import send_lockout_notice
from org.models import User


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginThrottle(AxesDatabaseHandler):
    def _limits(self) -> list[int]:
        # In the order of settings.AXES_LOCKOUT_PARAMETERS.
        return [
            settings.LOGIN_LIMIT_ACCOUNT_IP,
            settings.LOGIN_LIMIT_ACCOUNT,
            settings.LOGIN_LIMIT_IP,
        ]

    def locks(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> list[bool]:
        """For each parameter set, whether its limit is reached. Under a system-wide spray
        (LOGIN_LIMIT_GLOBAL failures in the window), any failure of this account or address
        within the window holds it."""
        counts = [_failures(q) for q in self.get_user_attempts(request, credentials)]
        locked = [count >= limit for count, limit in zip(counts, self._limits(), strict=True)]
        if not any(locked) and any(counts):
            recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
            if _failures(recent) >= settings.LOGIN_LIMIT_GLOBAL:
                locked = [count > 0 for count in counts]
        return locked

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # AXES_FAILURE_LIMIT is 1: "one limit reached".
        return int(any(self.locks(request, credentials)))

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        account_was_locked = request is not None and self._account_locked(request, credentials)
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or account_was_locked or not self._account_locked(request, credentials):
            return
        username = get_client_username(request, credentials)
        owner = User.objects.filter(username=username, is_active=True).exclude(email="").first()
        if owner is not None:
            address = str(getattr(request, "axes_ip_address", "") or "")
            on_commit(lambda: send_lockout_notice.enqueue(owner.pk, address))

    def _account_locked(self, request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
        account_ip, account, _ip = self.locks(request, credentials)
        return account_ip or account

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """After a successful sign-in: the account's failures only (from every address)."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username).delete()
        return deleted
