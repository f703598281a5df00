from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cooperatives.models import AdministrativeUnit, Organisation
from coopportal.accounts.scope import commune_ids_in_scope, restrict_to_scope
from coopportal.fields import RegisterDateField, TextLineField, TextLinesField
from coopportal.i18n import BilingualNameMixin
from coopportal.text import fold, identity_key
from members.models import Gender, Person


class OrganiserLevel(models.TextChoices):
    PROVINCE = "province", _("Provincial Women's Union")
    COMMUNE = "commune", _("Commune Women's Union")


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class WorkshopQuerySet(models.QuerySet):
    """Who reads and who manages a workshop.

    A commune Union's workshop belongs to its commune: staff of that commune manage it. A provincial
    Union's workshop belongs to the whole province, wherever it is held: staff working on the whole
    province manage it and commune staff may read it, since its conclusions concern them too.
    Officials read every workshop and manage none.
    """

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if commune_ids_in_scope(user) is None:
            return self
        return restrict_to_scope(self, user, "commune") | self.filter(organiser_level=OrganiserLevel.PROVINCE)

    def managed_by(self, user):
        if not user.is_authenticated or not user.can_edit:
            return self.none()
        if commune_ids_in_scope(user) is None:
            return self
        return restrict_to_scope(self.filter(organiser_level=OrganiserLevel.COMMUNE), user, "commune")


