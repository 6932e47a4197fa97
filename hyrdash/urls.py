from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", include("kpis.urls")),
    path("medarbetarundersokning/", include("survey.urls")),
    path("bemanning/", include("kpis.placements.urls")),
    path("start/", views.start, name="start"),
    path("konto/inloggning/", views.LoginView.as_view(), name="login"),
    path("konto/utloggning/", auth_views.LogoutView.as_view(), name="logout"),
    # Public, so the login page can be switched to English too.
    path("sprak/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "hyrdash"
admin.site.site_title = "hyrdash"
admin.site.index_title = "Administration"
