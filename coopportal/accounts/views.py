from django.views.generic import TemplateView

from .permissions import PortalViewMixin


class HomeView(PortalViewMixin, TemplateView):
    """Where each role starts: staff enter data, officials read figures, administrators manage."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        # Staff see at once which communes their work covers; the template itself never queries.
        scope = None if user.sees_whole_province else list(user.scope_communes.order_by("name"))
        return super().get_context_data(scope_communes=scope, **kwargs)
