import json
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.forms import validate_report_day
from reports.selectors import ReportFilters, province_communes, statistics, statistics_json


class Command(BaseCommand):
    help = "Print the headline for a day (today by default) for the whole province or some communes."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD; default today")
        parser.add_argument(
            "--commune", dest="communes", nargs="+", default=[], metavar="CODE", help="commune codes (2025 scheme)"
        )
        parser.add_argument("--json", dest="as_json", action="store_true", help="print one JSON object")

    def handle(self, *args, as_of=None, communes=(), as_json=False, **options):
        day = self.parse_day(as_of)
        figures = statistics(as_of=day, filters=ReportFilters(communes=self.find_communes(communes)))
        data = statistics_json(figures)
        if as_json:
            self.stdout.write(dump(data))
            return
        cooperatives = figures.cooperatives
        self.stdout.write(_("Figures as of %(day)s") % {"day": day.strftime("%d/%m/%Y")})
        for line in figures.filters.describe():
            self.stdout.write(f"  {line}")
        for label, value in (
            (_("Women-managed cooperatives"), data["women_managed_cooperatives"]),
            (_("Members"), data["members"]),
            (_("Women members"), data["women_members"]),
            (_("Women in management"), data["women_in_management"]),
            (_("With ethnic-minority members"), data["cooperatives_with_ethnic_minority_members"]),
            (_("Cooperatives"), cooperatives.existing),
        ):
            self.stdout.write(f"  {label}: {value}")

    def parse_day(self, text):
        if not text:
            return timezone.localdate()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise CommandError(_("“%(text)s” is not a date: write it as YYYY-MM-DD.") % {"text": text}) from None
        try:
            validate_report_day(day)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return day

    def find_communes(self, codes):
        if not codes:
            return ()
        found = {commune.code: commune for commune in province_communes().filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(_("No commune of the province has the code %(codes)s.") % {"codes": ", ".join(unknown)})
        return tuple(found[code] for code in sorted(set(codes)))


def dump(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
