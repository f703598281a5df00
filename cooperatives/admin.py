"""The Django admin for the register's reference data and organisations (administrators only)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coopportal.admin import BoundedSearchMixin

from .models import AdministrativeUnit, Organisation, Sector


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "code", "unit_type", "level", "scheme", "parent")
    list_filter = ("level", "scheme", "unit_type")
    search_fields = ("name", "code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


@admin.register(Sector)
class SectorAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ("name_vi", "name_en", "code", "position")
    list_editable = ("position",)
    search_fields = ("name_vi", "name_en", "code")


@admin.register(Organisation)
class OrganisationAdmin(BoundedSearchMixin, SimpleHistoryAdmin):
    list_display = ("name", "legal_form", "commune", "registration_number", "governance", "status")
    list_filter = ("legal_form", "status", "governance", "sectors")
    search_fields = ("name", "registration_number")
    list_select_related = ("commune",)
    autocomplete_fields = ("commune",)
    filter_horizontal = ("sectors",)
    date_hierarchy = "founded_on"

    def get_search_results(self, request, queryset, search_term):
        # Names are also matched without diacritics ("hop tac xa" finds "Hợp tác xã"), as in the portal.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return results | queryset.search(search_term), may_have_duplicates
