"""The organisation form: input rules here, the register's invariants in the model."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coopportal.concurrency import EditConflictMixin
from coopportal.fields import ModelMultipleChoiceField

from .models import Organisation, Status
from .selectors import communes_for, likely_duplicate_organisations


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


class LikelyDuplicateMixin:
    """Form mixin: a save that looks like a record already in the register is held back with a warning.

    The form is shown again with ``likely_duplicates`` (what ``find_likely_duplicates`` returned; the
    template links to them) and a checkbox, ``save_anyway``, labelled ``save_anyway_label``: ticking it
    saves. The check runs only when the form is otherwise valid and, on an edit, when one of
    ``duplicate_fields`` changed, so that a record already listed as a likely duplicate can still be
    corrected without confirming each time.
    """

    save_anyway_label = ""
    duplicate_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.likely_duplicates = None
        self.fields["save_anyway"] = forms.BooleanField(
            label=self.save_anyway_label, required=False, widget=forms.HiddenInput
        )

    def find_likely_duplicates(self, cleaned_data):
        """Records the register already holds that are likely the one being saved (falsy when none)."""
        raise NotImplementedError

    @property
    def likely_duplicate_links(self):
        """``[(label, url)]`` of the likely duplicates the user may open, for the warning's list."""
        return [(str(record), record.get_absolute_url()) for record in self.likely_duplicates or []]

    @property
    def likely_duplicates_hidden(self):
        """How many likely duplicates lie outside the user's scope: they are counted, never shown."""
        return 0

    def likely_duplicate_message(self, found):
        """The sentence shown above the form when ``found`` (``find_likely_duplicates``'s answer) is not empty."""
        raise NotImplementedError

    def clean(self):
        cleaned_data = super().clean()
        # Only the form's question: it never reaches ``cleaned_data``, which views hand to services.
        save_anyway = cleaned_data.pop("save_anyway", False)
        is_new = getattr(getattr(self, "instance", None), "pk", None) is None
        if self._errors or save_anyway:
            return cleaned_data
        if not is_new and not set(self.changed_data) & set(self.duplicate_fields):
            return cleaned_data
        found = self.find_likely_duplicates(cleaned_data)
        if found:
            self.likely_duplicates = found
            self.fields["save_anyway"].widget = forms.CheckboxInput()
            self.add_error(None, ValidationError(self.likely_duplicate_message(found), code="likely_duplicate"))
        return cleaned_data


class OrganisationForm(EditConflictMixin, LikelyDuplicateMixin, forms.ModelForm):
    save_anyway_label = _("It is a different organisation: save anyway")
    duplicate_fields = ("name", "commune")

    class Meta:
        model = Organisation
        field_classes = {"sectors": ModelMultipleChoiceField}
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

    def find_likely_duplicates(self, cleaned_data):
        """The same name, case and diacritics aside, in the same commune (``likely_duplicate_organisations``)."""
        return likely_duplicate_organisations(cleaned_data.get("name"), cleaned_data.get("commune"), self.instance)

    def likely_duplicate_message(self, found):
        return ngettext(
            "An organisation with this name is already registered in this commune: check that it is not the same "
            "one. If it is a different organisation, tick the box below and save again.",
            "%(count)s organisations with this name are already registered in this commune: check that none of "
            "them is the same one. If it is a different organisation, tick the box below and save again.",
            len(found),
        ) % {"count": len(found)}

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
