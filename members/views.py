"""Pages of the members register: people, memberships and management positions.

Every view reads rows through ``for_user``: a person, membership, term or organisation outside
the user's scope answers 404, even by a forged URL. Officials never reach these pages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView

from cooperatives.forms import add_service_errors
from cooperatives.models import Organisation
from coopportal.access_log import VIEW, log_access
from coopportal.accounts.permissions import EditorRequiredMixin, PeopleViewerRequiredMixin, ScopedQuerysetMixin
from coopportal.concurrency import LockedRecordMixin, lock_record, record_for_edit
from coopportal.records import dependents_of, describe_dependents, with_dependents_flag
from coopportal.search import search_of
from coopportal.submissions import TOKEN_FIELD, OneTimeSubmissionMixin

from .deleting import membership_delete, position_delete
from .filters import PersonFilter
from .forms import (
    ConsentWithdrawForm,
    EndDateForm,
    MembershipAddForm,
    MembershipCorrectForm,
    MergeForm,
    PersonForm,
    PositionAppointForm,
    PositionCorrectForm,
    person_label,
)
from .merging import person_delete, person_merge, person_merge_undo, undo_blockers
from .models import ManagementPosition, Membership, Person, PersonMerge
from .selectors import (
    likely_duplicate_pairs,
    likeness,
    merge_candidates,
    merge_record,
    merges_kept_by,
    people_matching,
    person_list,
    person_page,
    roles_held_on,
)
from .services import (
    ethnicity_consent_withdraw,
    member_enrol,
    membership_correct,
    membership_end,
    person_update,
    position_appoint,
    position_correct,
    position_end,
)


def members_crumb():
    return {"label": _("Members"), "url": reverse("members:list")}


def organisation_crumbs(organisation, label):
    return [
        {"label": _("Cooperatives"), "url": reverse("cooperatives:list")},
        {"label": organisation.name, "url": organisation.get_absolute_url()},
        {"label": label, "url": ""},
    ]


def people_in(memberships):
    people = {membership.person for membership in memberships.select_related("person__commune")}
    return sorted(people, key=lambda person: (person.search_name, person.pk))


class PersonListView(PeopleViewerRequiredMixin, FilterView):
    model = Person
    filterset_class = PersonFilter
    template_name = "members/person_list.html"
    paginate_by = 25

    def get_queryset(self):
        return person_list(self.request.user, timezone.localdate())

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[members_crumb()], **kwargs)


class PersonDetailView(PeopleViewerRequiredMixin, ScopedQuerysetMixin, DetailView):
    model = Person
    template_name = "members/person_detail.html"

    def get_queryset(self):
        # Whether anything depends on her decides whether the page offers to delete her: in the same query.
        return with_dependents_flag(super().get_queryset().select_related("commune", "ethnic_group"))

    def get_context_data(self, **kwargs):
        log_access(self.request, VIEW, self.object)
        return super().get_context_data(
            breadcrumbs=[members_crumb(), {"label": self.object.full_name, "url": ""}],
            register=person_page(self.object, self.request.user),
            merges=merges_kept_by(self.object),
            consent_form=ConsentWithdrawForm(given_on=self.object.ethnicity_consent_on, record=self.object),
            **kwargs,
        )


class PersonUpdateView(EditorRequiredMixin, LockedRecordMixin, ScopedQuerysetMixin, UpdateView):
    model = Person
    form_class = PersonForm
    template_name = "members/person_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            person_update(person=self.object, **form.person_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved: %(name)s.") % {"name": self.object.full_name})
        return redirect(self.object)

    def get_context_data(self, **kwargs):
        log_access(self.request, VIEW, self.object)
        return super().get_context_data(
            breadcrumbs=[
                members_crumb(),
                {"label": self.object.full_name, "url": self.object.get_absolute_url()},
                {"label": _("Edit"), "url": ""},
            ],
            **kwargs,
        )


class PeopleSearchView(PeopleViewerRequiredMixin, View):
    """People in scope matching ?q= without case or diacritics, for the pickers' script."""

    def get(self, request):
        search = search_of(request)
        if search.error:
            return search.refused_as_json()
        people = people_matching(request.user, search.text)
        return JsonResponse({"results": [{"id": person.pk, "text": person_label(person)} for person in people]})


