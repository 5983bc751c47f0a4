from django.urls import path

from tasks import history_views, lead_views, setup_views, views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/export.xlsx", views.task_export, name="task_export"),
    path("tasks/import/", views.task_import, name="task_import"),
    path("tasks/import/template.xlsx", views.task_template, name="task_template"),
    path("tasks/removals/", views.removal_list, name="removal_list"),
    path("tasks/extensions/", history_views.extension_list, name="extension_list"),
    path(
        "tasks/extensions/<int:pk>/decide/",
        history_views.extension_decide,
        name="extension_decide",
    ),
    path("tasks/new/", setup_views.task_create, name="task_create"),
    path("tasks/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("tasks/<code:code>/", views.task_detail, name="task_detail"),
    path("tasks/<code:code>/edit/", setup_views.task_edit, name="task_edit"),
    path("tasks/<code:code>/assign/", setup_views.task_assign, name="task_assign"),
    path("tasks/<code:code>/history/", history_views.task_history, name="task_history"),
    path(
        "tasks/<code:code>/extensions/",
        history_views.extension_request,
        name="extension_request",
    ),
    path(
        "tasks/<code:code>/assignments/<int:pk>/status/",
        views.status_update,
        name="status_update",
    ),
    path("tasks/<code:code>/comment/", lead_views.task_comment, name="task_comment"),
    path("tasks/<code:code>/part/", lead_views.task_part, name="task_part"),
    path("tasks/<code:code>/remind/", lead_views.task_remind, name="task_remind"),
    path(
        "tasks/<code:code>/assignments/<int:pk>/remove/",
        views.removal_approve,
        name="removal_approve",
    ),
]
