from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province: accounts, registers and workshops that `make run` loads."""

    name = "coopportal.demo"
    label = "demo"
    verbose_name = _("Demo data")
