"""Pages of the organisations register: list with filters and export, page, create and edit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from coopportal.access_log import DOWNLOAD, log_access
from coopportal.accounts.permissions import EditorRequiredMixin, PortalViewMixin, ScopedQuerysetMixin
from coopportal.concurrency import LockedRecordMixin
from coopportal.downloads import refused_download
from coopportal.records import dependents_of, describe_dependents, with_dependents_flag
from coopportal.spreadsheets import Table, download
from coopportal.submissions import OneTimeSubmissionMixin
from members.selectors import members_count_by_organisation, organisation_page, women_managed_ids
from members.services import organisation_change

from .filters import OrganisationFilter
from .forms import OrganisationForm, add_service_errors
from .models import Organisation
from .selectors import organisation_list
from .services import organisation_delete, organisation_register


def list_crumb():
    return {"label": _("Cooperatives"), "url": reverse("cooperatives:list")}


class OrganisationListView(PortalViewMixin, FilterView):
    model = Organisation
    filterset_class = OrganisationFilter
    template_name = "cooperatives/organisation_list.html"
    paginate_by = 25

    def get_queryset(self):
        return organisation_list(self.request.user).order_by("search_name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(context["object_list"])
        # Two queries for the page's rows, however many there are.
        members_today = members_count_by_organisation(today, rows)
        women_managed = women_managed_ids(today, Organisation.objects.filter(pk__in=[row.pk for row in rows]))
        for row in rows:
            row.members_today = members_today.get(row.pk, 0)
            row.women_managed_today = row.pk in women_managed
        context.update(breadcrumbs=[list_crumb()], rows=rows, today=today)
        return context


class OrganisationExportView(PortalViewMixin, View):
    """The filtered list, every row of it, as XLSX or CSV: organisations' facts and figures, no people.

    Filters that cannot be read give the list page with their errors (400), never a file of no rows.
    """

    def get(self, request, file_format):
        filterset = OrganisationFilter(
            request.GET, queryset=organisation_list(request.user).order_by("search_name", "pk"), request=request
        )
        if not filterset.is_valid():
            # The list shows the filters' errors; its form searches the list, not this download.
            list_page = OrganisationListView.as_view(extra_context={"filter_action": reverse("cooperatives:list")})
            return refused_download(request, list_page(request))
        organisations = list(filterset.qs)
        today = timezone.localdate()
        members_today = members_count_by_organisation(today, organisations)
        women_managed = women_managed_ids(today, Organisation.objects.filter(pk__in=[o.pk for o in organisations]))
        yes, no = _("Yes"), _("No")
        table = Table(
            title=_("Cooperatives and cooperative groups"),
            description=[
                _("As of %(day)s") % {"day": today.strftime("%d/%m/%Y")},
                *filterset.applied(),
                _("%(count)s organisations") % {"count": len(organisations)},
            ],
            headers=[
                _("Name"),
                _("Legal form"),
                _("Registration number"),
                _("Registration date"),
                _("Founding date"),
                _("Commune"),
                _("Address"),
                _("Sectors"),
                _("Main products"),
                _("Governance model"),
                _("Status"),
                _("Status date"),
                _("Supported since"),
                _("Contact phone"),
                _("Members today"),
                _("Women-managed today"),
            ],
            rows=[
                [
                    o.name,
                    o.get_legal_form_display(),
                    o.registration_number,
                    o.registration_date,
                    o.founded_on,
                    o.commune.name,
                    o.address,
                    ", ".join(sector.name for sector in o.sectors.all()),
                    o.main_products,
                    o.get_governance_display(),
                    o.get_status_display(),
                    o.status_changed_on,
                    o.supported_since,
                    o.phone,
                    members_today.get(o.pk, 0),
                    yes if o.pk in women_managed else no,
                ]
                for o in organisations
            ],
        )
        log_access(request, DOWNLOAD, file_format=file_format)
        return download([table], file_format, f"cooperatives-{today:%Y-%m-%d}")


class OrganisationDetailView(PortalViewMixin, ScopedQuerysetMixin, DetailView):
    model = Organisation
    template_name = "cooperatives/organisation_detail.html"

    def get_queryset(self):
        # Whether anything depends on it decides whether the page offers to delete it: in the same query.
        return with_dependents_flag(super().get_queryset().select_related("commune").prefetch_related("sectors"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            breadcrumbs=[list_crumb(), {"label": self.object.name, "url": ""}],
            register=organisation_page(self.object, timezone.localdate(), with_people=user.may_see_people),
        )
        return context


class OrganisationFormMixin(EditorRequiredMixin):
    model = Organisation
    form_class = OrganisationForm
    template_name = "cooperatives/organisation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            self.object = self.save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(name)s.") % {"name": self.object.name})
        return redirect(self.object)


class OrganisationCreateView(OrganisationFormMixin, OneTimeSubmissionMixin, CreateView):
    def save(self, data):
        with self.claim_submission():
            return organisation_register(**data)

    def get_context_data(self, **kwargs):
        title = _("New organisation")
        return super().get_context_data(title=title, breadcrumbs=[list_crumb(), {"label": title, "url": ""}], **kwargs)


class OrganisationUpdateView(OrganisationFormMixin, LockedRecordMixin, ScopedQuerysetMixin, UpdateView):
    def save(self, data):
        return organisation_change(organisation=self.object, **data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object.name},
            breadcrumbs=[
                list_crumb(),
                {"label": self.object.name, "url": self.object.get_absolute_url()},
                {"label": _("Edit"), "url": ""},
            ],
            **kwargs,
        )


class OrganisationDeleteView(EditorRequiredMixin, View):
    """Delete an organisation registered by mistake, after confirmation; refused, saying what depends on it,
    while anything does (members, terms, workshop participants): then the page offers no button."""

    def organisation(self):
        queryset = with_dependents_flag(Organisation.objects.for_user(self.request.user))
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get(self, request, pk):
        organisation = self.organisation()
        return render(
            request,
            "cooperatives/organisation_confirm_delete.html",
            {
                "organisation": organisation,
                "dependents": describe_dependents(dependents_of(organisation)) if organisation.has_dependents else "",
                "breadcrumbs": [
                    list_crumb(),
                    {"label": organisation.name, "url": organisation.get_absolute_url()},
                    {"label": _("Delete"), "url": ""},
                ],
            },
        )

    def post(self, request, pk):
        organisation = self.organisation()
        try:
            organisation_delete(organisation=organisation, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(organisation)
        messages.success(request, _("Deleted: %(name)s.") % {"name": organisation.name})
        return redirect("cooperatives:list")
