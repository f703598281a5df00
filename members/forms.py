"""Forms of the members register: input rules here, the register's invariants in the models."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cooperatives.forms import DateInput, LikelyDuplicateMixin, refuse_future
from cooperatives.models import Status
from cooperatives.selectors import communes_for
from coopportal.accounts.scope import commune_ids_in_scope
from coopportal.concurrency import EditConflictMixin
from coopportal.fields import AmountFormField

from .models import Person, member_types_for
from .roles import Role, roles_allowed_for
from .selectors import likely_duplicates_of


def person_label(person):
    """How a person is told apart from namesakes in a picker: name, year of birth, commune."""
    details = [str(person.birth_year)] + ([person.commune.name] if person.commune_id else [])
    return f"{person.full_name} ({', '.join(details)})"


class PersonPicker(forms.ModelChoiceField):
    """Accepts anyone in the user's scope, but only lists ``candidates``: the register is too long for a select."""

    def __init__(self, *, user, candidates, **kwargs):
        super().__init__(queryset=Person.objects.for_user(user), **kwargs)
        self.candidates = candidates

    def label_from_instance(self, person):
        return person_label(person)

    @property
    def candidates(self):
        return self._candidates

    @candidates.setter
    def candidates(self, groups):
        """``groups``: a list of (heading, people); setting it lists them in the select."""
        self._candidates = groups
        choices = [("", _("— pick a person —"))]
        for heading, people in groups:
            if people:
                choices.append((heading, [(person.pk, person_label(person)) for person in people]))
        self.widget.choices = choices


