from django.urls import path

from hyrdash.lib.uploads import upload_urls

from . import views

app_name = "survey"

urlpatterns = [
    path("", views.results, name="results"),
    path("csv/<slug:chart>/", views.results_csv, name="results_csv"),
    *upload_urls(views, pending="upload_id", batch="import_id"),
]
