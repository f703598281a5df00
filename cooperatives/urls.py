from django.urls import path
from django.views.generic import TemplateView

from coopportal.accounts.permissions import PortalViewMixin

app_name = "cooperatives"


class Placeholder(PortalViewMixin, TemplateView):
    template_name = "home.html"


urlpatterns = [path("", Placeholder.as_view(), name="list")]
