from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.index, name="index"),
    path("documents/<int:pk>/", views.detail, name="detail"),
    path("documents/<int:pk>/status/", views.status, name="status"),
    path("documents/<int:pk>/download", views.download, name="download"),
    path("documents/<int:pk>/retry/", views.retry, name="retry"),
    path("documents/profiles/", views.profiles, name="profiles"),
    path("documents/profiles/unit/<code:unit_code>/", views.profile_unit, name="profile_unit"),
    path("documents/profiles/<str:kind>/", views.profile_edit, name="profile_edit"),
]
