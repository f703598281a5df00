from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.forms import DateInput
from cooperatives.models import LegalForm, Sector
from cooperatives.selectors import communes_for, province_communes
from coopportal.fields import EARLIEST_DAY, ModelMultipleChoiceField

from .selectors import ReportFilters


def validate_report_day(day):
    """A report is of a day that has ended or is ending: from ``EARLIEST_DAY`` (1900, before any register) to today."""
    if day < EARLIEST_DAY:
        raise ValidationError(
            _("Figures start on %(day)s: choose a later date.") % {"day": EARLIEST_DAY.strftime("%d/%m/%Y")},
            code="before_registers",
        )
    if day > timezone.localdate():
        raise ValidationError(_("Figures are known up to today: choose today or an earlier date."), code="future")


class ReportForm(forms.Form):
    """The date and filters of a report, read from the query string of every report URL."""

    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DateInput(),
        help_text=_("Figures as they stood at the end of this day; empty means today."),
    )
    commune = ModelMultipleChoiceField(
        label=_("Communes"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"), choices=[("", _("All legal forms")), *LegalForm.choices], required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All sectors"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = province_communes() if user is None else communes_for(user)

    def clean_as_of(self):
        day = self.cleaned_data["as_of"] or timezone.localdate()
        validate_report_day(day)
        return day

    @property
    def report_filters(self):
        data = self.cleaned_data
        return ReportFilters(
            communes=tuple(sorted(data["commune"], key=lambda commune: commune.code)),
            legal_form=data["legal_form"],
            sector=data["sector"],
        )

    def error_text(self):
        """All errors as one line, for answers that are not a page (PDF, JSON)."""
        return " ".join(str(message) for messages in self.errors.values() for message in messages)