class OrganisationFormView(EditorRequiredMixin, OneTimeSubmissionMixin, View):
    """A form that adds rows to one organisation in the user's scope; the person picker lists people found by ?q=."""

    template_name = ""

    @cached_property
    def organisation(self):
        return get_object_or_404(Organisation.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    @cached_property
    def search(self):
        """The picker's search (?q=); a refused one is said once, above the form."""
        search = search_of(self.request)
        if search.error:
            messages.error(self.request, search.error)
        return search

    def candidates(self):
        found = people_matching(self.request.user, self.search.text) if self.search.text else []
        return [(_("People found"), found)]

    @staticmethod
    def keep_chosen_person(form):
        """A refused form keeps the chosen person listed, even when the script found her."""
        person = form.cleaned_data.get("person") if hasattr(form, "cleaned_data") else None
        picker = form.fields["person"]
        if person and all(person not in people for _heading, people in picker.candidates):
            picker.candidates = [*picker.candidates, (_("Chosen"), [person])]

    def render(self, **context):
        return render(
            self.request,
            self.template_name,
            {
                "organisation": self.organisation,
                "query": self.search.text,
                TOKEN_FIELD: self.submission_token(),
                **context,
            },
        )


class MembershipAddView(OrganisationFormView):
    """Add a member in one form: pick someone in the register or enter a new person."""

    template_name = "members/membership_add.html"

    def forms(self, data=None):
        form = MembershipAddForm(
            data,
            organisation=self.organisation,
            user=self.request.user,
            candidates=self.candidates(),
        )
        person_form = PersonForm(data if form.adds_new_person else None, prefix="new", user=self.request.user)
        return form, person_form

    def get(self, request, pk):
        form, person_form = self.forms()
        return self.show(form, person_form)

    def post(self, request, pk):
        form, person_form = self.forms(request.POST)
        self.refuse_resubmission()
        # Both forms are checked, so that every mistake shows at once.
        valid = form.is_valid()
        if form.adds_new_person:
            valid = person_form.is_valid() and valid
        if not valid:
            return self.show(form, person_form)
        try:
            with self.claim_submission():
                member_enrol(
                    organisation=self.organisation,
                    member_type=form.cleaned_data["member_type"],
                    joined_on=form.cleaned_data["joined_on"],
                    left_on=form.cleaned_data["left_on"],
                    capital_contributed=form.cleaned_data["capital_contributed"],
                    person=None if form.adds_new_person else form.cleaned_data["person"],
                    new_person=person_form.person_fields() if form.adds_new_person else None,
                )
        except ValidationError as error:
            add_service_errors(person_form if form.adds_new_person and self.about_person(error) else form, error)
            return self.show(form, person_form)
        messages.success(request, _("Member added."))
        return redirect(reverse("cooperatives:detail", kwargs={"pk": self.organisation.pk}) + "#members")

    @staticmethod
    def about_person(error):
        return hasattr(error, "error_dict") and set(error.error_dict) <= set(PersonForm.Meta.fields)

    def show(self, form, person_form):
        self.keep_chosen_person(form)
        return self.render(
            form=form,
            person_form=person_form,
            breadcrumbs=organisation_crumbs(self.organisation, _("Add a member")),
        )


class PositionAppointView(OrganisationFormView):
    """Appoint someone to a management role; a holder who is not a member gets a warning."""

    template_name = "members/position_appoint.html"

    def candidates(self):
        members = people_in(Membership.objects.on(timezone.localdate()).filter(organisation=self.organisation))
        found = [person for _heading, people in super().candidates() for person in people if person not in members]
        return [(_("Members today"), members), (_("People found"), found)]

    def form(self, data=None):
        return PositionAppointForm(
            data, organisation=self.organisation, user=self.request.user, candidates=self.candidates()
        )

    def get(self, request, pk):
        return self.show(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        self.refuse_resubmission()
        if not form.is_valid():
            return self.show(form)
        try:
            with self.claim_submission():
                outcome = position_appoint(organisation=self.organisation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.show(form)
        for warning in outcome.warnings:
            messages.warning(request, warning)
        messages.success(request, _("Appointed: %(position)s.") % {"position": outcome.instance})
        return redirect(reverse("cooperatives:detail", kwargs={"pk": self.organisation.pk}) + "#management")

    def show(self, form):
        self.keep_chosen_person(form)
        return self.render(form=form, breadcrumbs=organisation_crumbs(self.organisation, _("Appoint to a position")))


class MembershipOrTermView(EditorRequiredMixin, View):
    """A form on one membership or term in the user's scope (another commune's answers 404)."""

    model = None

    def get_object(self, pk):
        queryset = self.model.objects.for_user(self.request.user).select_related("person", "organisation")
        # On POST, locked until the request ends: the form compares it with what the user saw, then it is written.
        return record_for_edit(self.request, queryset, pk=pk)

    def show(self, obj, form):
        return render(
            self.request,
            self.template_name,
            {
                "object": obj,
                "form": form,
                "title": self.title,
                "breadcrumbs": organisation_crumbs(obj.organisation, self.title),
            },
        )


class EndView(MembershipOrTermView):
    """End a membership or a term on a date; the row stays, dated, as history."""

    template_name = "members/end_form.html"
    start_field = ""
    # What the organisation's page shows of the row: a change to any of it means the user decided on an old version.
    tracked_fields = ()

    def form(self, obj, data=None):
        return EndDateForm(
            data, started_on=getattr(obj, self.start_field), record=obj, tracked_fields=self.tracked_fields
        )

    def get(self, request, pk):
        obj = self.get_object(pk)
        return self.show(obj, self.form(obj))

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = self.form(obj, request.POST)
        if not form.is_valid():
            return self.show(obj, form)
        try:
            self.end(obj, form.cleaned_data["on"])
        except ValidationError as error:
            form.add_error("on", error.messages)
            return self.show(obj, form)
        messages.success(request, self.done_message)
        for warning in self.warnings(obj, form.cleaned_data["on"]):
            messages.warning(request, warning)
        return redirect(obj.organisation)

    def warnings(self, obj, on):
        return []


class MembershipEndView(EndView):
    model = Membership
    start_field = "joined_on"
    tracked_fields = ("member_type", "joined_on", "left_on", "capital_contributed")

    @property
    def title(self):
        return _("End membership")

    @property
    def done_message(self):
        return _("Membership ended; it stays in the history.")

    def end(self, membership, on):
        membership_end(membership=membership, on=on)

    def warnings(self, membership, on):
        """A holder who is no longer a member keeps her term, with a warning, as when she is appointed."""
        roles = roles_held_on(on, membership.person, membership.organisation)
        if not roles:
            return []
        return [
            _(
                "%(person)s still holds the position of %(roles)s, though no longer a member from %(day)s: "
                "if she has stepped down, end the term."
            )
            % {
                "person": membership.person,
                "roles": ", ".join(role.lower() for role in roles),
                "day": on.strftime("%d/%m/%Y"),
            }
        ]


class PositionEndView(EndView):
    model = ManagementPosition
    start_field = "started_on"
    tracked_fields = ("role", "started_on", "ended_on")

    @property
    def title(self):
        return _("End term")

    @property
    def done_message(self):
        return _("Term ended; it stays in the history.")

    def end(self, position, on):
        position_end(position=position, on=on)


class CorrectView(MembershipOrTermView):
    """Put right a saved membership or term; the history keeps what it said before."""

    form_class = None
    form_argument = ""
    template_name = "members/correct_form.html"
    section = ""

    def get(self, request, pk):
        obj = self.get_object(pk)
        return self.show(obj, self.form_class(**{self.form_argument: obj}))

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = self.form_class(request.POST, **{self.form_argument: obj})
        if not form.is_valid():
            return self.show(obj, form)
        try:
            warnings = self.correct(obj, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.show(obj, form)
        for warning in warnings:
            messages.warning(request, warning)
        messages.success(request, self.done_message)
        return redirect(obj.organisation.get_absolute_url() + self.section)


class MembershipCorrectView(CorrectView):
    model = Membership
    form_class = MembershipCorrectForm
    form_argument = "membership"
    section = "#members"

    @property
    def title(self):
        return _("Correct membership")

    @property
    def done_message(self):
        return _("Membership corrected; the previous values stay in the history.")

    def correct(self, membership, fields):
        membership_correct(membership=membership, **fields)
        return []


class PositionCorrectView(CorrectView):
    model = ManagementPosition
    form_class = PositionCorrectForm
    form_argument = "position"
    section = "#management"

    @property
    def title(self):
        return _("Correct term")

    @property
    def done_message(self):
        return _("Term corrected; the previous values stay in the history.")

    def correct(self, position, fields):
        return position_correct(position=position, **fields).warnings


class DeleteRowView(MembershipOrTermView):
    """Delete a membership or term entered by mistake, after confirmation; its history keeps it.

    Ending is for a real departure; this is for a row that should never have been entered, and it
    lets the person entered by mistake with it be deleted in turn. ``?back=person`` (from her page)
    returns to her page, else to the organisation's.
    """

    template_name = "members/row_confirm_delete.html"
    section = ""

    def back_to_person(self):
        return (self.request.POST if self.request.method == "POST" else self.request.GET).get("back") == "person"

    def show(self, obj, form):
        return render(
            self.request,
            self.template_name,
            {
                "object": obj,
                "title": self.title,
                "is_term": self.model is ManagementPosition,
                "back_to_person": self.back_to_person(),
                "back": obj.person.get_absolute_url() if self.back_to_person() else obj.organisation.get_absolute_url(),
                "breadcrumbs": organisation_crumbs(obj.organisation, self.title),
            },
        )

    def get(self, request, pk):
        return self.show(self.get_object(pk), None)

    def post(self, request, pk):
        obj = self.get_object(pk)
        back = obj.person if self.back_to_person() else obj.organisation.get_absolute_url() + self.section
        try:
            self.delete(obj)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(request, _("Deleted: %(row)s. Its change history is kept.") % {"row": obj})
        return redirect(back)


class MembershipDeleteView(DeleteRowView):
    model = Membership
    section = "#members"

    @property
    def title(self):
        return _("Delete membership")

    def delete(self, membership):
        membership_delete(membership=membership, user=self.request.user)


class PositionDeleteView(DeleteRowView):
    model = ManagementPosition
    section = "#management"

    @property
    def title(self):
        return _("Delete term")

    def delete(self, position):
        position_delete(position=position, user=self.request.user)


class ConsentWithdrawView(EditorRequiredMixin, View):
    """The person withdraws her consent: her ethnic group is erased, figures then say 'not stated'."""

    def post(self, request, pk):
        person = lock_record(Person.objects.for_user(request.user), pk=pk)
        form = ConsentWithdrawForm(request.POST, given_on=person.ethnicity_consent_on, record=person)
        if form.is_valid():
            ethnicity_consent_withdraw(person=person, on=form.cleaned_data["on"])
            messages.success(request, _("Consent withdrawn: the ethnic group has been erased."))
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return redirect(person)


class DuplicateListView(EditorRequiredMixin, View):
    """Pairs of records in the user's scope that are likely one person (``likely_duplicate_pairs``), to merge."""

    paginate_by = 25

    def get(self, request):
        page = Paginator(likely_duplicate_pairs(request.user), self.paginate_by).get_page(request.GET.get("page"))
        return render(
            request,
            "members/duplicate_list.html",
            {
                "page_obj": page,
                "pairs": page.object_list,
                "breadcrumbs": [members_crumb(), {"label": _("Likely duplicates"), "url": ""}],
            },
        )


class PersonMergeView(EditorRequiredMixin, View):
    """Two records of one person side by side; the staff member picks the one to keep and merges the other into it.

    Both must be in the user's scope: a forged id answers 404.
    """

    template_name = "members/person_merge.html"

    @cached_property
    def people(self):
        try:
            return merge_candidates(self.request.user, self.kwargs["pk"], self.kwargs["other"])
        except Person.DoesNotExist as error:
            raise Http404 from error

    def already_merged(self):
        """The merge sent twice (Back, a re-sent request, two clicks): to the first one's record, with a message."""
        done = (
            PersonMerge.objects.for_user(self.request.user)
            .filter(undone_at__isnull=True, merged_person_id__in=[self.kwargs["pk"], self.kwargs["other"]])
            .first()
        )
        if done is None or Person.objects.filter(pk=done.merged_person_id).exists():
            return None
        messages.info(self.request, _("These two records have already been merged."))
        return redirect(done)

    def form(self, data=None):
        first, second = self.people
        return MergeForm(data, first=first, second=second)

    def get(self, request, pk, other):
        return self.already_merged() or self.show(self.form())

    def post(self, request, pk, other):
        if done := self.already_merged():
            return done
        form = self.form(request.POST)
        if not form.is_valid():
            return self.show(form)
        kept, merged = form.kept_and_merged()
        try:
            merge = person_merge(kept=kept, merged=merged, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.show(form)
        messages.success(
            request,
            _("Merged: the record #%(merged)s of %(name)s is now part of this one. The merge can be undone below.")
            % {"merged": merge.merged_person_id, "name": merged.full_name},
        )
        return redirect(kept)

    def show(self, form):
        first, second = self.people
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "first": first,
                "second": second,
                "reasons": likeness(first, second),
                "breadcrumbs": [
                    members_crumb(),
                    {"label": _("Likely duplicates"), "url": reverse("members:duplicates")},
                    {"label": _("Merge"), "url": ""},
                ],
            },
        )


class PersonMergeDetailView(EditorRequiredMixin, View):
    """A merge: who, when, the merged person's details, what moved; and the button that undoes it."""

    def get(self, request, pk):
        merge = get_object_or_404(
            PersonMerge.objects.for_user(request.user).select_related("merged_by", "undone_by"), pk=pk
        )
        record = merge_record(merge)
        return render(
            request,
            "members/person_merge_detail.html",
            {
                "record": record,
                "blockers": undo_blockers(merge),
                "breadcrumbs": [
                    members_crumb(),
                    *([{"label": record.kept.full_name, "url": record.kept.get_absolute_url()}] if record.kept else []),
                    {"label": _("Merge #%(id)s") % {"id": merge.pk}, "url": ""},
                ],
            },
        )


class PersonMergeUndoView(EditorRequiredMixin, View):
    """Undo a merge (``person_merge_undo``); what stands in the way is said, and nothing changes."""

    def post(self, request, pk):
        merge = get_object_or_404(PersonMerge.objects.for_user(request.user), pk=pk)
        try:
            merged = person_merge_undo(merge=merge, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(merge)
        messages.success(request, _("Merge undone: %(name)s has her own record again.") % {"name": merged.full_name})
        return redirect(merged)


class PersonDeleteView(EditorRequiredMixin, View):
    """Delete a person entered by mistake, after confirmation; refused, with what depends on her, otherwise."""

    def person(self):
        return get_object_or_404(with_dependents_flag(Person.objects.for_user(self.request.user)), pk=self.kwargs["pk"])

    def get(self, request, pk):
        person = self.person()
        return render(
            request,
            "members/person_confirm_delete.html",
            {
                "person": person,
                "dependents": describe_dependents(dependents_of(person)) if person.has_dependents else "",
                "breadcrumbs": [
                    members_crumb(),
                    {"label": person.full_name, "url": person.get_absolute_url()},
                    {"label": _("Delete"), "url": ""},
                ],
            },
        )

    def post(self, request, pk):
        person = self.person()
        try:
            person_delete(person=person, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(person)
        messages.success(request, _("Deleted: %(name)s.") % {"name": person.full_name})
        return redirect("members:list")
