"""Report pages and downloads: each reads the date and filters, asks the one selector, renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from coopportal.access_log import DOWNLOAD, log_access
from coopportal.accounts.permissions import PeopleViewerRequiredMixin, PortalViewMixin
from coopportal.downloads import refused_download
from coopportal.spreadsheets import Table, download
from coopportal.submissions import TOKEN_FIELD, OneTimeSubmissionMixin, new_token

from .forms import ReportForm
from .models import IssuedReport
from .rendering import description_lines, report_charts, report_tables, summary_pdf
from .selectors import (
    members_register_on,
    organisations_register_on,
    protect_small_counts,
    statistics,
    statistics_json,
)
from .services import report_issue

FILE_FORMATS = ("xlsx", "csv")


def may_issue(user):
    """Officials take reports into meetings; administrators may issue on their behalf."""
    return user.is_official or user.is_administrator


class ReportParametersMixin:
    """The date and filters every report URL takes as query parameters (``as_of``, ``commune``, …)."""

    def report_form(self, data=None):
        return ReportForm(self.request.GET if data is None else data, user=self.request.user)

    def bad_parameters(self, form):
        """A download refused for its date or filters: the dashboard, its form showing each error (400)."""
        return refused_download(self.request, DashboardView.as_view()(self.request))

    def report_statistics(self, form):
        return statistics(as_of=form.cleaned_data["as_of"], user=self.request.user, filters=form.report_filters)


class DashboardView(PortalViewMixin, ReportParametersMixin, TemplateView):
    """Where the province stands on a day: the sentence, headline cards, charts and tables."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.report_form()
        context.update(
            form=form, breadcrumbs=[{"label": _("Reports"), "url": ""}], may_issue=may_issue(self.request.user)
        )
        if context["may_issue"]:
            # Issuing adds a report: the button's form is sent once (coopportal.submissions).
            context[TOKEN_FIELD] = new_token(self.request.user)
        if not form.is_valid():
            return context
        figures = self.report_statistics(form)
        # Those who may not see individuals get the protected figures on screen too.
        protected = not self.request.user.may_see_people
        if protected:
            figures = protect_small_counts(figures)
        context.update(
            statistics=figures,
            charts=report_charts(figures),
            query=self.request.GET.urlencode(),
            parameters=[(name, value) for name, values in self.request.GET.lists() for value in values],
            filters_description=figures.filters.describe(),
            description=description_lines(figures, protected=protected),
        )
        return context


class SummaryPdfView(PortalViewMixin, ReportParametersMixin, View):
    def get(self, request, *args, **kwargs):
        form = self.report_form()
        if not form.is_valid():
            return self.bad_parameters(form)
        figures = self.report_statistics(form)
        log_access(request, DOWNLOAD, file_format="pdf")
        response = HttpResponse(summary_pdf(figures), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="bao-cao-tong-hop-{figures.as_of:%Y-%m-%d}.pdf"'
        return response


class StatsJsonView(PortalViewMixin, ReportParametersMixin, View):
    """The same object as ``manage.py stats --json``, for the logged-in user's scope."""

    def get(self, request, *args, **kwargs):
        form = self.report_form()
        if not form.is_valid():
            return JsonResponse({"error": form.error_text(), "fields": form.errors}, status=400)
        log_access(request, DOWNLOAD, file_format="json")
        return JsonResponse(statistics_json(self.report_statistics(form)), json_dumps_params={"ensure_ascii": False})


class BreakdownDownloadView(PortalViewMixin, ReportParametersMixin, View):
    """One table of the report as CSV or XLSX, or (``all``) every table as one workbook."""

    def get(self, request, table, file_format):
        if file_format not in FILE_FORMATS or (table == "all" and file_format != "xlsx"):
            raise Http404
        form = self.report_form()
        if not form.is_valid():
            return self.bad_parameters(form)
        figures = self.report_statistics(form)
        tables = report_tables(figures)
        if table != "all" and table not in tables:
            raise Http404
        chosen = list(tables.values()) if table == "all" else [tables[table]]
        log_access(request, DOWNLOAD, file_format=file_format)
        return download(chosen, file_format, f"bao-cao-{table}-{figures.as_of:%Y-%m-%d}")


class RegisterDownloadMixin(ReportParametersMixin):
    """A register's list as it stood on the chosen day, in the user's scope and filters."""

    register = None  # a selector taking as_of, user and filters

    def get(self, request, file_format):
        if file_format not in FILE_FORMATS:
            raise Http404
        form = self.report_form()
        if not form.is_valid():
            return self.bad_parameters(form)
        as_of = form.cleaned_data["as_of"]
        register = type(self).register(as_of=as_of, user=request.user, filters=form.report_filters)
        description = [
            _("Figures as of %(day)s") % {"day": as_of.strftime("%d/%m/%Y")},
            *form.report_filters.describe(),
        ]
        table = Table(title=register.title, headers=register.headers, rows=register.rows, description=description)
        log_access(request, DOWNLOAD, file_format=file_format)
        return download([table], file_format, f"{register.title}-{as_of:%Y-%m-%d}")


class OrganisationsDownloadView(PortalViewMixin, RegisterDownloadMixin, View):
    register = organisations_register_on


class MembersDownloadView(PeopleViewerRequiredMixin, RegisterDownloadMixin, View):
    register = members_register_on


class IssueReportView(PortalViewMixin, ReportParametersMixin, OneTimeSubmissionMixin, View):
    """An official issues the report for the date and filters on screen; the portal keeps it as issued."""

    def test_func(self):
        return may_issue(self.request.user)

    def resubmission_url(self):
        return reverse("reports:dashboard")

    def post(self, request, *args, **kwargs):
        self.refuse_resubmission()
        form = self.report_form(request.POST)
        if not form.is_valid():
            messages.error(request, form.error_text())
            return redirect("reports:dashboard")
        try:
            with self.claim_submission():
                report = report_issue(
                    issued_by=request.user, as_of=form.cleaned_data["as_of"], filters=form.report_filters
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reports:dashboard")
        messages.success(request, _("The report has been issued and kept; it can be downloaded again unchanged."))
        return redirect(report)


class IssuedReportListView(PortalViewMixin, ListView):
    template_name = "reports/issuedreport_list.html"
    paginate_by = 50

    def get_queryset(self):
        # The stored file and figures stay in the database until someone asks for them.
        return IssuedReport.objects.for_user(self.request.user).select_related("issued_by").defer("pdf", "figures")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumbs=[
                {"label": _("Reports"), "url": reverse("reports:dashboard")},
                {"label": _("Issued reports"), "url": ""},
            ],
            **kwargs,
        )


class IssuedReportDetailView(PortalViewMixin, DetailView):
    template_name = "reports/issuedreport_detail.html"

    def get_queryset(self):
        return IssuedReport.objects.for_user(self.request.user).select_related("issued_by").defer("pdf")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumbs=[
                {"label": _("Reports"), "url": reverse("reports:dashboard")},
                {"label": _("Issued reports"), "url": reverse("reports:issued_list")},
                {"label": str(self.object), "url": ""},
            ],
            **kwargs,
        )


class IssuedReportDownloadView(PortalViewMixin, View):
    """The stored bytes, exactly as issued."""

    def get(self, request, pk):
        report = IssuedReport.objects.for_user(request.user).filter(pk=pk).first()
        if report is None:
            raise Http404
        log_access(request, DOWNLOAD, report, file_format="pdf")
        response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
        response["X-Content-SHA256"] = report.sha256
        return response
