from django.urls import path

from . import views

app_name = "survey"

urlpatterns = [
    path("", views.results, name="results"),
    path("csv/<slug:chart>/", views.results_csv, name="results_csv"),
    path("importera/", views.upload, name="upload"),
    path("importera/<int:upload_id>/bekrafta/", views.upload_confirm, name="upload_confirm"),
    path("importer/", views.batches, name="batches"),
    path("importer/<int:import_id>/angra/", views.batch_undo, name="batch_undo"),
]
