import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from nq57.errors import error_page


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (the language cookie set by
    /i18n/setlang/). The browser's Accept-Language is ignored on purpose: many officers' phones
    and PCs are set to English, and the system must still speak Vietnamese to them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestLimitsMiddleware:
    """What no view should have to think about, refused before anything reads the request: a
    body larger than MAX_REQUEST_BYTES (413, said before the upload is received: the check reads
    the declared length, never the body) and a query string with a NUL character, which
    PostgreSQL cannot compare with anything (400)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = _("Tệp lớn hơn %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
            return error_page(request, 413, message)
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return error_page(request, 400, _("Địa chỉ trang có ký tự không hợp lệ."))
        return self.get_response(request)


SIGNED_IN_AT = "nq57_signed_in_at"


def mark_sign_in(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """user_logged_in receiver (connected in nq57.apps): when the session's clock starts."""
    request.session[SIGNED_IN_AT] = int(time.time())


class SessionLifetimeMiddleware:
    """A signed-in session lasts at most SESSION_MAX_HOURS from sign-in, however active (the idle
    timeout is SESSION_COOKIE_AGE, renewed by every request): the time of sign-in is kept in the
    session (mark_sign_in; a session from before this rule starts counting at its next
    request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in = request.session.setdefault(SIGNED_IN_AT, now)
            if now - int(signed_in) > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy of every response, and `no-store` on
    everything a signed-in user is shown (a shared PC's back button or cache shows nothing)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
