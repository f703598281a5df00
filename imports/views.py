"""Pages of the register import: the log, the upload, one page per import in whatever state, save and undo.

Every page is for those who enter data, and reaches an import through ``RegisterImport.objects.for_user``:
a forged id answers 404. Changing an import (correcting its mapping, saving, undoing) also needs every
commune it touches to be in the user's scope, since a save or an undo writes in each of them.
"""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from cooperatives.forms import add_service_errors
from coopportal.access_log import DOWNLOAD, log_access
from coopportal.accounts.permissions import EditorRequiredMixin
from coopportal.accounts.scope import commune_ids_in_scope
from coopportal.spreadsheets import XLSX_TYPE, download
from coopportal.submissions import OneTimeSubmissionMixin
from coopportal.uploads import read_upload

from .engine import ENTITIES, ENTITY_LABELS
from .forms import MappingForm, UploadForm
from .models import ImportStatus, RegisterImport
from .refused_rows import refused_rows_tables
from .selectors import import_log
from .services import import_queue_save, import_remap, import_undo, import_upload, progress_of, undo_blockers
from .tasks import check_register_import, save_register_import
from .template_workbook import build_template

LIST_CRUMB = {"label": gettext_lazy("Imports"), "url": reverse_lazy("imports:list")}
GOVERNANCE_SOURCES = {
    "column": gettext_lazy("from the file's column"),
    "roles": gettext_lazy("inferred from the roles listed"),
    "chosen": gettext_lazy("chosen here"),
    "": gettext_lazy("as in the register"),
}
DETAIL_TEMPLATE = "imports/import_detail.html"
# A page of thousands of refused rows helps no one: the rest are in the download.
REFUSED_ROWS_SHOWN = 300


def entity_counts(register_import):
    """Create / update / unchanged per entity, zeros before a check, in the order the register nests them."""
    return [
        {
            "entity": entity,
            "label": ENTITY_LABELS[entity],
            **{
                action: register_import.counts.get(entity, {}).get(action, 0)
                for action in ("create", "update", "unchanged")
            },
        }
        for entity in ENTITIES
    ]


def may_change(user, register_import):
    """Whether ``user`` may correct, save or undo the import: every commune it touches is hers."""
    scope = commune_ids_in_scope(user)
    return scope is None or set(register_import.communes.values_list("pk", flat=True)) <= scope


def locked_import(user, pk, *, with_content=False):
    """The import for a change, its row locked until the request ends, so that two clicks cannot both act.

    The lock is taken on the row alone: ``for_user`` may add DISTINCT, which PostgreSQL refuses with
    FOR UPDATE, so the scope is a subquery.
    """
    queryset = RegisterImport.objects.select_for_update().filter(
        pk__in=RegisterImport.objects.for_user(user).values("pk")
    )
    if not with_content:
        queryset = queryset.defer("content")
    register_import = get_object_or_404(queryset, pk=pk)
    if not may_change(user, register_import):
        raise PermissionDenied
    return register_import


def read_sheets_of(register_import):
    return lambda: read_upload(bytes(register_import.content), register_import.file_name)


def import_crumbs(register_import, *labels):
    return [LIST_CRUMB, {"label": register_import.file_name, "url": register_import.get_absolute_url()}] + [
        {"label": label, "url": ""} for label in labels
    ]


