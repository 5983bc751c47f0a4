from django.urls import path

from org import views

app_name = "org"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/merge/", views.unit_merge, name="unit_merge"),
    path("units/groups/", views.unit_group_list, name="unit_group_list"),
    path("units/groups/new/", views.unit_group_create, name="unit_group_create"),
    path("units/groups/<int:pk>/", views.unit_group_edit, name="unit_group_edit"),
    path("units/<code:code>/", views.unit_detail, name="unit_detail"),
    path("units/<code:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<code:code>/history/", views.unit_history, name="unit_history"),
    path("units/<code:code>/move/", views.unit_move, name="unit_move"),
    path("units/<code:code>/close/", views.unit_close, name="unit_close"),
    path("units/<code:code>/split/", views.unit_split, name="unit_split"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/import/", views.account_import, name="account_import"),
    path("accounts/import/template.xlsx", views.account_template, name="account_template"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path("accounts/<int:pk>/reset/", views.account_reset_password, name="account_reset_password"),
]
