from django.urls import path

from scoring import views

app_name = "scoring"

MONTH = "scoring/<str:month>/"
CARD = f"{MONTH}<code:unit>/"

urlpatterns = [
    path("scoring/", views.index, name="index"),
    path("scoring/run/", views.run, name="run"),
    path("scoring/schemes/", views.scheme_list, name="schemes"),
    path("scoring/schemes/new/", views.scheme_create, name="scheme_create"),
    path("scoring/schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("scoring/schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("scoring/schemes/<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
    path("scoring/schemes/<int:pk>/criteria/new/", views.criterion_edit, name="criterion_create"),
    path(
        "scoring/schemes/<int:pk>/criteria/<int:criterion>/edit/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "scoring/schemes/<int:pk>/criteria/<int:criterion>/delete/",
        views.criterion_delete,
        name="criterion_delete",
    ),
    path("scoring/contests/<int:pk>/answer/", views.answer, name="answer"),
    path("scoring/contests/<int:pk>/file/", views.contest_file, name="contest_file"),
    path(MONTH, views.round_page, name="round"),
    path(f"{MONTH}publish/", views.publish, name="publish"),
    path(f"{MONTH}results.xlsx", views.export_xlsx, name="export_xlsx"),
    path(f"{MONTH}results.docx", views.export_docx, name="export_docx"),
    path(CARD, views.scorecard, name="scorecard"),
    path(f"{CARD}what-if/", views.what_if, name="what_if"),
    path(f"{CARD}lines/<int:pk>/contest/", views.contest, name="contest"),
    path(f"{CARD}lines/<int:pk>/adjust/", views.adjust, name="adjust"),
]
