from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("products/", views.product_list, name="list"),
    path("products/export.xlsx", views.product_export, name="export"),
    path("products/import/", views.product_import, name="import"),
    path("products/import/template.xlsx", views.product_template, name="template"),
    path("products/new/", views.product_create, name="create"),
    path("products/window/", views.window_edit, name="window"),
    path("products/board/", views.board, name="board"),
    path("products/board/remind/", views.board_remind, name="board_remind"),
    path("products/<int:pk>/", views.product_detail, name="detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="edit"),
    path("products/<int:pk>/evidence/", views.evidence_download, name="evidence"),
    path("products/<int:pk>/deliver/", views.product_deliver, name="deliver"),
    path("products/<int:pk>/evaluate/", views.product_evaluate, name="evaluate"),
    path("products/<int:pk>/move/<str:move>/", views.product_move, name="move"),
    path(
        "products/<int:pk>/milestones/<int:milestone>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("products/<int:pk>/disbursements/", views.disbursement_add, name="disbursement_add"),
]
