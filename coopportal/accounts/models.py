from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    STAFF = "staff", _("Union staff")
    OFFICIAL = "official", _("Official")


class User(AbstractUser):
    """A portal account. What it may see and change follows from its role and its scope."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICIAL)
    province_wide = models.BooleanField(
        _("whole province"),
        default=False,
        help_text=_("Staff with this box ticked work on the whole province; others only on their communes."),
    )
    scope_communes = models.ManyToManyField(
        "cooperatives.AdministrativeUnit",
        verbose_name=_("communes in scope"),
        blank=True,
        related_name="+",
        limit_choices_to={"level": "commune"},
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """Vietnamese order: family and middle names, then the given name."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def save(self, *args, **kwargs):
        # The Django admin is the administrators' alone: the flags follow the role.
        self.is_staff = self.is_superuser or self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    def has_perm(self, perm, obj=None):
        # Roles replace per-model permissions: an active administrator may do everything, in the admin too.
        return (self.is_active and self.is_administrator) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return (self.is_active and self.is_administrator) or super().has_module_perms(app_label)

    @property
    def is_administrator(self):
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_union_staff(self):
        return self.role == Role.STAFF

    @property
    def is_official(self):
        return self.role == Role.OFFICIAL and not self.is_superuser

    @property
    def can_edit(self):
        """Administrators and staff enter data; officials only read."""
        return self.is_administrator or self.is_union_staff

    @property
    def sees_whole_province(self):
        return self.is_administrator or self.is_official or self.province_wide

    @property
    def may_see_people(self):
        """Officials see figures, never the register of individuals or their sensitive data."""
        return self.can_edit


class SubmittedForm(models.Model):
    """The one-time token of a create form, claimed by the save it allowed (``coopportal.submissions``).

    The unique ``token`` is what makes a second POST of the same form, sequential or concurrent, save
    nothing; ``result_url`` is where that second POST is sent to see what the first one saved.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(_("path"), max_length=300)
    result_url = models.CharField(_("what it saved"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self):
        return f"{self.path} ({self.created_at:%Y-%m-%d %H:%M})"


class AccessKind(models.TextChoices):
    VIEW = "view", _("View of an individual's page")
    DOWNLOAD = "download", _("Download")


class AppendOnlyError(Exception):
    """An access log entry, once written, is never changed or deleted."""


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Access log entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Access log entries cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AccessLogEntry(models.Model):
    """Who read an individual's page or downloaded personal data or a report, when, and what.

    Written by ``coopportal.access_log.log_access``, one entry a request.

    Append-only: ``save()`` refuses an update, ``delete()`` and the queryset's ``update()`` and
    ``delete()`` raise, the admin only reads, and database triggers (migration 0004) refuse UPDATE
    and DELETE on the table on PostgreSQL and SQLite. A later migration that makes SQLite rebuild
    this table drops the triggers with it: it must create them again.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        # An account that has read personal data stays in the log: deactivate it, never delete it.
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    object_model = models.CharField(_("object's model"), max_length=100, blank=True)
    object_pk = models.CharField(_("object's id"), max_length=40, blank=True)
    path = models.CharField(_("path"), max_length=500)
    query = models.TextField(_("filters"), blank=True)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_model", "object_pk"], name="accesslog_object")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.path} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Access log entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Access log entries cannot be deleted.")
