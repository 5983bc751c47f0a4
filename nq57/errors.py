"""What a user sees when a request fails, and what the administrators are told.

Error pages are rendered from a standalone template without the request's context processors
(no database query, no session), so they still render while the database is down, and never
show a trace. Mailed error reports carry the trace and the code's place, never the request's
form data, cookies, query, signed-in user or local variables (personal data of officers and of
the province's figures)."""

from __future__ import annotations

import errno
import sys
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

_TITLES = {
    400: gettext_lazy("Yêu cầu không hợp lệ"),
    403: gettext_lazy("Không có quyền truy cập"),
    413: gettext_lazy("Dữ liệu gửi lên quá lớn"),
    500: gettext_lazy("Lỗi hệ thống"),
    503: gettext_lazy("Hệ thống tạm thời gián đoạn"),
    507: gettext_lazy("Máy chủ hết chỗ lưu trữ"),
}


def error_page(request: HttpRequest | None, status: int, message: str) -> HttpResponse:
    """A Vietnamese page for `status` saying `message`, rendered without touching the database."""
    html = loader.get_template("error.html").render(
        {"status": status, "title": str(_TITLES.get(status, _TITLES[500])), "message": message}
    )
    return HttpResponse(html, status=status)


def is_disk_full(exc: BaseException | None) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """handler500. Django calls it inside the failed request's `except`, so the exception is at
    hand: a database that does not answer (restarting, unreachable) is a 503 that asks to try
    again shortly, a full disk a 507; anything else the plain 500. The transaction of the failed
    request was rolled back, so nothing of it was saved."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    ):
        message = _(
            "Cơ sở dữ liệu tạm thời không trả lời; dữ liệu vừa gửi chưa được lưu. "
            "Vui lòng thử lại sau ít phút."
        )
        return error_page(request, 503, message)
    if is_disk_full(exc):
        message = _(
            "Máy chủ hết chỗ lưu trữ nên chưa lưu được; không có gì được lưu dở dang. Vui lòng "
            "báo quản trị hệ thống và thử lại sau."
        )
        return error_page(request, 507, message)
    message = _("Đã có lỗi; quản trị hệ thống đã được báo. Dữ liệu vừa gửi chưa được lưu.")
    return error_page(request, 500, message)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return error_page(request, 400, _("Yêu cầu không hợp lệ."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: most often a form left open past the session's idle timeout."""
    message = _(
        "Trang đã cũ hoặc phiên làm việc đã hết hạn nên chưa lưu được. Hãy tải lại trang (đăng "
        "nhập lại nếu được hỏi) rồi gửi lại."
    )
    return error_page(request, 403, message)


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Hides every request parameter and every local variable, not only those named like
    secrets."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute).items()


class PrivateExceptionReporter(ExceptionReporter):
    """The error report without the signed-in user, the query string, the cookies or the
    uploaded files' names."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        data["user_str"] = None
        data["request_GET_items"] = []
        data["request_COOKIES_items"] = []
        data["request_FILES_items"] = []
        if self.request is not None:
            data["request_meta"] = {
                key: value
                for key, value in self.filter.get_safe_request_meta(self.request).items()
                if key in {"REQUEST_METHOD", "PATH_INFO", "SERVER_NAME", "CONTENT_LENGTH"}
            }
        return data
