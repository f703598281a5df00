"""The organisation form: input rules here, the register's invariants in the model."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopportal.concurrency import EditConflictMixin

from .models import Organisation, Status
from .selectors import communes_for


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and expects ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def refuse_future(form, *field_names):
    """Registers record what has happened: a date after today is a typing mistake."""
    today = timezone.localdate()
    for name in field_names:
        value = form.cleaned_data.get(name)
        if value and value > today:
            form.add_error(name, ValidationError(_("This date is in the future."), code="date_in_future"))


def add_service_errors(form, error):
    """Show a service's refusal on the form: on the field it names when the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class OrganisationForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "legal_form",
            "name",
            "registration_number",
            "registration_date",
            "founded_on",
            "commune",
            "address",
            "sectors",
            "main_products",
            "governance",
            "status",
            "status_changed_on",
            "supported_since",
            "phone",
            "notes",
        ]
        widgets = {
            "registration_date": DateInput(),
            "founded_on": DateInput(),
            "status_changed_on": DateInput(),
            "supported_since": DateInput(),
            "sectors": forms.CheckboxSelectMultiple(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "governance": _("Simplified: a micro cooperative with a Director and a Controller, without a board."),
            "status_changed_on": _("Required when the organisation is suspended or dissolved."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff of some communes only register organisations there.
        self.fields["commune"].queryset = communes_for(user)

    def clean(self):
        cleaned_data = super().clean()
        refuse_future(self, "registration_date", "founded_on", "status_changed_on", "supported_since")
        status = cleaned_data.get("status")
        if status and status != Status.ACTIVE and not cleaned_data.get("status_changed_on"):
            self.add_error(
                "status_changed_on",
                ValidationError(_("Give the date of the suspension or dissolution."), code="status_date_required"),
            )
        return cleaned_data
