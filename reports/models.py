from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopportal.accounts.scope import commune_ids_in_scope


class IssuedReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Issued reports are provincial documents: only those who see the whole province read them."""
        return self if user.is_authenticated and commune_ids_in_scope(user) is None else self.none()


class IssuedReport(models.Model):
    """A summary report as it was issued: its date, filters, figures and the very PDF bytes.

    The stored file is served again unchanged, whatever happens to the registers afterwards; the
    checksum lets anyone confirm a printed or forwarded copy is the issued one.
    """

    as_of = models.DateField(_("figures as of"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    filters_description = models.TextField(_("filters (as written in the report)"), blank=True)
    figures = models.JSONField(_("figures"))
    pdf = models.BinaryField(_("PDF file"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    objects = IssuedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return _("Summary report, figures as of %(day)s") % {"day": self.as_of.strftime("%d/%m/%Y")}

    def get_absolute_url(self):
        return reverse("reports:issued_detail", kwargs={"pk": self.pk})

    @property
    def filename(self):
        return f"bao-cao-tong-hop-{self.as_of:%Y-%m-%d}-{self.pk}.pdf"
