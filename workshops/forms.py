from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperatives.forms import DateInput
from cooperatives.models import Organisation
from cooperatives.selectors import communes_for
from coopportal.accounts.scope import commune_ids_in_scope
from coopportal.concurrency import EditConflictMixin
from coopportal.fields import ModelMultipleChoiceField, TextLinesFormField
from members.models import Person

from .importers import read_sign_in_sheet
from .models import OrganiserLevel, Participant, Presentation, ProposedSolution, SolutionStatus, Workshop


class WorkshopForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        field_classes = {"themes": ModelMultipleChoiceField}
        fields = [
            "title",
            "purpose",
            "organiser_level",
            "commune",
            "venue",
            "start_date",
            "end_date",
            "status",
            "themes",
            "outcome_summary",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "outcome_summary": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.commune_ids = commune_ids_in_scope(user)
        if self.commune_ids is not None:
            # Commune staff organise their own communes' workshops; the provincial ones are not theirs.
            self.fields["organiser_level"].choices = [(OrganiserLevel.COMMUNE, OrganiserLevel.COMMUNE.label)]
            self.fields["commune"].required = True
        self.fields["commune"].queryset = communes_for(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", ValidationError(_("The end date cannot be before the start date."), code="end_before_start")
            )
        return cleaned


class ParticipantForm(EditConflictMixin, forms.ModelForm):
    """One participant; the person and organisation are picked with the register search."""

    class Meta:
        model = Participant
        fields = [
            "full_name",
            "gender",
            "organisation_name",
            "organisation_kind",
            "position",
            "attended",
            "person",
            "organisation",
        ]
        widgets = {"person": forms.HiddenInput, "organisation": forms.HiddenInput}

    def __init__(self, *args, user, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's own checks (someone listed twice) need to know the workshop.
        self.instance.workshop = workshop
        # Only people and organisations the user may see can be linked, whatever id is posted.
        self.fields["person"].queryset = Person.objects.for_user(user) if user.may_see_people else Person.objects.none()
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)

    def clean(self):
        cleaned_data = super().clean()
        # The links are hidden inputs the register search fills in: a refused one is said above the form.
        refused = {
            "person": _("The linked person is not in the register you can reach: search for her again."),
            "organisation": _("The linked organisation is not in the register you can reach: search for it again."),
        }
        for name, message in refused.items():
            if name in self._errors:
                self.add_error(None, ValidationError(message, code="link_out_of_reach"))
        return cleaned_data


class SignInSheetForm(forms.Form):
    sheet = forms.FileField(
        label=_("Sign-in sheet (XLSX or CSV)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    text = forms.CharField(
        label=_("or paste the rows here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Họ và tên\tGiới tính\tĐơn vị\tLoại đơn vị\tChức vụ"}),
        help_text=_("Columns: name, gender, organisation, kind, position; the first row names them."),
    )
    attended = forms.BooleanField(label=_("These people attended"), required=False, initial=True)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            cleaned["rows"] = read_sign_in_sheet(upload=cleaned.get("sheet"), text=cleaned.get("text", ""))
        return cleaned


class PresentationForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = Presentation
        fields = ["title", "presenter", "summary", "position"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class SolutionForm(EditConflictMixin, forms.ModelForm):
    class Meta:
        model = ProposedSolution
        fields = ["text", "theme", "proposed_by", "proposed_by_organisation", "responsible_body", "priority", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.workshop = workshop
        self.fields["proposed_by"].queryset = workshop.participants.all()


class SolutionMoveForm(EditConflictMixin, forms.Form):
    """A move of ``solution``'s status, refused when the solution changed after the page was opened."""

    # The move is a judgement on what the page showed: its status and what was proposed.
    tracked_fields = (
        "status",
        "text",
        "theme",
        "proposed_by",
        "proposed_by_organisation",
        "responsible_body",
        "priority",
        "due_on",
    )

    to_status = forms.ChoiceField(label=_("New status"))
    note = TextLinesFormField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, solution, **kwargs):
        super().__init__(*args, record=solution, **kwargs)
        self.fields["to_status"].choices = [(status.value, status.label) for status in solution.next_statuses]


class SolutionFilterForm(forms.Form):
    """The follow-up page's filters; every field optional."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
    responsible_body = forms.ChoiceField(label=_("Responsible body"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, themes, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(SolutionStatus.choices)
        self.fields["theme"].queryset = themes
        self.fields["theme"].empty_label = _("All")
        self.fields["responsible_body"].choices = everything + [(body, body) for body in bodies]
