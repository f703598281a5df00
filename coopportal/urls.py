from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from coopportal.accounts.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/", include("coopportal.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("cooperatives/", include("cooperatives.urls")),
    path("members/", include("members.urls")),
    path("workshops/", include("workshops.urls")),
    path("reports/", include("reports.urls")),
    path("imports/", include("imports.urls")),
    path("admin/", admin.site.urls),
]
