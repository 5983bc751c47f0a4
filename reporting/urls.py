from django.urls import path

from reporting import setup_views, views

app_name = "reporting"

REPORT = "reports/<code:period_code>/<code:unit_code>/"

urlpatterns = [
    path("reports/", views.period_list, name="period_list"),
    path("reports/periods/new/", views.period_create, name="period_create"),
    path("reports/corrections/", views.correction_list, name="correction_list"),
    path("reports/forms/", setup_views.form_list, name="form_list"),
    path("reports/forms/new/", setup_views.form_edit, name="form_create"),
    path("reports/forms/<code:code>/", setup_views.form_edit, name="form_edit"),
    path("reports/holidays/", setup_views.holidays, name="holidays"),
    path("reports/programme/", setup_views.programme_workbook, name="programme_workbook"),
    path("reports/programme/export.xlsx", setup_views.programme_export, name="programme_export"),
    path(
        "reports/programme/template.xlsx",
        setup_views.programme_template,
        name="programme_template",
    ),
    path("reports/holidays/load/", setup_views.holiday_load, name="holiday_load"),
    path("reports/holidays/<int:pk>/delete/", setup_views.holiday_delete, name="holiday_delete"),
    path("reports/schedules/", setup_views.schedule_list, name="schedule_list"),
    path("reports/schedules/new/", setup_views.schedule_edit, name="schedule_create"),
    path("reports/schedules/run/", setup_views.schedule_run, name="schedule_run"),
    path("reports/schedules/<code:code>/", setup_views.schedule_edit, name="schedule_edit"),
    path(
        "reports/schedules/<code:code>/active/",
        setup_views.schedule_active,
        name="schedule_active",
    ),
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
