from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coopportal.accounts.scope import commune_ids_in_scope


class ImportStatus(models.TextChoices):
    """Where an import stands: queued → checking → checked → saving → saved (→ undone), or failed."""

    QUEUED = "queued", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked, not saved")
    SAVING = "saving", _("Being saved")
    SAVED = "saved", _("Saved")
    FAILED = "failed", _("Could not be read")
    UNDONE = "undone", _("Undone")


class RegisterImportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Imports a user may read: all for the whole province; else her own, and those wholly within her communes.

        An import that also touches other communes shows their rows (names, refused rows), so it stays
        with those who may see all of them.
        """
        commune_ids = commune_ids_in_scope(user)
        if commune_ids is None:
            return self
        elsewhere = RegisterImport.communes.through.objects.exclude(administrativeunit_id__in=commune_ids)
        return self.filter(
            Q(created_by=user) | (Q(communes__in=commune_ids) & ~Q(pk__in=elsewhere.values("registerimport_id")))
        ).distinct()


class RegisterImport(models.Model):
    """One upload of a register workbook: the file, how it was read, what it would change and what it did.

    The file stays with the import (its SHA-256 names it) so that the check can be run again with a
    corrected mapping, and so that what was saved can be traced to the bytes it came from.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("file"), editable=False)
    consent_on = models.DateField(_("consent forms collected on"), null=True, blank=True)
    consent_informed = models.BooleanField(_("people were told ethnicity is sensitive personal data"), default=False)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    sheets = models.JSONField(_("sheets read"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    plan_digest = models.CharField(_("digest of what the check found to do"), max_length=64, blank=True)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    organisations = models.JSONField(_("organisations in the file"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    failure = models.TextField(_("why it failed"), blank=True)
    communes = models.ManyToManyField(
        "cooperatives.AdministrativeUnit", verbose_name=_("communes"), blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegisterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:detail", kwargs={"pk": self.pk})

    @property
    def is_busy(self):
        """Whether the worker has it (queued, checking or saving)."""
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.SAVING)

    @property
    def may_be_saved(self):
        """Checked, no refused row, and something to create or change."""
        return self.status == ImportStatus.CHECKED and not self.errors and self.has_changes

    @property
    def has_changes(self):
        """Whether a save would create or change anything."""
        return any(entity.get("create") or entity.get("update") for entity in self.counts.values())


class RecordAction(models.TextChoices):
    """What an import did to a row of the register."""

    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")


class ImportedRecord(models.Model):
    """A row an import created or changed, with the history entries that let it be undone.

    ``history_id`` is the entry the import wrote; a later entry means someone changed the row since.
    ``previous_history_id`` is the entry before the import, whose values an undo puts back.
    """

    register_import = models.ForeignKey(RegisterImport, on_delete=models.CASCADE, related_name="records")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=RecordAction.choices)
    history_id = models.PositiveBigIntegerField(null=True)
    previous_history_id = models.PositiveBigIntegerField(null=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"