class PersonForm(EditConflictMixin, LikelyDuplicateMixin, forms.ModelForm):
    """A person's details, new or edited; a likely duplicate (``likely_duplicates_of``) is confirmed before saving."""

    save_anyway_label = _("It is a different person: save anyway")
    duplicate_fields = ("full_name", "birth_year", "phone")

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_year",
            "birth_date",
            "commune",
            "phone",
            "citizen_id",
            "ethnic_group",
            "ethnicity_consent_on",
            "ethnicity_consent_informed",
        ]
        widgets = {"birth_date": DateInput(), "ethnicity_consent_on": DateInput()}
        help_texts = {
            "birth_date": _("Optional; its year must be the year of birth."),
            "citizen_id": _("Optional; 12 digits."),
            "ethnic_group": _(
                "Sensitive personal data: record it only if the person agrees, after being told it is sensitive."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Staff of some communes pick among theirs (and her present commune, to leave her where she is).
        self.fields["commune"].queryset = communes_for(user, keep=self.instance.commune_id)
        scope = commune_ids_in_scope(user)
        if scope is not None and self.instance.commune_id in scope:
            # She lives in the user's communes: an empty commune would take her out of their reach.
            self.fields["commune"].required = True

    def find_likely_duplicates(self, cleaned_data):
        return likely_duplicates_of(cleaned_data, self.user, exclude=self.instance)

    def likely_duplicate_message(self, found):
        count = len(found.visible) + found.hidden
        return ngettext(
            "A person with the same name and year of birth, or the same phone, is already in the register: check "
            "that it is not the same person. If it is someone else, tick the box below and save again.",
            "%(count)s people with the same name and year of birth, or the same phone, are already in the register: "
            "check that none of them is the same person. If it is someone else, tick the box below and save again.",
            count,
        ) % {"count": count}

    @property
    def likely_duplicate_links(self):
        return [(person_label(person), person.get_absolute_url()) for person in self.likely_duplicates.visible]

    @property
    def likely_duplicates_hidden(self):
        return self.likely_duplicates.hidden

    def clean(self):
        cleaned_data = super().clean()
        refuse_future(self, "birth_date", "ethnicity_consent_on")
        birth_year = cleaned_data.get("birth_year")
        if birth_year and birth_year > timezone.localdate().year:
            self.add_error("birth_year", ValidationError(_("This year is in the future."), code="date_in_future"))
        consented = cleaned_data.get("ethnicity_consent_on") and cleaned_data.get("ethnicity_consent_informed")
        if cleaned_data.get("ethnic_group") and not consented:
            self.add_error(
                "ethnic_group",
                ValidationError(
                    _(
                        "Ethnicity can only be recorded with the date of the person's consent and after telling "
                        "her it is sensitive personal data (tick the box)."
                    ),
                    code="ethnicity_without_consent",
                ),
            )
        return cleaned_data

    def person_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def refuse_end_before_start(form, start_name, end_name):
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start and end and end < start:
        form.add_error(
            end_name,
            ValidationError(
                _("This date is before the start (%(day)s).") % {"day": start.strftime("%d/%m/%Y")},
                code="ends_before_start",
            ),
        )


class OrganisationDatesMixin:
    """Dates in an organisation's life: not in the future, not before it was founded, not after it was dissolved."""

    def check_date(self, name):
        refuse_future(self, name)
        day, organisation = self.cleaned_data.get(name), self.organisation
        if not day:
            return
        if organisation.founded_on and day < organisation.founded_on:
            self.add_error(
                name,
                ValidationError(
                    _("This date is before the organisation was founded (%(day)s).")
                    % {"day": organisation.founded_on.strftime("%d/%m/%Y")},
                    code="before_founding",
                ),
            )
        dissolved_on = organisation.status_changed_on if organisation.status == Status.DISSOLVED else None
        if dissolved_on and day > dissolved_on:
            self.add_error(
                name,
                ValidationError(
                    _("This date is after the organisation was dissolved (%(day)s).")
                    % {"day": dissolved_on.strftime("%d/%m/%Y")},
                    code="after_dissolution",
                ),
            )


class MembershipFieldsForm(OrganisationDatesMixin, forms.Form):
    """A membership's own facts, as entered when adding a member and when correcting one."""

    member_type = forms.ChoiceField(label=_("Member type"))
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    left_on = forms.DateField(
        label=_("Left on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only to record a membership that has already ended."),
    )
    capital_contributed = AmountFormField(label=_("Capital contributed (VND)"), initial=0)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["member_type"].choices = [
            (member_type.value, member_type.label) for member_type in member_types_for(organisation.legal_form)
        ]

    def clean(self):
        cleaned_data = super().clean()
        self.check_date("joined_on")
        self.check_date("left_on")
        refuse_end_before_start(self, "joined_on", "left_on")
        return cleaned_data


class MembershipAddForm(MembershipFieldsForm):
    EXISTING, NEW = "existing", "new"

    who = forms.ChoiceField(
        label=_("Member"),
        choices=[(EXISTING, _("A person already in the register")), (NEW, _("A new person"))],
        initial=EXISTING,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, organisation, user, candidates, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["person"] = PersonPicker(user=user, candidates=candidates, label=_("Person"), required=False)
        self.order_fields(["who", "person"])

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("who") == self.EXISTING and not cleaned_data.get("person") and "person" not in self.errors:
            self.add_error(
                "person", ValidationError(_("Pick a person, or choose to add a new one."), code="person_required")
            )
        return cleaned_data

    @property
    def adds_new_person(self):
        return self.data.get(self.add_prefix("who")) == self.NEW


class MembershipCorrectForm(EditConflictMixin, MembershipFieldsForm):
    """Correct a saved membership: its person and organisation stay, the rest may be put right."""

    def __init__(self, *args, membership, **kwargs):
        initial = {
            name: getattr(membership, name) for name in ("member_type", "joined_on", "left_on", "capital_contributed")
        }
        super().__init__(*args, organisation=membership.organisation, initial=initial, record=membership, **kwargs)
        self.fields["left_on"].help_text = _("Leave it empty while the person is still a member.")


class PositionFieldsForm(OrganisationDatesMixin, forms.Form):
    """A term's own facts, as entered when appointing and when correcting a term."""

    role = forms.ChoiceField(label=_("Role"))
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())
    ended_on = forms.DateField(
        label=_("Ended on"),
        required=False,
        widget=DateInput(),
        help_text=_("Only to record a term that has already ended."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Only the roles the organisation's legal form and governance model have.
        allowed = roles_allowed_for(organisation.legal_form, organisation.governance)
        self.fields["role"].choices = [(role.value, role.label) for role in Role if role in allowed]

    def clean(self):
        cleaned_data = super().clean()
        self.check_date("started_on")
        self.check_date("ended_on")
        refuse_end_before_start(self, "started_on", "ended_on")
        return cleaned_data


class PositionAppointForm(PositionFieldsForm):
    def __init__(self, *args, organisation, user, candidates, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["person"] = PersonPicker(user=user, candidates=candidates, label=_("Person"))
        self.order_fields(["person"])


class PositionCorrectForm(EditConflictMixin, PositionFieldsForm):
    """Correct a saved term: its holder and organisation stay, the rest may be put right."""

    def __init__(self, *args, position, **kwargs):
        initial = {name: getattr(position, name) for name in ("role", "started_on", "ended_on")}
        super().__init__(*args, organisation=position.organisation, initial=initial, record=position, **kwargs)
        self.fields["ended_on"].help_text = _("Leave it empty while the term goes on.")


class EndDateForm(EditConflictMixin, forms.Form):
    """The last day of a membership or a term: on or after its first day, not in the future.

    The view gives the membership or term as ``record`` and the fields of it to check for a newer
    version as ``tracked_fields``.
    """

    on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, started_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_on = started_on
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day < self.started_on:
            raise ValidationError(
                _("This date is before the start (%(day)s).") % {"day": self.started_on.strftime("%d/%m/%Y")},
                code="ends_before_start",
            )
        if day > timezone.localdate():
            raise ValidationError(_("This date is in the future."), code="date_in_future")
        return day


class ConsentWithdrawForm(EditConflictMixin, forms.Form):
    """The day a person withdraws her consent: not before she gave it, not in the future.

    With the person as ``record``, it is refused when her ethnicity or consent changed after the
    page was opened; a change to her other details does not stand in the way of a withdrawal.
    """

    tracked_fields = ("ethnic_group", "ethnicity_consent_on", "ethnicity_consent_informed")

    on = forms.DateField(label=_("Consent withdrawn on"), widget=DateInput())

    def __init__(self, *args, given_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.given_on = given_on
        self.fields["on"].initial = timezone.localdate()

    def clean_on(self):
        day = self.cleaned_data["on"]
        if self.given_on and day < self.given_on:
            raise ValidationError(
                _("This date is before the consent (%(day)s).") % {"day": self.given_on.strftime("%d/%m/%Y")},
                code="withdrawn_before_consent",
            )
        if day > timezone.localdate():
            raise ValidationError(_("This date is in the future."), code="date_in_future")
        return day


class MergeForm(forms.Form):
    """Which of two records of one person to keep; the other is merged into it (``members.merging``)."""

    keep = forms.TypedChoiceField(label=_("Keep the record"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, first, second, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {first.pk: first, second.pk: second}
        choices = [(person.pk, f"#{person.pk} {person_label(person)}") for person in self.people.values()]
        self.fields["keep"].choices = choices
        self.fields["keep"].initial = first.pk

    def kept_and_merged(self):
        """``(kept, merged)`` as chosen."""
        kept = self.people[self.cleaned_data["keep"]]
        (merged,) = [person for pk, person in self.people.items() if pk != kept.pk]
        return kept, merged
