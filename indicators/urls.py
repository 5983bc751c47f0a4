from django.urls import path

from indicators import setup_views, views

app_name = "indicators"

SETUP = "indicators/setup/"

setup_urls = [
    path(SETUP, setup_views.setup_home, name="setup"),
    path(f"{SETUP}elements/", setup_views.element_list, name="element_list"),
    path(f"{SETUP}elements/new/", setup_views.element_create, name="element_create"),
    path(f"{SETUP}elements/<code:code>/", setup_views.element_detail, name="element_detail"),
    path(f"{SETUP}elements/<code:code>/edit/", setup_views.element_edit, name="element_edit"),
    path(
        f"{SETUP}elements/<code:code>/delete/",
        setup_views.element_delete,
        name="element_delete",
    ),
    path(f"{SETUP}indicators/", setup_views.indicator_catalogue, name="catalogue"),
    path(f"{SETUP}indicators/new/", setup_views.indicator_create, name="indicator_create"),
    path(f"{SETUP}formula/", setup_views.formula_check, name="formula_check"),
    path(
        f"{SETUP}indicators/<code:code>/edit/",
        setup_views.indicator_edit,
        name="indicator_edit",
    ),
    path(
        f"{SETUP}indicators/<code:code>/delete/",
        setup_views.indicator_delete,
        name="indicator_delete",
    ),
    path(f"{SETUP}indicators/<code:code>/targets/", setup_views.indicator_targets, name="targets"),
    path(
        f"{SETUP}indicators/<code:code>/targets/<int:pk>/delete/",
        setup_views.target_delete,
        name="target_delete",
    ),
    path(f"{SETUP}sets/", setup_views.set_list, name="set_list"),
    path(f"{SETUP}sets/new/", setup_views.set_create, name="set_create"),
    path(f"{SETUP}sets/<code:code>/", setup_views.set_edit, name="set_edit"),
    path(f"{SETUP}sets/<code:code>/delete/", setup_views.set_delete, name="set_delete"),
    path(f"{SETUP}rules/", setup_views.rule_list, name="rule_list"),
    path(f"{SETUP}rules/new/", setup_views.rule_create, name="rule_create"),
    path(f"{SETUP}rules/fields/", setup_views.rule_fields, name="rule_fields"),
    path(f"{SETUP}rules/preview/", setup_views.rule_preview, name="rule_preview"),
    path(f"{SETUP}rules/<code:code>/", setup_views.rule_edit, name="rule_edit"),
    path(f"{SETUP}rules/<code:code>/delete/", setup_views.rule_delete, name="rule_delete"),
]

urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/import/template.xlsx", views.value_import_template, name="import_template"),
    path("indicators/violations/", views.violation_list, name="violations"),
    path("indicators/violations/summary/", views.period_check_summary, name="period_check"),
    path(
        "indicators/units/<code:unit_code>/history/",
        views.unit_figure_history,
        name="unit_history",
    ),
    *setup_urls,
    path("indicators/<code:code>/", views.indicator_detail, name="detail"),
]
