from django.views.generic import TemplateView

from .permissions import PortalViewMixin


class HomeView(PortalViewMixin, TemplateView):
    """Where each role starts: staff enter data, officials read figures, administrators manage."""

    template_name = "home.html"
