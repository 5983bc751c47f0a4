from django.urls import path

from directives import views

app_name = "directives"

urlpatterns = [
    path("directives/", views.directive_list, name="directive_list"),
    path("directives/export.xlsx", views.directive_export, name="directive_export"),
    path("directives/new/", views.directive_create, name="directive_create"),
    path("directives/<int:pk>/", views.directive_detail, name="directive_detail"),
    path("directives/<int:pk>/file/", views.directive_file, name="directive_file"),
    path("directives/<int:pk>/edit/", views.directive_edit, name="directive_edit"),
    path("directives/<int:pk>/delete/", views.directive_delete, name="directive_delete"),
]
