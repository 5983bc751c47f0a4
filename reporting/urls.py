from django.urls import path

from reporting import views

app_name = "reporting"

REPORT = "reports/<code:period_code>/<code:unit_code>/"

urlpatterns = [
    path("reports/", views.period_list, name="period_list"),
    path("reports/periods/new/", views.period_create, name="period_create"),
    path("reports/corrections/", views.correction_list, name="correction_list"),
    path("reports/<code:period_code>/board/", views.board, name="board"),
    path("reports/<code:period_code>/board.xlsx", views.board_export, name="board_export"),
    path("reports/<code:period_code>/board/remind/", views.board_remind, name="board_remind"),
    path("reports/<code:period_code>/board/close/", views.board_close, name="board_close"),
    # Figures are written by reporting (the figure lock), though they read as indicators' page.
    path("indicators/import/", views.figure_import, name="figure_import"),
    path(REPORT, views.report_detail, name="report"),
    path(f"{REPORT}start/", views.report_start, name="report_start"),
    path(f"{REPORT}save/", views.report_save, name="report_save"),
    path(f"{REPORT}move/<str:move>/", views.report_move, name="report_move"),
    path(f"{REPORT}figures/", views.figures_save, name="figures_save"),
    path(f"{REPORT}tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path(f"{REPORT}corrections/", views.correction_request, name="correction_request"),
    path(
        f"{REPORT}corrections/<int:pk>/<str:decision>/",
        views.correction_decide,
        name="correction_decide",
    ),
    path(f"{REPORT}attachments/", views.attachment_add, name="attachment_add"),
    path(f"{REPORT}attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        f"{REPORT}attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
