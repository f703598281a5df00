from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coopportal.admin import BoundedSearchMixin

from .models import DiscussionTheme, Participant, Presentation, ProposedSolution, SolutionStatusChange, Workshop


@admin.register(DiscussionTheme)
class DiscussionThemeAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Administrators keep the list of themes; a theme used by a solution cannot be deleted."""

    list_display = ["position", "code", "name_vi", "name_en"]
    list_display_links = ["code"]
    list_editable = ["position"]
    ordering = ["position", "code"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["full_name", "gender", "organisation_name", "organisation_kind", "position", "attended"]


class PresentationInline(admin.TabularInline):
    model = Presentation
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(BoundedSearchMixin, SimpleHistoryAdmin):
    list_display = ["title", "start_date", "organiser_level", "commune", "status"]
    list_filter = ["status", "organiser_level"]
    search_fields = ["title"]
    date_hierarchy = "start_date"
    filter_horizontal = ["themes"]
    inlines = [PresentationInline, ParticipantInline]


class StatusChangeInline(admin.TabularInline):
    """The history of moves is a record: it is read here, never rewritten."""

    model = SolutionStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "note", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProposedSolution)
class ProposedSolutionAdmin(BoundedSearchMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "workshop", "theme", "responsible_body", "due_on", "status"]
    list_filter = ["status", "theme", "priority"]
    search_fields = ["text", "responsible_body"]
    readonly_fields = ["status"]
    raw_id_fields = ["proposed_by"]
    inlines = [StatusChangeInline]
