from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopportal.accounts.scope import restrict_to_scope
from coopportal.fields import PhoneField, RegisterDateField, TextLineField, TextLinesField
from coopportal.i18n import BilingualNameMixin
from coopportal.text import fold


class Scheme(models.TextChoices):
    """Which national coding a unit's code belongs to: the same digits mean different places."""

    TWO_LEVEL_2025 = "2025", _("Two-level scheme (from 1 July 2025)")
    LEGACY = "legacy", _("Three-level scheme (before 1 July 2025)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    COMMUNE = "commune", _("Commune")


class AdministrativeUnit(models.Model):
    """A province or a commune (xã, phường, đặc khu) with its code in a given scheme."""

    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices, default=Scheme.TWO_LEVEL_2025)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=5)
    name = TextLineField(_("name"), max_length=100)
    unit_type = TextLineField(_("type"), max_length=30)
    parent = models.ForeignKey(
        "self", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    legacy_codes = models.CharField(_("formed from (legacy codes)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "level", "code"], name="unique_unit_code_in_scheme"),
        ]

    def __str__(self):
        return self.name


class Sector(BilingualNameMixin, models.Model):
    """A sector of activity; administrators keep the list."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_vi = TextLineField(_("name (Vietnamese)"), max_length=100)
    name_en = TextLineField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class LegalForm(models.TextChoices):
    COOPERATIVE_GROUP = "group", _("Cooperative group")
    COOPERATIVE = "cooperative", _("Cooperative")
    UNION = "union", _("Union of cooperatives")


class Governance(models.TextChoices):
    FULL = "full", _("Full (Board of Directors)")
    SIMPLIFIED = "simplified", _("Simplified (Director and Controller)")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


# Dates in an organisation's life that cannot come before its founding (Law 17/2023 Art. 22–24: a
# cooperative is founded by its founding conference, then registered; the Union supports what exists).
DATES_NOT_BEFORE_FOUNDING = {
    "registration_date": _("An organisation cannot be registered before it is founded"),
    "status_changed_on": _("A change of status cannot be dated before the founding"),
    "supported_since": _("The Union cannot support an organisation before it is founded"),
}


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user):
        return restrict_to_scope(self, user, "commune")

    def search(self, text):
        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self


class Organisation(models.Model):
    """A collective economic organisation the Union supports: cooperative group, cooperative or union."""

    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.COOPERATIVE
    )
    name = TextLineField(_("name"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    registration_number = TextLineField(_("registration number"), max_length=50, null=True, blank=True, unique=True)
    registration_date = RegisterDateField(_("registration date"), null=True, blank=True)
    founded_on = RegisterDateField(_("founding date"), null=True, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"level": Level.COMMUNE, "scheme": Scheme.TWO_LEVEL_2025},
    )
    address = TextLineField(_("address"), max_length=255, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="organisations")
    main_products = TextLineField(_("main products"), max_length=255, blank=True)
    governance = models.CharField(
        _("governance model"), max_length=20, choices=Governance.choices, default=Governance.FULL
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = RegisterDateField(_("status date"), null=True, blank=True)
    supported_since = RegisterDateField(_("supported by the Union since"), null=True, blank=True)
    phone = PhoneField(_("contact phone"), blank=True)
    notes = TextLinesField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=[sectors])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_changed_on__isnull=False),
                name="organisation_status_change_dated",
                violation_error_message=_("Give the date of the suspension or dissolution."),
            ),
            models.CheckConstraint(
                condition=~Q(registration_number=""),
                name="organisation_registration_number_not_blank",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(founded_on__isnull=True)
                    | Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": models.F("founded_on")}),
                    name=f"organisation_{name}_not_before_founding",
                    violation_error_code="before_founding",
                    violation_error_message=format_lazy("{}.", message),
                )
                for name, message in DATES_NOT_BEFORE_FOUNDING.items()
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperatives:detail", kwargs={"pk": self.pk})

    def clean(self):
        """Registration, a status change and the Union's support come on or after the founding date."""
        if not self.founded_on:
            return
        founded = _("founded on %(day)s") % {"day": self.founded_on.strftime("%d/%m/%Y")}
        errors = {
            name: ValidationError(
                f"{message} ({founded}).",
                code="before_founding",
            )
            for name, message in DATES_NOT_BEFORE_FOUNDING.items()
            if getattr(self, name) and getattr(self, name) < self.founded_on
        }
        if errors:
            raise ValidationError(errors)

    def status_label_on(self, day):
        """The status as it stood on ``day``: a suspension or dissolution dated later had not happened yet."""
        if self.status != Status.ACTIVE and self.status_changed_on and self.status_changed_on > day:
            return Status.ACTIVE.label
        return self.get_status_display()
