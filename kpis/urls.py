from django.urls import path

from hyrdash.lib.uploads import upload_urls
from kpis import views
from kpis.costs import views as cost_views
from kpis.national import views as national_views
from kpis.pack import views as pack_views
from kpis.sick_leave import views as sick_leave_views

app_name = "kpis"

urlpatterns = [
    path("", cost_views.dashboard, name="dashboard"),
    *upload_urls(views, pending="pending_id", batch="batch_id"),
]

urlpatterns += [
    path("manad/status/", views.month_status, name="month_status"),
    path("kommentar/", cost_views.commentary, name="commentary"),
    path("nationell-jamforelse/", national_views.national_upload, name="national_upload"),
    path(
        "nationell-jamforelse/<int:national_upload_id>/bekrafta/",
        national_views.national_upload_confirm,
        name="national_upload_confirm",
    ),
]

urlpatterns += [
    path("csv/<slug:series>/", cost_views.dashboard_csv, name="dashboard_csv"),
]

urlpatterns += [
    path("sjukfranvaro/", sick_leave_views.sick_leave, name="sick_leave"),
    path("sjukfranvaro/csv/<slug:code>/", sick_leave_views.sick_leave_csv, name="sick_leave_csv"),
]

urlpatterns += [
    path("styrgruppspaket/", pack_views.pack, name="pack"),
    path("styrgruppspaket/ladda-ner/", pack_views.pack_download, name="pack_download"),
    path("styrgruppspaket/texter/", pack_views.pack_texts, name="pack_texts"),
]
