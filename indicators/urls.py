from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/import/template.xlsx", views.value_import_template, name="import_template"),
    path("indicators/violations/", views.violation_list, name="violations"),
    path("indicators/<code:code>/", views.indicator_detail, name="detail"),
]
