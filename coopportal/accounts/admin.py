"""The Django admin: accounts, roles and scopes. Administrators alone reach it.

``User.save()`` keeps ``is_staff`` equal to "is an administrator", and the admin site lets in
only ``is_staff`` accounts, so Union staff and officials are sent to the admin's login page.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperatives.models import AdministrativeUnit, Level, Scheme
from coopportal.admin import BoundedSearchMixin
from coopportal.spreadsheets import Table, download

from .models import AccessLogEntry, Role, User

admin.site.site_header = _("Women's Union portal: administration")
admin.site.site_title = _("Women's Union portal")
admin.site.index_title = _("Accounts and reference data")

# Roles take the place of groups and per-model permissions: an administrator may do everything.
admin.site.unregister(Group)


class ScopeFormMixin:
    """A staff account limited to communes must name at least one, or it would see nothing."""

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role == Role.STAFF and not cleaned_data.get("province_wide") and not cleaned_data.get("scope_communes"):
            raise ValidationError(
                {"scope_communes": gettext("Tick “whole province” or choose the communes this staff member works on.")},
                code="staff_scope_missing",
            )
        return cleaned_data


class UserChangeForm(ScopeFormMixin, DjangoUserAdmin.form):
    class Meta(DjangoUserAdmin.form.Meta):
        model = User


class UserCreationForm(ScopeFormMixin, DjangoUserAdmin.add_form):
    class Meta(DjangoUserAdmin.add_form.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(BoundedSearchMixin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal details"), {"fields": ("last_name", "first_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "province_wide", "scope_communes", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        (_("Personal details"), {"fields": ("last_name", "first_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "province_wide", "scope_communes")}),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("scope_communes",)
    list_display = ("username", "full_name", "role", "scope", "is_active", "last_login")
    list_filter = ("role", "province_wide", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("scope_communes")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "scope_communes":
            # Scopes are communes of the current two-level scheme; legacy codes name other places.
            kwargs["queryset"] = AdministrativeUnit.objects.filter(
                level=Level.COMMUNE, scheme=Scheme.TWO_LEVEL_2025
            ).select_related("parent")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("scope"))
    def scope(self, user):
        if user.sees_whole_province:
            return gettext("Whole province")
        communes = user.scope_communes.all()
        return ", ".join(commune.name for commune in communes) or gettext("No commune")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """The access log, read-only: no one adds, changes or deletes an entry here (nor anywhere)."""

    list_display = ("at", "user", "kind", "object_model", "object_pk", "path", "query", "file_format", "ip_address")
    list_filter = ("kind", ("at", admin.DateFieldListFilter), ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user__username", "user__last_name", "user__first_name", "path", "query", "object_pk")
    date_hierarchy = "at"
    list_select_related = ("user",)
    actions = ["export_csv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the selected entries as CSV"))
    def export_csv(self, request, queryset):
        """The project's CSV (UTF-8 with its mark, formula-like texts kept as text), oldest entry first."""
        fields = ["at", "user", "kind", "object_model", "object_pk", "path", "query", "file_format", "ip_address"]
        rows = [
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user.username,
                entry.get_kind_display(),
                entry.object_model,
                entry.object_pk,
                entry.path,
                entry.query,
                entry.file_format,
                entry.ip_address,
            ]
            for entry in queryset.select_related("user").order_by("at", "pk")
        ]
        table = Table(
            title=gettext("Access log"),
            headers=[str(AccessLogEntry._meta.get_field(name).verbose_name) for name in fields],
            rows=rows,
        )
        return download([table], "csv", f"access-log-{timezone.localdate():%Y-%m-%d}")
