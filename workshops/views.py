from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from cooperatives.forms import add_service_errors
from cooperatives.models import Organisation
from coopportal.access_log import DOWNLOAD, log_access
from coopportal.accounts.permissions import EditorRequiredMixin, PeopleViewerRequiredMixin, PortalViewMixin
from coopportal.concurrency import lock_record, record_for_edit
from coopportal.pdf import render_pdf
from coopportal.search import search_of
from coopportal.submissions import OneTimeSubmissionMixin
from members.models import Membership, Person

from . import services
from .forms import (
    ParticipantForm,
    PresentationForm,
    SignInSheetForm,
    SolutionFilterForm,
    SolutionForm,
    SolutionMoveForm,
    WorkshopForm,
)
from .models import DiscussionTheme, Participant, Presentation, ProposedSolution, Workshop
from .selectors import (
    report_heading,
    responsible_bodies,
    solution_detail,
    solutions_filtered,
    workshop_list,
    workshop_report,
)

LIST_CRUMB = {"label": gettext_lazy("Workshops"), "url": reverse_lazy("workshops:list")}


def workshop_crumbs(workshop, *labels):
    return [LIST_CRUMB, {"label": workshop.title, "url": workshop.get_absolute_url()}] + [
        {"label": label, "url": ""} for label in labels
    ]


class WorkshopListView(PortalViewMixin, ListView):
    template_name = "workshops/workshop_list.html"
    context_object_name = "workshops"
    paginate_by = 25

    def get_queryset(self):
        return workshop_list(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[LIST_CRUMB], **kwargs)


class WorkshopDetailView(PortalViewMixin, DetailView):
    template_name = "workshops/workshop_detail.html"
    context_object_name = "workshop"

    def get_queryset(self):
        return Workshop.objects.for_user(self.request.user).select_related("commune")

    def get_context_data(self, **kwargs):
        workshop = self.object
        return super().get_context_data(
            report=workshop_report(workshop),
            can_manage=Workshop.objects.managed_by(self.request.user).filter(pk=workshop.pk).exists(),
            breadcrumbs=[LIST_CRUMB, {"label": workshop.title, "url": ""}],
            **kwargs,
        )


class WorkshopReportPdfView(PortalViewMixin, View):
    """The workshop report as an A4 administrative document, for staff and officials alike."""

    def get(self, request, pk):
        workshop = get_object_or_404(Workshop.objects.for_user(request.user).select_related("commune"), pk=pk)
        today = timezone.localdate()
        pdf = render_pdf(
            "pdf/workshop_report.html",
            {"report": workshop_report(workshop, today), "document": report_heading(workshop, today)},
            request=request,
        )
        log_access(request, DOWNLOAD, workshop, file_format="pdf")
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"bao-cao-hoi-thao-{workshop.start_date:%Y%m%d}-{slugify(workshop.title)[:40]}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class WorkshopCreateView(EditorRequiredMixin, OneTimeSubmissionMixin, FormView):
    form_class = WorkshopForm
    template_name = "workshops/workshop_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            with self.claim_submission():
                workshop = services.workshop_create(**data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The workshop has been recorded."))
        return redirect(workshop)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[LIST_CRUMB, {"label": _("New workshop"), "url": ""}], **kwargs)


