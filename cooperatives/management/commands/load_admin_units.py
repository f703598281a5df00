from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cooperatives.models import AdministrativeUnit
from cooperatives.reference import UnknownProvince, load_province


class Command(BaseCommand):
    help = "Load a province and its communes (2025 two-level scheme) from the national list."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            dest="provinces",
            help="Province code, e.g. 51 (Quảng Ngãi); repeat for several. Default: PORTAL_PROVINCE_CODE.",
        )

    def handle(self, *args, provinces=None, **options):
        for code in provinces or [settings.PORTAL_PROVINCE_CODE]:
            try:
                province, communes = load_province(code.zfill(2), AdministrativeUnit)
            except UnknownProvince as error:
                raise CommandError(
                    _("No province with code %(code)s in the national list.") % {"code": error}
                ) from None
            self.stdout.write(
                _("%(province)s: %(count)s communes loaded.") % {"province": province.name, "count": communes}
            )
