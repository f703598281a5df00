"""The Django admin: accounts, roles and scopes. Administrators alone reach it.

``User.save()`` keeps ``is_staff`` equal to "is an administrator", and the admin site lets in
only ``is_staff`` accounts, so Union staff and officials are sent to the admin's login page.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperatives.models import AdministrativeUnit, Level, Scheme
from coopportal.admin import BoundedSearchMixin

from .models import Role, User

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
