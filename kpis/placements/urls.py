from django.urls import path

from kpis.placements import views

app_name = "placements"

urlpatterns = [
    path("", views.placement_list, name="list"),
    path("csv/", views.placement_csv, name="csv"),
    path("konsult/<str:consultant_id>/", views.consultant, name="consultant"),
    path("konsult/<str:consultant_id>/atgard/", views.action, name="action"),
    path("overgangsbeslut/", views.transition, name="transition"),
    path("timmar/", views.hours, name="hours"),
    path("importera/", views.upload, name="upload"),
    path(
        "importera/<int:placement_upload_id>/bekrafta/", views.upload_confirm, name="upload_confirm"
    ),
    path("importer/", views.batches, name="batches"),
    path("importer/<int:placement_import_id>/angra/", views.batch_undo, name="batch_undo"),
]
