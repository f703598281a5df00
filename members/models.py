from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperatives.models import AdministrativeUnit, LegalForm, Organisation
from coopportal.accounts.scope import commune_ids_in_scope, restrict_to_scope
from coopportal.fields import AmountField, PhoneField, RegisterDateField, TextLineField
from coopportal.i18n import BilingualNameMixin
from coopportal.text import fold

from .roles import SINGLE_HOLDER_ROLES, Role, roles_allowed_for


class EthnicGroup(BilingualNameMixin, models.Model):
    """One of Vietnam's 54 ethnic groups, coded as in Decision 121-TCTK/PPCĐ (1979)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_vi = TextLineField(_("name (Vietnamese)"), max_length=50)
    name_en = TextLineField(_("name (English)"), max_length=50)
    aliases = TextLineField(_("other names"), max_length=200, blank=True)
    is_minority = models.BooleanField(_("ethnic minority"), default=True)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


citizen_id_validator = RegexValidator(
    r"^[0-9]{12}\Z", _("A citizen ID has exactly 12 digits."), code="invalid_citizen_id"
)


class PersonQuerySet(models.QuerySet):
    def for_user(self, user):
        """People living in the user's communes or members of an organisation there."""
        commune_ids = commune_ids_in_scope(user)
        if commune_ids is None:
            return self
        in_scope_members = Membership.objects.filter(organisation__commune__in=commune_ids).values("person")
        return self.filter(Q(commune__in=commune_ids) | Q(pk__in=in_scope_members))

    def search(self, text):
        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self


