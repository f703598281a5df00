"""The Django admin for people, memberships, management positions and ethnic groups (administrators only).

Every change is kept by django-simple-history and can be read from each record's "History" page.
"""

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from coopportal.admin import BoundedSearchMixin

from .erasure import erase_personal_history
from .models import EthnicGroup, ManagementPosition, Membership, Person


@admin.register(EthnicGroup)
class EthnicGroupAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "aliases", "is_minority")
    list_filter = ("is_minority",)
    search_fields = ("code", "name_vi", "name_en", "aliases")


@admin.register(Person)
class PersonAdmin(BoundedSearchMixin, SimpleHistoryAdmin):
    # Ethnicity is sensitive personal data: it stays on the person's own page, out of lists and filters.
    list_display = ("full_name", "gender", "birth_year", "commune", "phone")
    list_filter = ("gender",)
    search_fields = ("full_name", "citizen_id", "phone")
    list_select_related = ("commune",)
    autocomplete_fields = ("commune",)

    def get_search_results(self, request, queryset, search_term):
        # Names are also matched without diacritics ("nguyen thi" finds "Nguyễn Thị"), as in the portal.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return results | queryset.search(search_term), may_have_duplicates

    # Deleting her keeps the deletion in her history but erases her personal data from it (members.erasure).
    def delete_model(self, request, obj):
        with transaction.atomic():
            person_id = obj.pk
            super().delete_model(request, obj)
            erase_personal_history(person_id)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            person_ids = list(queryset.values_list("pk", flat=True))
            super().delete_queryset(request, queryset)
            erase_personal_history(*person_ids)


@admin.register(Membership)
class MembershipAdmin(BoundedSearchMixin, SimpleHistoryAdmin):
    list_display = ("person", "organisation", "member_type", "joined_on", "left_on", "capital_contributed")
    list_filter = ("member_type",)
    search_fields = ("person__full_name", "organisation__name")
    list_select_related = ("person", "organisation")
    autocomplete_fields = ("person", "organisation")
    date_hierarchy = "joined_on"


@admin.register(ManagementPosition)
class ManagementPositionAdmin(BoundedSearchMixin, SimpleHistoryAdmin):
    list_display = ("person", "role", "organisation", "started_on", "ended_on")
    list_filter = ("role",)
    search_fields = ("person__full_name", "organisation__name")
    list_select_related = ("person", "organisation")
    autocomplete_fields = ("person", "organisation")
    date_hierarchy = "started_on"
