"""The programme set-up pages (tasks.programme_views), in their own namespace: the menu marks
them apart from the task pages."""

from django.urls import path

from tasks import programme_views

app_name = "programme"

PROGRAMME = "programme/"
urlpatterns = [
    path(f"{PROGRAMME}sources/", programme_views.source_list, name="source_list"),
    path(f"{PROGRAMME}sources/new/", programme_views.source_create, name="source_create"),
    path(f"{PROGRAMME}sources/<code:code>/", programme_views.source_edit, name="source_edit"),
    path(
        f"{PROGRAMME}sources/<code:code>/delete/",
        programme_views.source_delete,
        name="source_delete",
    ),
    path(f"{PROGRAMME}sources/<code:code>/file/", programme_views.source_file, name="source_file"),
    path(f"{PROGRAMME}areas/", programme_views.area_list, name="area_list"),
    path(f"{PROGRAMME}areas/new/", programme_views.area_create, name="area_create"),
    path(f"{PROGRAMME}areas/<code:code>/", programme_views.area_edit, name="area_edit"),
    path(f"{PROGRAMME}areas/<code:code>/delete/", programme_views.area_delete, name="area_delete"),
    path(f"{PROGRAMME}groups/", programme_views.group_list, name="group_list"),
    path(f"{PROGRAMME}groups/new/", programme_views.group_create, name="group_create"),
    path(f"{PROGRAMME}groups/<code:code>/", programme_views.group_edit, name="group_edit"),
    path(
        f"{PROGRAMME}groups/<code:code>/delete/",
        programme_views.group_delete,
        name="group_delete",
    ),
]
