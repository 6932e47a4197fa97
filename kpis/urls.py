from django.urls import path

from . import views

app_name = "kpis"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("importera/", views.upload, name="upload"),
    path("importera/<int:pending_id>/bekrafta/", views.upload_confirm, name="upload_confirm"),
    path("importer/", views.batches, name="batches"),
    path("importer/<int:batch_id>/angra/", views.batch_undo, name="batch_undo"),
]

urlpatterns += [
    path("manad/status/", views.month_status, name="month_status"),
    path("kommentar/", views.commentary, name="commentary"),
    path("nationell-jamforelse/", views.national_upload, name="national_upload"),
]

urlpatterns += [
    path("csv/<slug:series>/", views.dashboard_csv, name="dashboard_csv"),
]

urlpatterns += [
    path("sjukfranvaro/", views.sick_leave, name="sick_leave"),
    path("sjukfranvaro/csv/<slug:code>/", views.sick_leave_csv, name="sick_leave_csv"),
]