class Person(models.Model):
    """A member or manager of an organisation. Ethnicity is sensitive and needs recorded consent."""

    full_name = TextLineField(_("full name"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    birth_date = RegisterDateField(_("date of birth"), null=True, blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup, verbose_name=_("ethnic group"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ethnicity_consent_on = RegisterDateField(_("consent to record ethnicity given on"), null=True, blank=True)
    ethnicity_consent_informed = models.BooleanField(_("told that ethnicity is sensitive personal data"), default=False)
    ethnicity_consent_withdrawn_on = RegisterDateField(_("consent withdrawn on"), null=True, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune", "scheme": "2025"},
    )
    phone = PhoneField(_("phone"), blank=True)
    citizen_id = TextLineField(
        _("citizen ID"), max_length=12, null=True, blank=True, unique=True, validators=[citizen_id_validator]
    )

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ethnic_group__isnull=True)
                | Q(ethnicity_consent_on__isnull=False, ethnicity_consent_informed=True),
                name="person_ethnicity_needs_informed_consent",
                violation_error_message=_(
                    "Ethnicity can only be recorded with the person's consent, given after being told it is "
                    "sensitive personal data."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ethnicity_consent_withdrawn_on__isnull=True)
                | Q(ethnicity_consent_on__isnull=True)
                | Q(ethnicity_consent_on__gt=models.F("ethnicity_consent_withdrawn_on")),
                name="person_consent_after_withdrawal",
                violation_error_code="consent_before_withdrawal",
                violation_error_message=_(
                    "Consent withdrawn cannot be used again: a new consent must be given, and dated, after the "
                    "withdrawal."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            # The code goes on the field's error: ValidationError ignores a code given beside a dict.
            errors["birth_date"] = ValidationError(
                _("The date of birth does not match the year of birth."), code="birth_year_mismatch"
            )
        withdrawn_on, consent_on = self.ethnicity_consent_withdrawn_on, self.ethnicity_consent_on
        if withdrawn_on and consent_on and consent_on <= withdrawn_on:
            # Decree 356/2025: withdrawn consent ends the processing; only a new consent, given after it, restarts it.
            errors["ethnicity_consent_on"] = ValidationError(
                _(
                    "Consent was withdrawn on %(day)s: record the date of a new consent, given after the withdrawal "
                    "and after telling her again that ethnicity is sensitive personal data."
                )
                % {"day": withdrawn_on.strftime("%d/%m/%Y")},
                code="consent_before_withdrawal",
            )
        if errors:
            raise ValidationError(errors)

    def age_on(self, day):
        """Age in whole years on ``day``; from the year alone when no exact date is known."""
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        return day.year - self.birth_year


class MemberType(models.TextChoices):
    OFFICIAL = "official", _("Official member")
    ASSOCIATE_CAPITAL = "associate_capital", _("Associate member, contributing capital")
    ASSOCIATE_NO_CAPITAL = "associate_no_capital", _("Associate member, not contributing capital")
    GROUP_MEMBER = "group_member", _("Cooperative group member")


def member_types_for(legal_form):
    if legal_form == LegalForm.COOPERATIVE_GROUP:
        return [MemberType.GROUP_MEMBER]
    return [MemberType.OFFICIAL, MemberType.ASSOCIATE_CAPITAL, MemberType.ASSOCIATE_NO_CAPITAL]


class DatedQuerySet(models.QuerySet):
    """Rows with a start and an optional end: in force on a day when start <= day < end."""

    start_field = ""
    end_field = ""

    def on(self, day):
        return self.filter(**{f"{self.start_field}__lte": day}).filter(
            Q(**{f"{self.end_field}__isnull": True}) | Q(**{f"{self.end_field}__gt": day})
        )

    def for_user(self, user):
        return restrict_to_scope(self, user, "organisation__commune")


class MembershipQuerySet(DatedQuerySet):
    start_field = "joined_on"
    end_field = "left_on"


class Membership(models.Model):
    """A person's membership of an organisation. Ending it keeps it, so the history stays."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    member_type = models.CharField(_("member type"), max_length=30, choices=MemberType.choices)
    joined_on = RegisterDateField(_("joined on"))
    left_on = RegisterDateField(_("left on"), null=True, blank=True)
    capital_contributed = AmountField(_("capital contributed (VND)"), default=0)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["joined_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joining",
                violation_error_message=_("The date of leaving cannot be before the date of joining."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.organisation}"

    def clean(self):
        errors = {}
        if (
            self.organisation_id
            and self.member_type
            and self.member_type not in member_types_for(self.organisation.legal_form)
        ):
            errors["member_type"] = ValidationError(
                _("This member type does not exist in a %(form)s.")
                % {"form": self.organisation.get_legal_form_display().lower()},
                code="member_type_for_legal_form",
            )
        if self.person_id and self.joined_on and self.person.age_on(self.joined_on) < 0:
            errors["joined_on"] = ValidationError(
                _("This date is before the person was born."), code="joined_before_birth"
            )
        # Law 17/2023 Art. 30: an individual official member, or associate contributing capital, is 18 or older.
        elif (
            self.person_id
            and self.joined_on
            and self.member_type in (MemberType.OFFICIAL, MemberType.ASSOCIATE_CAPITAL)
            and self.person.age_on(self.joined_on) < 18
        ):
            errors["joined_on"] = ValidationError(
                _("An official member, or a member contributing capital, must be 18 or older on joining."),
                code="official_member_under_18",
            )
        founded_on = self.organisation.founded_on if self.organisation_id else None
        if self.joined_on and founded_on and self.joined_on < founded_on and "joined_on" not in errors:
            errors["joined_on"] = ValidationError(
                _("No one joins an organisation before it is founded (%(day)s).")
                % {"day": founded_on.strftime("%d/%m/%Y")},
                code="joined_before_founding",
            )
        if self.person_id and self.organisation_id and self.joined_on and any_rows(self.overlapping()):
            errors["joined_on"] = self.overlap_error()
        if errors:
            raise ValidationError(errors)

    def overlap_error(self):
        """The refusal of an overlapping membership, on ``joined_on``: ``clean()`` raises it, and so does
        the database's exclusion constraint through ``coopportal.validation.constraint_errors``."""
        return ValidationError(
            _("This person is already a member of this organisation during these dates."),
            code="overlapping_membership",
        )

    def overlapping(self):
        """The person's other memberships of the organisation whose dates overlap this one's.

        A batch that has already read them sets ``known_siblings`` (a list), so that checking ten
        thousand new memberships does not ask the database ten thousand times.
        """
        others = getattr(self, "known_siblings", None)
        if others is None:
            others = Membership.objects.filter(person_id=self.person_id, organisation_id=self.organisation_id)
            others = others.exclude(pk=self.pk)
        else:
            others = [other for other in others if other is not self and (other.pk is None or other.pk != self.pk)]
        return overlapping_periods(others, "joined_on", "left_on", self.joined_on, self.left_on)


def overlapping_periods(rows, start_field, end_field, start, end):
    """Rows whose [start, end) period overlaps [start, end); None ends never.

    ``rows`` is a queryset (filtered in the database) or a list of instances already loaded (filtered
    here, by the same rule).
    """
    if isinstance(rows, list):
        return [
            row
            for row in rows
            if (getattr(row, end_field) is None or getattr(row, end_field) > start)
            and (end is None or getattr(row, start_field) < end)
        ]
    overlapping = rows.filter(Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": start}))
    if end is not None:
        overlapping = overlapping.filter(**{f"{start_field}__lt": end})
    return overlapping


def any_rows(rows):
    """Whether a queryset or a list from ``overlapping_periods`` holds anything."""
    return bool(rows) if isinstance(rows, list) else rows.exists()


class PositionQuerySet(DatedQuerySet):
    start_field = "started_on"
    end_field = "ended_on"


class ManagementPosition(models.Model):
    """A term in a management role. One chair, one director and one group leader at a time."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="positions")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="positions"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    started_on = RegisterDateField(_("started on"))
    ended_on = RegisterDateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("management position")
        verbose_name_plural = _("management positions")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ended_after_starting",
                violation_error_message=_("The end of a term cannot be before its start."),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.person} – {self.organisation}"

    def clean(self):
        if not (self.organisation_id and self.role and self.started_on):
            return
        organisation = self.organisation
        if self.role not in roles_allowed_for(organisation.legal_form, organisation.governance):
            raise ValidationError(
                {
                    "role": ValidationError(
                        _("This role does not exist in this organisation's governance model."),
                        code="role_for_governance",
                    )
                }
            )
        if self.role in SINGLE_HOLDER_ROLES:
            # A batch that has read the organisation's terms in this role sets ``known_siblings`` (a list).
            others = getattr(self, "known_siblings", None)
            if others is None:
                others = ManagementPosition.objects.filter(organisation_id=self.organisation_id, role=self.role)
                others = others.exclude(pk=self.pk)
            else:
                others = [other for other in others if other is not self and (other.pk is None or other.pk != self.pk)]
            if any_rows(overlapping_periods(others, "started_on", "ended_on", self.started_on, self.ended_on)):
                raise ValidationError({"started_on": self.single_holder_error()})

    def single_holder_error(self):
        """The refusal of a second holder of a single-holder role, on ``started_on``: ``clean()`` raises it,
        and so does the database's exclusion constraint through ``coopportal.validation.constraint_errors``."""
        return ValidationError(
            _("The organisation already has a %(role)s during these dates: end that term first.")
            % {"role": self.get_role_display().lower()},
            code="single_holder_role_taken",
        )


class PersonMergeQuerySet(models.QuerySet):
    def for_user(self, user):
        """Merges whose kept person the user may see: the merged one was in the same scope when merged."""
        return self.filter(kept_person_id__in=Person.objects.for_user(user).values("pk"))


class PersonMerge(models.Model):
    """Two records of one person made one: what ``members.merging.person_merge`` did, kept so that it can be undone.

    The merged person is deleted; ``merged_person`` holds her fields as they were (``{attname: value}``,
    JSON), ``moved`` the ids of the rows that pointed to her (``{model label: [pk, …]}``) and ``filled``
    the kept person's fields that were empty and took her values (``{attname: [before, after]}``).
    ``kept_person`` has no database constraint: if the kept person is in turn merged away, this record
    keeps her id, and undoing that later merge first brings her back with it.
    """

    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT, related_name="+"
    )
    kept_person = models.ForeignKey(
        Person,
        verbose_name=_("kept person"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    merged_person_id = models.PositiveBigIntegerField(_("id of the merged person"))
    merged_person = models.JSONField(_("merged person's details"), encoder=DjangoJSONEncoder)
    moved = models.JSONField(_("rows moved"), default=dict)
    filled = models.JSONField(_("fields filled in"), default=dict, encoder=DjangoJSONEncoder)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PersonMergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge of two person records")
        verbose_name_plural = _("merges of person records")
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return _("%(merged)s merged into #%(kept)s") % {
            "merged": self.merged_person.get("full_name", f"#{self.merged_person_id}"),
            "kept": self.kept_person_id,
        }

    def get_absolute_url(self):
        return reverse("members:merge_detail", kwargs={"pk": self.pk})
