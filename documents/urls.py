from django.urls import path

from documents import compose_views, proposal_views, views

app_name = "documents"

urlpatterns = [
    path("documents/", views.index, name="index"),
    path("documents/<int:pk>/", views.detail, name="detail"),
    path("documents/<int:pk>/status/", views.status, name="status"),
    path("documents/<int:pk>/download", views.download, name="download"),
    path("documents/<int:pk>/retry/", views.retry, name="retry"),
    path("documents/<int:pk>/changes/", views.changes, name="changes"),
    path("documents/history/<str:kind>/<str:period>/", views.history, name="history"),
    path("documents/profiles/", views.profiles, name="profiles"),
    path("documents/profiles/unit/<code:unit_code>/", views.profile_unit, name="profile_unit"),
    path("documents/profiles/<str:kind>/", views.profile_edit, name="profile_edit"),
    path("documents/compose/", compose_views.compose_open, name="compose_open"),
    path("documents/compose/<str:kind>/<str:period>/", compose_views.composer, name="composer"),
    path(
        "documents/compose/<str:kind>/<str:period>/<slug:section>/",
        compose_views.compose_section,
        name="compose_section",
    ),
    path(
        "documents/compose/<str:kind>/<str:period>/<slug:section>/pick/",
        compose_views.compose_pick,
        name="compose_pick",
    ),
    path("documents/outlines/", compose_views.outlines, name="outlines"),
    path("documents/proposals/", proposal_views.proposals, name="proposals"),
    path(
        "documents/proposals/<int:pk>/",
        proposal_views.proposal_follow_up,
        name="proposal_follow_up",
    ),
    path("documents/outlines/<str:kind>/", compose_views.outline_edit, name="outline_edit"),
]