class ImportListView(EditorRequiredMixin, ListView):
    """Every import the user may read, newest first."""

    template_name = "imports/import_list.html"
    context_object_name = "imports"
    paginate_by = 50

    def get_queryset(self):
        return import_log(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(breadcrumbs=[LIST_CRUMB], **kwargs)
        context["rows"] = [
            {
                "import": register_import,
                "counts": entity_counts(register_import),
                "refused": len(register_import.errors),
            }
            for register_import in context["imports"]
        ]
        return context


class ImportUploadView(EditorRequiredMixin, OneTimeSubmissionMixin, FormView):
    form_class = UploadForm
    template_name = "imports/import_upload.html"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            with self.claim_submission():
                register_import = import_upload(
                    user=self.request.user,
                    file_name=Path(upload.name).name,
                    content=upload.read(),
                    consent_on=form.cleaned_data["consent_on"],
                    consent_informed=form.cleaned_data["consent_informed"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        check_register_import.enqueue(register_import.pk)
        return redirect(register_import)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[LIST_CRUMB, {"label": _("New import"), "url": ""}], **kwargs)


def detail_context(request, register_import, form=None):
    """What the import's page shows in its present state; ``form`` is a mapping form posted with errors."""
    context = {
        "register_import": register_import,
        "counts": entity_counts(register_import),
        "may_change": may_change(request.user, register_import),
        "breadcrumbs": [LIST_CRUMB, {"label": register_import.file_name, "url": ""}],
    }
    if register_import.is_busy:
        context["progress"] = progress_of(register_import)
    if register_import.status == ImportStatus.CHECKED:
        if form is None:
            form = MappingForm(register_import=register_import, read_sheets=read_sheets_of(register_import))
        context["form"] = form
        context["refused_rows"] = register_import.errors[:REFUSED_ROWS_SHOWN]
        context["refused_rows_more"] = max(len(register_import.errors) - REFUSED_ROWS_SHOWN, 0)
        context["governance_sources"] = GOVERNANCE_SOURCES
    return context


# Pages that only read run outside a transaction, so that on SQLite they are not queued behind the worker's save.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ImportDetailView(EditorRequiredMixin, DetailView):
    """One import in whatever state: progress, preview with the mapping, what was saved, or why it failed."""

    template_name = DETAIL_TEMPLATE
    context_object_name = "register_import"

    def get_queryset(self):
        return (
            RegisterImport.objects.for_user(self.request.user)
            .select_related("created_by", "saved_by", "undone_by")
            .defer("content")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**detail_context(self.request, self.object), **kwargs)


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ImportProgressView(EditorRequiredMixin, View):
    """The progress of the work under way, as the detail page's script polls it."""

    def get(self, request, pk):
        register_import = get_object_or_404(RegisterImport.objects.for_user(request.user).only("pk", "status"), pk=pk)
        progress = progress_of(register_import)
        return JsonResponse(
            {
                "status": register_import.status,
                "status_label": register_import.get_status_display(),
                "done": progress["done"],
                "total": progress["total"],
                "percent": progress["percent"],
                "busy": register_import.is_busy,
            }
        )


class ImportRemapView(EditorRequiredMixin, View):
    """Keep the corrected mapping and governance choices, and check the file again with them."""

    http_method_names = ["post"]

    def post(self, request, pk):
        register_import = locked_import(request.user, pk, with_content=True)
        if register_import.status != ImportStatus.CHECKED:
            messages.error(request, _("Only a checked import that has not been saved can be corrected."))
            return redirect(register_import)
        form = MappingForm(request.POST, register_import=register_import, read_sheets=read_sheets_of(register_import))
        if not form.is_valid():
            messages.error(request, _("The corrections could not be used; see the marked fields below."))
            return render(request, DETAIL_TEMPLATE, detail_context(request, register_import, form=form))
        import_remap(register_import=register_import, mapping=form.cleaned_data["mapping"])
        check_register_import.enqueue(register_import.pk)
        messages.success(request, _("The file is being checked again with your corrections."))
        return redirect(register_import)


class ImportSaveView(EditorRequiredMixin, View):
    """Start saving a checked import; the row lock makes a second click see it already saving."""

    http_method_names = ["post"]

    def post(self, request, pk):
        register_import = locked_import(request.user, pk)
        try:
            import_queue_save(register_import=register_import)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(register_import)
        save_register_import.enqueue(register_import.pk, request.user.pk)
        return redirect(register_import)


class ImportUndoView(EditorRequiredMixin, View):
    """GET: what undoing would remove and what stands in the way; POST: undo it, all or nothing."""

    template_name = "imports/import_undo.html"

    def get(self, request, pk):
        register_import = get_object_or_404(
            RegisterImport.objects.for_user(request.user).select_related("saved_by").defer("content"), pk=pk
        )
        if not may_change(request.user, register_import):
            raise PermissionDenied
        return self.page(request, register_import, undo_blockers(register_import))

    def post(self, request, pk):
        register_import = locked_import(request.user, pk)
        try:
            import_undo(register_import=register_import, user=request.user)
        except ValidationError as error:
            return self.page(request, register_import, error.messages)
        messages.success(request, _("The import has been undone."))
        return redirect(register_import)

    def page(self, request, register_import, blockers):
        return render(
            request,
            self.template_name,
            {
                "register_import": register_import,
                "counts": entity_counts(register_import),
                "blockers": blockers,
                "breadcrumbs": import_crumbs(register_import, _("Undo")),
            },
        )


class RefusedRowsView(EditorRequiredMixin, View):
    """The refused rows as a workbook, each with its original values and the reasons, to put right."""

    def get(self, request, pk):
        register_import = get_object_or_404(RegisterImport.objects.for_user(request.user), pk=pk)
        try:
            tables = refused_rows_tables(register_import)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(register_import)
        if not tables:
            raise Http404
        log_access(request, DOWNLOAD, register_import, file_format="xlsx")
        return download(tables, "xlsx", f"dong-bi-tu-choi-{register_import.pk}-{Path(register_import.file_name).stem}")


class TemplateWorkbookView(EditorRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(build_template(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-so-dang-ky-htx-tht.xlsx"'
        return response


class ImportHelpView(EditorRequiredMixin, TemplateView):
    template_name = "imports/import_help.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[LIST_CRUMB, {"label": _("How to import"), "url": ""}], **kwargs)
