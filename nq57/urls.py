from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from dashboard.views import home
from nq57.converters import CodeConverter
from nq57.health import health
from nq57.imports import job_progress
from org.views import PasswordChangeView, PasswordResetConfirmView, PasswordResetView

register_converter(CodeConverter, "code")

# Failed requests get Vietnamese pages without a trace (nq57.errors).
handler400 = "nq57.errors.bad_request"
handler500 = "nq57.errors.server_error"

auth_urls = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", health, name="healthz"),
    path("imports/<int:pk>/progress/", job_progress, name="import_progress"),
    path("", include(auth_urls)),
    path("", include("org.urls")),
    path("", include("dashboard.urls")),
    path("", include("tasks.urls")),
    path("", include("tasks.programme_urls")),
    path("", include("reporting.urls")),
    path("", include("indicators.urls")),
    path("", include("notifications.urls")),
    path("", include("directives.urls")),
    path("", include("products.urls")),
    path("", include("scoring.urls")),
    path("", include("documents.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
