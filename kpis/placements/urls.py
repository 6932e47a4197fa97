from django.urls import path

from hyrdash.lib.uploads import upload_urls
from kpis.placements import views

app_name = "placements"

urlpatterns = [
    path("", views.placement_list, name="list"),
    path("csv/", views.placement_csv, name="csv"),
    path("konsult/<str:consultant_id>/", views.consultant, name="consultant"),
    path("konsult/<str:consultant_id>/atgard/", views.action, name="action"),
    path("overgangsbeslut/", views.transition, name="transition"),
    path("timmar/", views.hours, name="hours"),
    *upload_urls(views, pending="placement_upload_id", batch="placement_import_id"),
]
