"""The member list's search and filters."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Organisation
from cooperatives.selectors import communes_for

from .models import Gender, Membership, MemberType, Person

CURRENT, FORMER = "current", "former"


def _organisations(request):
    return (
        Organisation.objects.for_user(request.user).order_by("search_name") if request else Organisation.objects.none()
    )


def _communes(request):
    return communes_for(request.user) if request else Organisation.objects.none()


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    commune = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Commune of residence"), queryset=_communes
    )
    # The three below describe one and the same membership: they are applied together in filter_queryset.
    organisation = django_filters.ModelChoiceFilter(
        empty_label=_("All"), label=_("Organisation"), queryset=_organisations, method="keep"
    )
    member_type = django_filters.ChoiceFilter(label=_("Member type"), choices=MemberType.choices, method="keep")
    standing = django_filters.ChoiceFilter(
        label=_("Current or former"),
        choices=[(CURRENT, _("Current members")), (FORMER, _("Former members"))],
        method="keep",
    )

    class Meta:
        model = Person
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        organisation, member_type, standing = (
            self.form.cleaned_data.get(name) for name in ("organisation", "member_type", "standing")
        )
        if not (organisation or member_type or standing):
            return queryset
        memberships = Membership.objects.for_user(self.request.user).filter(person=OuterRef("pk"))
        if organisation:
            memberships = memberships.filter(organisation=organisation)
        if member_type:
            memberships = memberships.filter(member_type=member_type)
        today = timezone.localdate()
        if standing == CURRENT:
            return queryset.filter(Exists(memberships.on(today)))
        if standing == FORMER:
            return queryset.filter(Exists(memberships.filter(left_on__lte=today))).exclude(
                Exists(memberships.on(today))
            )
        return queryset.filter(Exists(memberships))
