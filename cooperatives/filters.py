"""The organisation list's search, filters and sorting; the export reads the same filters."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.selectors import women_managed_on

from .models import LegalForm, Organisation, Sector, Status
from .selectors import communes_for

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class OrderingFilter(django_filters.OrderingFilter):
    """Rows equal on the chosen column follow by name, then id: a total order, so no row shows on two pages."""

    def filter(self, qs, value):
        queryset = super().filter(qs, value)
        return queryset.order_by(*queryset.query.order_by, "search_name", "pk") if value else queryset


def _communes(request):
    return communes_for(request.user) if request else Organisation.objects.none()


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    commune = django_filters.ModelChoiceFilter(empty_label=_("All"), label=_("Commune"), queryset=_communes)
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices)
    sector = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Sector"), field_name="sectors", queryset=Sector.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    women_managed = django_filters.ChoiceFilter(
        label=_("Women-managed today"), choices=YES_NO, method="filter_women_managed"
    )
    ordering = OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Name (A to Z)"),
        fields=(
            ("search_name", "name"),
            ("commune__name", "commune"),
            ("legal_form", "legal_form"),
            ("status", "status"),
            ("supported_since", "supported_since"),
        ),
        # Both directions labelled here: django-filter's own "(descending)" has no Vietnamese.
        field_labels={
            "search_name": _("Name (A to Z)"),
            "-name": _("Name (Z to A)"),
            "commune__name": _("Commune (A to Z)"),
            "-commune": _("Commune (Z to A)"),
            "legal_form": _("Legal form"),
            "-legal_form": _("Legal form (reversed)"),
            "status": _("Status"),
            "-status": _("Status (reversed)"),
            "supported_since": _("Supported since (oldest first)"),
            "-supported_since": _("Supported since (newest first)"),
        },
    )

    class Meta:
        model = Organisation
        fields = []

    def filter_name(self, queryset, name, value):
        # search_name holds the name folded (no case, no diacritics): "dong xuan" finds "Đồng Xuân".
        return queryset.search(value)

    def filter_women_managed(self, queryset, name, value):
        women_managed = women_managed_on(timezone.localdate(), queryset).values("pk")
        if value == "yes":
            return queryset.filter(pk__in=women_managed)
        return queryset.exclude(pk__in=women_managed)

    def applied(self):
        """The filters in use, as 'label: value' lines for an export's heading."""
        lines = []
        for name, value in self.form.cleaned_data.items():
            if name == "ordering" or value in (None, ""):
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            lines.append(f"{field.label}: {value}")
        return lines