class ManagedWorkshopMixin:
    """Views that change a workshop reach only those the user manages; others answer 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.workshop = get_object_or_404(
                Workshop.objects.managed_by(request.user).select_related("commune"), pk=kwargs["workshop_pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return self.workshop.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(workshop=self.workshop, **kwargs)


class WorkshopUpdateView(EditorRequiredMixin, ManagedWorkshopMixin, FormView):
    form_class = WorkshopForm
    template_name = "workshops/workshop_form.html"

    def get_form_kwargs(self):
        # Read again, under a lock on POST: the form compares it with what the user saw, then it is written.
        self.workshop = record_for_edit(self.request, Workshop.objects.select_related("commune"), pk=self.workshop.pk)
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.workshop}

    def form_valid(self, form):
        services.workshop_update(workshop=self.workshop, **form.cleaned_data)
        messages.success(self.request, _("The workshop has been updated."))
        return redirect(self.workshop)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=workshop_crumbs(self.workshop, _("Edit")), **kwargs)


class ParticipantFormView(EditorRequiredMixin, ManagedWorkshopMixin, OneTimeSubmissionMixin, FormView):
    form_class = ParticipantForm
    template_name = "workshops/participant_form.html"

    def adds_rows(self):
        return "pk" not in self.kwargs

    def get_participant(self):
        if "pk" not in self.kwargs:
            return None
        return record_for_edit(self.request, Participant.objects.all(), workshop=self.workshop, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user, "workshop": self.workshop}
        participant = self.get_participant()
        if participant is not None:
            kwargs["instance"] = participant
        return kwargs

    def form_valid(self, form):
        editing = form.instance.pk is not None
        # The service checks again under a lock: another request may have listed the same person meanwhile.
        try:
            if editing:
                services.participant_update(participant=form.instance, **form.cleaned_data)
            else:
                with self.claim_submission() as submission:
                    services.participant_add(workshop=self.workshop, **form.cleaned_data)
                    submission.saved(self.workshop)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if editing:
            messages.success(self.request, _("The participant has been updated."))
            return redirect(self.workshop)
        messages.success(self.request, _("%(name)s has been added.") % {"name": form.cleaned_data["full_name"]})
        if "add_another" in self.request.POST:
            return redirect("workshops:participant_add", workshop_pk=self.workshop.pk)
        return redirect(self.workshop)

    def get_context_data(self, **kwargs):
        label = _("Edit participant") if "pk" in self.kwargs else _("Add a participant")
        return super().get_context_data(breadcrumbs=workshop_crumbs(self.workshop, label), title=label, **kwargs)


class ParticipantDeleteView(EditorRequiredMixin, ManagedWorkshopMixin, TemplateView):
    template_name = "workshops/confirm_delete.html"

    def get_context_data(self, **kwargs):
        participant = get_object_or_404(Participant, workshop=self.workshop, pk=self.kwargs["pk"])
        return super().get_context_data(
            object=participant, breadcrumbs=workshop_crumbs(self.workshop, _("Remove a participant")), **kwargs
        )

    def post(self, request, workshop_pk, pk):
        services.participant_remove(participant=get_object_or_404(Participant, workshop=self.workshop, pk=pk))
        messages.success(request, _("The participant has been removed."))
        return redirect(self.workshop)


class SignInSheetView(EditorRequiredMixin, ManagedWorkshopMixin, OneTimeSubmissionMixin, FormView):
    """Upload or paste a sign-in sheet: every row is checked, and either all are added or none."""

    form_class = SignInSheetForm
    template_name = "workshops/sign_in_sheet_form.html"

    def form_valid(self, form):
        try:
            with self.claim_submission():
                added = services.participants_import(
                    workshop=self.workshop, rows=form.cleaned_data["rows"], attended=form.cleaned_data["attended"]
                )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(count)s participants have been added.") % {"count": len(added)})
        return redirect(self.workshop)

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=workshop_crumbs(self.workshop, _("Sign-in sheet")), **kwargs)


class PresentationFormView(EditorRequiredMixin, ManagedWorkshopMixin, OneTimeSubmissionMixin, FormView):
    form_class = PresentationForm
    template_name = "workshops/presentation_form.html"

    def adds_rows(self):
        return "pk" not in self.kwargs

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = record_for_edit(
                self.request, Presentation.objects.all(), workshop=self.workshop, pk=self.kwargs["pk"]
            )
        return kwargs

    def form_valid(self, form):
        if form.instance.pk:
            services.presentation_update(presentation=form.instance, **form.cleaned_data)
        else:
            try:
                with self.claim_submission():
                    services.presentation_add(workshop=self.workshop, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
                return self.form_invalid(form)
        messages.success(self.request, _("The presentation has been saved."))
        return redirect(self.workshop)

    def get_initial(self):
        """A new presentation goes last by default; an edited one shows, and keeps, its own place."""
        if "pk" in self.kwargs:
            return super().get_initial()
        return {"position": self.workshop.presentations.count() + 1}

    def get_context_data(self, **kwargs):
        label = _("Edit presentation") if "pk" in self.kwargs else _("Add a presentation")
        return super().get_context_data(breadcrumbs=workshop_crumbs(self.workshop, label), title=label, **kwargs)


class SolutionFormView(EditorRequiredMixin, ManagedWorkshopMixin, OneTimeSubmissionMixin, FormView):
    form_class = SolutionForm
    template_name = "workshops/solution_form.html"

    def adds_rows(self):
        return "pk" not in self.kwargs

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "workshop": self.workshop}
        if "pk" in self.kwargs:
            kwargs["instance"] = record_for_edit(
                self.request, ProposedSolution.objects.all(), workshop=self.workshop, pk=self.kwargs["pk"]
            )
        return kwargs

    def form_valid(self, form):
        if form.instance.pk:
            solution = services.solution_update(solution=form.instance, **form.cleaned_data)
        else:
            try:
                with self.claim_submission() as submission:
                    solution = services.solution_propose(workshop=self.workshop, **form.cleaned_data)
                    submission.saved(solution)
            except ValidationError as error:
                add_service_errors(form, error)
                return self.form_invalid(form)
        messages.success(self.request, _("The proposed solution has been saved."))
        if "add_another" in self.request.POST:
            return redirect("workshops:solution_add", workshop_pk=self.workshop.pk)
        return redirect(solution)

    def get_context_data(self, **kwargs):
        label = _("Edit proposed solution") if "pk" in self.kwargs else _("Add a proposed solution")
        return super().get_context_data(breadcrumbs=workshop_crumbs(self.workshop, label), title=label, **kwargs)


class SolutionListView(PortalViewMixin, ListView):
    """Every proposed solution the user may read, filtered, so the Union can follow them up."""

    template_name = "workshops/solution_list.html"
    context_object_name = "solutions"
    paginate_by = 50

    def get_filter_form(self):
        if not hasattr(self, "filter_form"):
            self.filter_form = SolutionFilterForm(
                self.request.GET or None,
                themes=DiscussionTheme.objects.all(),
                bodies=responsible_bodies(self.request.user),
            )
        return self.filter_form

    def get_queryset(self):
        form = self.get_filter_form()
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        self.today = timezone.localdate()
        return solutions_filtered(
            self.request.user,
            today=self.today,
            status=filters.get("status", ""),
            theme=filters.get("theme"),
            responsible_body=filters.get("responsible_body", ""),
            overdue=filters.get("overdue", False),
        )

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.get_filter_form(),
            today=self.today,
            query=query.urlencode(),
            breadcrumbs=[LIST_CRUMB, {"label": _("Proposed solutions"), "url": ""}],
            **kwargs,
        )


class SolutionDetailView(PortalViewMixin, TemplateView):
    template_name = "workshops/solution_detail.html"

    def get_solution(self):
        try:
            return solution_detail(self.kwargs["pk"], self.request.user)
        except ProposedSolution.DoesNotExist as missing:
            raise Http404 from missing

    def can_manage(self, solution):
        return Workshop.objects.managed_by(self.request.user).filter(pk=solution.workshop_id).exists()

    def get_context_data(self, **kwargs):
        solution = self.get_solution()
        can_manage = self.can_manage(solution)
        move_form = kwargs.pop("move_form", None)
        if move_form is None and can_manage and solution.next_statuses:
            move_form = SolutionMoveForm(solution=solution)
        return super().get_context_data(
            solution=solution,
            can_manage=can_manage,
            move_form=move_form,
            today=timezone.localdate(),
            breadcrumbs=workshop_crumbs(solution.workshop, _("Proposed solution")),
            **kwargs,
        )


class SolutionMoveView(EditorRequiredMixin, ManagedWorkshopMixin, View):
    """Move a solution's status on, with a note; the service records who and when."""

    def post(self, request, workshop_pk, pk):
        solution = lock_record(ProposedSolution.objects.all(), workshop=self.workshop, pk=pk)
        form = SolutionMoveForm(request.POST, solution=solution)
        if form.is_valid():
            try:
                services.solution_move(
                    solution=solution,
                    to_status=form.cleaned_data["to_status"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("The status is now: %(status)s.") % {"status": solution.get_status_display()}
                )
                return redirect(solution)
        detail = SolutionDetailView()
        detail.setup(request, pk=pk)
        return detail.render_to_response(detail.get_context_data(move_form=form))


class PersonLookupView(PeopleViewerRequiredMixin, View):
    """People in the user's reach whose name matches, diacritics ignored, with their organisations."""

    def get(self, request):
        search = search_of(request)
        if search.error:
            return search.refused_as_json()
        people = (
            Person.objects.for_user(request.user)
            .search(search.text)
            # Only memberships in scope: the lookup must not name another commune's organisations.
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.for_user(request.user).select_related("organisation"),
                )
            )[:15]
        )
        today = timezone.localdate()
        return JsonResponse(
            {
                "results": [
                    {
                        "id": person.pk,
                        "name": person.full_name,
                        "gender": person.gender,
                        "organisations": [
                            {"id": membership.organisation.pk, "name": membership.organisation.name}
                            for membership in person.memberships.all()
                            if membership.left_on is None or membership.left_on > today
                        ],
                    }
                    for person in people
                ]
            }
        )


class OrganisationLookupView(EditorRequiredMixin, View):
    def get(self, request):
        search = search_of(request)
        if search.error:
            return search.refused_as_json()
        organisations = Organisation.objects.for_user(request.user).search(search.text)[:15]
        return JsonResponse({"results": [{"id": o.pk, "name": o.name} for o in organisations]})
