from django.contrib import admin

from coopportal.admin import BoundedSearchMixin

from .models import IssuedReport


@admin.register(IssuedReport)
class IssuedReportAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Issued reports are kept as issued: administrators can look, not change."""

    list_display = ["__str__", "issued_by", "issued_at", "sha256"]
    list_filter = ["as_of"]
    readonly_fields = ["as_of", "filters", "filters_description", "figures", "sha256", "issued_by", "issued_at"]
    exclude = ["pdf"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