class DiscussionTheme(BilingualNameMixin, models.Model):
    """A theme discussed at workshops; administrators keep the list (the article's six and "other")."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_vi = TextLineField(_("name (Vietnamese)"), max_length=150)
    name_en = TextLineField(_("name (English)"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("discussion theme")
        verbose_name_plural = _("discussion themes")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class Workshop(models.Model):
    """A workshop organised by the provincial Union or a commune Union."""

    title = TextLineField(_("title"), max_length=300)
    purpose = TextLinesField(_("purpose"), blank=True)
    organiser_level = models.CharField(
        _("organised by"), max_length=10, choices=OrganiserLevel.choices, default=OrganiserLevel.PROVINCE
    )
    start_date = RegisterDateField(_("start date"))
    end_date = RegisterDateField(_("end date"))
    venue = TextLineField(_("venue"), max_length=255, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "commune", "scheme": "2025"},
        help_text=_("The commune whose Union organises it; for a provincial workshop, where it is held."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    outcome_summary = TextLinesField(_("summary of outcomes"), blank=True)
    themes = models.ManyToManyField(
        DiscussionTheme, verbose_name=_("themes discussed"), blank=True, related_name="workshops"
    )

    history = HistoricalRecords(m2m_fields=[themes])
    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="workshop_ends_after_starting",
                violation_error_code="end_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(organiser_level=OrganiserLevel.PROVINCE) | Q(commune__isnull=False),
                name="workshop_commune_union_has_commune",
                violation_error_code="commune_union_without_commune",
                violation_error_message=_("Choose the commune whose Union organises the workshop."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.status == WorkshopStatus.HELD and self.start_date and self.start_date > timezone.localdate():
            raise ValidationError(
                {"status": _("A workshop that has not started yet cannot be marked as held.")},
                code="held_in_future",
            )


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("Provincial department or agency")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    COOPERATIVE_ALLIANCE = "cooperative_alliance", _("Provincial Cooperative Alliance")
    UNION_PROVINCE = "union_province", _("Women's Union, provincial level")
    UNION_COMMUNE = "union_commune", _("Women's Union, commune level")
    COOPERATIVE = "cooperative", _("Cooperative or cooperative group")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """Someone invited to a workshop; ``attended`` tells who came."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="participants"
    )
    full_name = TextLineField(_("full name"), max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    organisation_name = TextLineField(_("organisation or agency"), max_length=255, blank=True)
    organisation_kind = models.CharField(
        _("kind of organisation"), max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    # "position" is also an order in a list: the context tells translators this one is a job.
    position = TextLineField(pgettext_lazy("job held", "position"), max_length=150, blank=True)
    attended = models.BooleanField(_("attended"), default=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_participations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_participants",
    )

    # Who added, changed or removed her, and when, as for the registers (issue 12); a sign-in sheet's rows too.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["organisation_kind", "organisation_name", "full_name", "pk"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.full_name)
        super().save(*args, **kwargs)

    def clean(self):
        # A participant linked to an organisation of the register is listed under its registered name.
        if self.organisation_id and not self.organisation_name:
            self.organisation_name = self.organisation.name
        if self.workshop_id and self.full_name and self.is_listed_already():
            raise ValidationError(
                {
                    "full_name": ValidationError(
                        _("%(participant)s is already a participant of this workshop.") % {"participant": self.label},
                        code="participant_already_listed",
                    )
                }
            )

    @property
    def label(self):
        """'Nguyễn Thị Hoa (Sở Tài chính)', as sign-in sheets name people."""
        return f"{self.full_name} ({self.organisation_name})" if self.organisation_name else self.full_name

    def same_person_key(self):
        """The same name in the same organisation, case, spacing and Unicode form aside, is the same person.

        Tone marks count: "Nguyễn Thị Hoa" and "Nguyễn Thị Hòa" are two people (``identity_key``).
        """
        return identity_key(self.full_name), identity_key(self.organisation_name)

    def is_listed_already(self):
        others = Participant.objects.filter(workshop_id=self.workshop_id, search_name=fold(self.full_name))
        return any(
            other.same_person_key() == self.same_person_key()
            for other in others.exclude(pk=self.pk).only("full_name", "organisation_name")
        )


class Presentation(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="presentations"
    )
    title = TextLineField(pgettext_lazy("presentation", "title"), max_length=300)
    presenter = TextLineField(_("presenter"), max_length=255)
    summary = TextLinesField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class SolutionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


# The moves a proposal may make; done and declined are final.
SOLUTION_MOVES = {
    SolutionStatus.PROPOSED: (SolutionStatus.ADOPTED, SolutionStatus.DECLINED),
    SolutionStatus.ADOPTED: (SolutionStatus.IN_PROGRESS, SolutionStatus.DECLINED),
    SolutionStatus.IN_PROGRESS: (SolutionStatus.DONE, SolutionStatus.DECLINED),
    SolutionStatus.DONE: (),
    SolutionStatus.DECLINED: (),
}
CLOSED_STATUSES = (SolutionStatus.DONE, SolutionStatus.DECLINED)


class ProposedSolutionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(workshop__in=Workshop.objects.for_user(user))

    def overdue_on(self, day):
        """Due before ``day`` and neither done nor declined."""
        return self.filter(due_on__lt=day).exclude(status__in=CLOSED_STATUSES)


class ProposedSolution(models.Model):
    """A solution proposed at a workshop, followed up until it is done or declined."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="solutions"
    )
    text = TextLinesField(_("proposed solution"))
    theme = models.ForeignKey(
        DiscussionTheme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="solutions"
    )
    proposed_by = models.ForeignKey(
        Participant,
        verbose_name=_("proposed by (participant)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solutions",
    )
    proposed_by_organisation = TextLineField(_("proposed by (organisation)"), max_length=255, blank=True)
    responsible_body = TextLineField(_("responsible body"), max_length=255)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    due_on = RegisterDateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=SolutionStatus.choices, default=SolutionStatus.PROPOSED, editable=False
    )

    history = HistoricalRecords()
    objects = ProposedSolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed solution")
        verbose_name_plural = _("proposed solutions")
        ordering = ["workshop", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_by__isnull=False) | ~Q(proposed_by_organisation=""),
                name="solution_has_a_proposer",
                violation_error_code="solution_without_proposer",
                violation_error_message=_("Say who proposed it: a participant or an organisation."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("workshops:solution_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.proposed_by_id and self.workshop_id and self.proposed_by.workshop_id != self.workshop_id:
            errors["proposed_by"] = ValidationError(
                _("The proposer must be a participant of this workshop."), code="proposer_not_participant"
            )
        if self.due_on and self.workshop_id and self.due_on < self.workshop.start_date:
            errors["due_on"] = ValidationError(
                _("The due date cannot be before the workshop."), code="due_before_workshop"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def proposer(self):
        if self.proposed_by and self.proposed_by_organisation:
            return f"{self.proposed_by} ({self.proposed_by_organisation})"
        return str(self.proposed_by or self.proposed_by_organisation)

    @property
    def next_statuses(self):
        return [SolutionStatus(status) for status in SOLUTION_MOVES[self.status]]

    def is_overdue_on(self, day):
        return bool(self.due_on and self.due_on < day and self.status not in CLOSED_STATUSES)


class SolutionStatusChange(models.Model):
    """One move of a proposed solution's status: who made it, when, and why."""

    solution = models.ForeignKey(
        ProposedSolution, verbose_name=_("proposed solution"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=15, choices=SolutionStatus.choices)
    to_status = models.CharField(_("to"), max_length=15, choices=SolutionStatus.choices)
    note = TextLinesField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("changed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
