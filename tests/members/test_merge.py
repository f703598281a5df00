"""Merging two records of one person, undoing it, and deleting a person entered by mistake (issue 9).

A merge moves every row that points to the merged person, fills the kept person's empty details,
keeps both histories and is recorded; undoing it gives back exactly the register as it was (history
tables aside, which only grow). A merge that would break a rule of the register changes nothing.
"""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.merging import person_delete, person_merge, person_merge_undo, undo_blockers
from members.models import EthnicGroup, ManagementPosition, Membership, Person, PersonMerge
from members.roles import Role
from members.services import ethnicity_consent_withdraw, membership_add, person_update, position_appoint
from tests.factories import OrganisationFactory, PersonFactory, appoint, member
from tests.workshops.factories import add_participant, make_workshop
from workshops.models import Participant

pytestmark = pytest.mark.django_db


def register_rows():
    """Every row of the register's own tables, as values: history tables and the merge log left out."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for app in ("cooperatives", "members", "workshops")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        if not model._meta.label.split(".")[1].startswith("Historical") and model is not PersonMerge
    }


def every_row():
    """Every row of every table of the portal, history and merge log included."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for app in ("accounts", "cooperatives", "members", "workshops", "reports", "imports")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        # The access log records reading (the pages opened here), by design: tests/test_access_log.py.
        if model._meta.label != "accounts.AccessLogEntry"
    }


def codes(refusal):
    return [error.code for error in refusal.value.error_list]


@pytest.fixture
def staff(provincial_staff):
    return provincial_staff


@pytest.fixture
def dong_xuan(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a)


@pytest.fixture
def son_ha(commune_b):
    return OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)


@pytest.fixture
def twice(dong_xuan, son_ha, commune_a):
    """Trần Thị Mai entered twice: as chair of Đồng Xuân with her phone, and as a member of Sơn Hà who came
    to a workshop, with her citizen ID, date of birth and ethnic group (with consent)."""
    hre = EthnicGroup.objects.get(code="19")
    first = member(dong_xuan, full_name="Trần Thị Mai", birth_year=1985, commune=commune_a, phone="0905111222")
    appoint(first, Role.CHAIR)
    second = member(
        son_ha,
        full_name="Tran Thi Mai",
        birth_year=1985,
        birth_date=date(1985, 3, 12),
        citizen_id="051185000111",
        ethnic_group=hre,
        ethnicity_consent_on=date(2023, 1, 5),
        ethnicity_consent_informed=True,
    )
    add_participant(make_workshop(), full_name="Trần Thị Mai", person=second.person)
    return first.person, second.person


class TestMerge:
    def test_everything_moves_to_the_kept_person_and_her_empty_details_are_filled(self, twice, staff, son_ha):
        kept, merged = twice
        merge = person_merge(kept=kept, merged=merged, user=staff)
        kept.refresh_from_db()
        assert not Person.objects.filter(pk=merged.pk).exists()
        assert sorted(m.organisation.name for m in kept.memberships.all()) == [
            "Hợp tác xã Nông nghiệp Đồng Xuân",
            "Hợp tác xã Sơn Hà",
        ]
        assert [p.role for p in kept.positions.all()] == [Role.CHAIR]
        assert Participant.objects.get().person == kept
        assert (kept.full_name, kept.phone, kept.citizen_id, kept.birth_date) == (
            "Trần Thị Mai",
            "0905111222",
            "051185000111",
            date(1985, 3, 12),
        )
        assert (kept.ethnic_group.code, kept.ethnicity_consent_on, kept.ethnicity_consent_informed) == (
            "19",
            date(2023, 1, 5),
            True,
        )
        assert merge.merged_by == staff and merge.kept_person_id == kept.pk
        assert merge.merged_person_id == merged.pk and merge.merged_person["full_name"] == "Tran Thi Mai"
        assert set(merge.moved) == {"members.membership", "workshops.participant"}
        assert sorted(merge.filled) == [
            "birth_date",
            "citizen_id",
            "ethnic_group_id",
            "ethnicity_consent_informed",
            "ethnicity_consent_on",
            "ethnicity_consent_withdrawn_on",
        ]

    def test_both_histories_are_kept_and_say_who_merged_and_why(self, twice, staff, son_ha):
        kept, merged = twice
        person_merge(kept=kept, merged=merged, user=staff)
        moved = Membership.history.filter(organisation_id=son_ha.pk).order_by("history_id")
        assert [record.person_id for record in moved] == [merged.pk, kept.pk]
        latest = moved.last()
        assert latest.history_user == staff and f"#{merged.pk}" in latest.history_change_reason
        gone = Person.history.filter(id=merged.pk).order_by("history_id")
        assert [record.history_type for record in gone] == ["+", "-"]
        assert gone.last().history_user == staff and f"#{kept.pk}" in gone.last().history_change_reason
        filled = Person.history.filter(id=kept.pk).order_by("history_id").last()
        assert filled.citizen_id == "051185000111" and filled.history_user == staff

    def test_undo_gives_back_exactly_what_the_merge_took(self, twice, staff):
        kept, merged = twice
        before = register_rows()
        history_before = Person.history.count() + Membership.history.count() + ManagementPosition.history.count()
        merge = person_merge(kept=kept, merged=merged, user=staff)
        assert register_rows() != before
        restored = person_merge_undo(merge=merge, user=staff)
        assert restored.pk == merged.pk
        assert register_rows() == before
        # The histories only grow: the merge and its undo are both in them.
        assert Person.history.count() + Membership.history.count() + ManagementPosition.history.count() > (
            history_before
        )
        merge.refresh_from_db()
        assert merge.undone_by == staff and merge.undone_at is not None
        assert len(undo_blockers(merge)) == 1
        with pytest.raises(ValidationError):
            person_merge_undo(merge=merge, user=staff)

    def test_the_kept_record_may_be_either(self, twice, staff):
        first, second = twice
        before = register_rows()
        person_merge_undo(merge=person_merge(kept=second, merged=first, user=staff), user=staff)
        assert register_rows() == before

    def test_overlapping_memberships_of_one_organisation_are_refused_and_nothing_changes(self, dong_xuan, staff):
        first = member(dong_xuan, full_name="Lê Thị Hồng", joined_on=date(2020, 1, 1))
        second = member(dong_xuan, full_name="Le Thi Hong", joined_on=date(2022, 1, 1))
        before = every_row()
        with pytest.raises(ValidationError) as refusal:
            person_merge(kept=first.person, merged=second.person, user=staff)
        assert codes(refusal) == ["merge_breaks_a_rule"]
        assert "đã là thành viên" in refusal.value.messages[0]
        assert every_row() == before

    def test_memberships_one_after_the_other_are_merged(self, dong_xuan, staff):
        first = member(dong_xuan, full_name="Lê Thị Hồng", joined_on=date(2018, 1, 1))
        Membership.objects.filter(pk=first.pk).update(left_on=date(2019, 12, 31))
        second = member(dong_xuan, full_name="Le Thi Hong", joined_on=date(2020, 1, 1))
        person_merge(kept=first.person, merged=second.person, user=staff)
        assert first.person.memberships.count() == 2

    def test_two_participations_in_one_workshop_are_refused(self, staff):
        workshop = make_workshop()
        first, second = PersonFactory(full_name="Võ Thị Sen"), PersonFactory(full_name="Vo Thi Sen")
        add_participant(workshop, full_name="Võ Thị Sen", person=first)
        add_participant(workshop, full_name="Võ Thị Sen", organisation_name="Hợp tác xã Sen", person=second)
        before = every_row()
        with pytest.raises(ValidationError) as refusal:
            person_merge(kept=first, merged=second, user=staff)
        assert codes(refusal) == ["merge_breaks_a_rule"]
        assert every_row() == before

    def test_ethnicity_is_not_filled_in_on_a_record_whose_consent_was_withdrawn(self, twice, staff):
        kept, merged = twice
        # She told the office she withdraws: an ethnic group on her other record must not come back with a merge.
        person_update(
            person=kept,
            ethnic_group=EthnicGroup.objects.get(code="01"),
            ethnicity_consent_on=date(2023, 2, 1),
            ethnicity_consent_informed=True,
        )
        ethnicity_consent_withdraw(person=kept, on=date(2024, 1, 1))
        person_merge(kept=kept, merged=merged, user=staff)
        kept.refresh_from_db()
        assert kept.ethnic_group is None and kept.ethnicity_consent_withdrawn_on == date(2024, 1, 1)

    def test_a_date_of_birth_of_another_year_is_not_filled_in(self, staff):
        kept = PersonFactory(full_name="Hà Thị Thu", birth_year=1970)
        merged = PersonFactory(full_name="Hà Thị Thu", birth_year=1971, birth_date=date(1971, 5, 5))
        merge = person_merge(kept=kept, merged=merged, user=staff)
        kept.refresh_from_db()
        assert kept.birth_date is None and "birth_date" not in merge.filled

    def test_undo_is_refused_when_a_filled_in_detail_was_changed_since(self, twice, staff):
        kept, merged = twice
        merge = person_merge(kept=kept, merged=merged, user=staff)
        kept.refresh_from_db()
        person_update(person=kept, citizen_id="051185000999")
        rows = every_row()
        with pytest.raises(ValidationError) as refusal:
            person_merge_undo(merge=merge, user=staff)
        assert codes(refusal) == ["merge_cannot_be_undone"]
        assert every_row() == rows

    def test_undo_is_refused_when_a_moved_row_is_gone(self, twice, staff):
        kept, merged = twice
        merge = person_merge(kept=kept, merged=merged, user=staff)
        Participant.objects.all().delete()
        assert undo_blockers(merge)
        with pytest.raises(ValidationError):
            person_merge_undo(merge=merge, user=staff)

    def test_merges_in_a_chain_are_undone_last_first(self, twice, staff, dong_xuan):
        first, second = twice
        third = PersonFactory(full_name="Trần Thị Mai", birth_year=1985)
        before = register_rows()
        earlier = person_merge(kept=first, merged=second, user=staff)
        later = person_merge(kept=third, merged=first, user=staff)
        with pytest.raises(ValidationError):
            person_merge_undo(merge=earlier, user=staff)
        person_merge_undo(merge=later, user=staff)
        person_merge_undo(merge=earlier, user=staff)
        assert register_rows() == before

    def test_a_record_is_not_merged_with_itself(self, twice, staff):
        with pytest.raises(ValidationError):
            person_merge(kept=twice[0], merged=twice[0], user=staff)

    def test_commune_staff_cannot_merge_someone_outside_their_scope(self, twice, commune_staff):
        """Trần Thị Mai of Sơn Hà is outside Cẩm Thành: the service refuses, whatever the view lets through."""
        kept, merged = twice
        before = every_row()
        with pytest.raises(PermissionDenied):
            person_merge(kept=kept, merged=merged, user=commune_staff)
        assert every_row() == before


class TestMergePages:
    def test_a_merge_sent_twice_leads_to_the_first_with_a_message(self, client, twice, staff):
        kept, merged = twice
        client.force_login(staff)
        url = reverse("members:merge", args=[kept.pk, merged.pk])
        client.post(url, {"keep": kept.pk})
        before = every_row()
        again = client.post(url, {"keep": kept.pk}, follow=True)
        assert again.redirect_chain[0][0] == PersonMerge.objects.get().get_absolute_url()
        assert [str(message) for message in again.context["messages"]][-1] == "Hai bản ghi này đã được gộp."
        assert every_row() == before

    def test_staff_merge_from_the_pair_and_undo_from_the_kept_persons_page(self, client, twice, staff):
        kept, merged = twice
        before = register_rows()
        client.force_login(staff)
        url = reverse("members:merge", args=[kept.pk, merged.pk])
        page = client.get(url)
        assert page.status_code == 200 and "0905111222" in page.content.decode()
        response = client.post(url, {"keep": kept.pk})
        assert response.status_code == 302 and response.url == kept.get_absolute_url()
        merge = PersonMerge.objects.get()
        detail = client.get(kept.get_absolute_url()).content.decode()
        assert merge.get_absolute_url() in detail
        assert "Tran Thi Mai" in client.get(merge.get_absolute_url()).content.decode()
        response = client.post(reverse("members:merge_undo", args=[merge.pk]))
        assert response.status_code == 302 and response.url == merged.get_absolute_url()
        assert register_rows() == before

    def test_a_refused_merge_is_said_on_the_page_and_changes_nothing(self, client, dong_xuan, staff):
        first = member(dong_xuan, full_name="Lê Thị Hồng", joined_on=date(2020, 1, 1))
        second = member(dong_xuan, full_name="Le Thi Hong", joined_on=date(2022, 1, 1))
        client.force_login(staff)
        before = every_row()
        response = client.post(
            reverse("members:merge", args=[first.person_id, second.person_id]), {"keep": first.person_id}
        )
        assert response.status_code == 200
        assert [error.code for error in response.context["form"].non_field_errors().as_data()] == [
            "merge_breaks_a_rule"
        ]
        assert every_row() == before

    def test_a_forged_keep_is_refused(self, client, twice, staff):
        kept, merged = twice
        client.force_login(staff)
        other = PersonFactory(full_name="Người khác")
        response = client.post(reverse("members:merge", args=[kept.pk, merged.pk]), {"keep": other.pk})
        assert response.status_code == 200 and "keep" in response.context["form"].errors
        assert Person.objects.filter(pk=merged.pk).exists()

    @pytest.mark.parametrize("pair", ["outside", "same", "missing"])
    def test_commune_staff_get_404_for_a_person_outside_their_scope_or_a_forged_id(
        self, client, twice, commune_staff, pair
    ):
        kept, merged = twice
        pk, other = {"outside": (kept.pk, merged.pk), "same": (kept.pk, kept.pk), "missing": (kept.pk, 999_999)}[pair]
        client.force_login(commune_staff)
        before = every_row()
        url = reverse("members:merge", args=[pk, other])
        assert client.get(url).status_code == 404
        assert client.post(url, {"keep": pk}).status_code == 404
        assert every_row() == before

    def test_commune_staff_cannot_see_or_undo_a_merge_outside_their_scope(self, client, son_ha, staff, commune_staff):
        first = member(son_ha, full_name="Đinh Thị Sương", birth_year=1978)
        second = PersonFactory(full_name="Dinh Thi Suong", birth_year=1978)
        merge = person_merge(kept=first.person, merged=second, user=staff)
        client.force_login(commune_staff)
        before = every_row()
        assert client.get(merge.get_absolute_url()).status_code == 404
        assert client.post(reverse("members:merge_undo", args=[merge.pk])).status_code == 404
        assert client.post(reverse("members:merge_undo", args=[999_999])).status_code == 404
        assert every_row() == before
        with pytest.raises(PermissionDenied):
            person_merge_undo(merge=merge, user=commune_staff)
        assert every_row() == before

    def test_officials_reach_none_of_it(self, client, twice, official, staff):
        kept, merged = twice
        client.force_login(official)
        before = every_row()
        for url in (
            reverse("members:duplicates"),
            reverse("members:merge", args=[kept.pk, merged.pk]),
            reverse("members:delete", args=[kept.pk]),
        ):
            assert client.get(url).status_code == 403
            assert client.post(url, {"keep": kept.pk}).status_code == 403
        assert every_row() == before


class TestDeletePerson:
    def test_a_person_nothing_depends_on_is_deleted_and_her_history_stays(self, client, staff):
        mistake = PersonFactory(full_name="Nhập nhầm")
        client.force_login(staff)
        page = client.get(mistake.get_absolute_url()).content.decode()
        assert reverse("members:delete", args=[mistake.pk]) in page
        confirm = client.get(reverse("members:delete", args=[mistake.pk]))
        assert confirm.context["dependents"] == "" and "Nhập nhầm" in confirm.content.decode()
        response = client.post(reverse("members:delete", args=[mistake.pk]))
        assert response.status_code == 302 and response.url == reverse("members:list")
        assert not Person.objects.filter(pk=mistake.pk).exists()
        history = Person.history.filter(id=mistake.pk).order_by("history_id")
        assert [record.history_type for record in history] == ["+", "-"]
        assert history.last().history_user == staff

    @pytest.mark.parametrize("depends", ["membership", "term", "participation"])
    def test_a_person_something_depends_on_is_not_offered_and_a_forged_post_is_a_message(
        self, client, staff, dong_xuan, depends
    ):
        person = PersonFactory(full_name="Có hồ sơ")
        if depends == "membership":
            membership_add(person=person, organisation=dong_xuan, member_type="official", joined_on=date(2020, 1, 1))
        elif depends == "term":
            position_appoint(person=person, organisation=dong_xuan, role=Role.DIRECTOR, started_on=date(2020, 1, 1))
        else:
            add_participant(make_workshop(), full_name="Có hồ sơ", person=person)
        client.force_login(staff)
        url = reverse("members:delete", args=[person.pk])
        assert url not in client.get(person.get_absolute_url()).content.decode()
        assert client.get(url).context["dependents"]
        before = every_row()
        response = client.post(url, follow=True)
        assert response.status_code == 200
        [message] = [str(m) for m in response.context["messages"]]
        relation = {"membership": Membership, "term": ManagementPosition, "participation": Participant}[depends]
        assert f"{relation._meta.verbose_name_plural}: 1" in message
        assert every_row() == before

    def test_a_person_something_depends_on_is_refused_by_the_service(self, staff, dong_xuan):
        membership = member(dong_xuan, full_name="Có hồ sơ")
        with pytest.raises(ValidationError) as refusal:
            person_delete(person=membership.person, user=staff)
        assert refusal.value.code == "has_dependents"

    def test_commune_staff_cannot_delete_someone_outside_their_scope(self, client, commune_staff, commune_b):
        elsewhere = PersonFactory(full_name="Ở xã khác", commune=commune_b)
        client.force_login(commune_staff)
        before = every_row()
        url = reverse("members:delete", args=[elsewhere.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert client.post(reverse("members:delete", args=[999_999])).status_code == 404
        assert every_row() == before
        with pytest.raises(PermissionDenied):
            person_delete(person=elsewhere, user=commune_staff)


class TestConsentAfterMerge:
    def test_withdrawing_consent_after_a_merge_erases_the_ethnic_group_from_the_merged_record_too(self, twice, staff):
        """The merge keeps the merged record to undo it; her consent withdrawn withdraws it from that copy too."""
        kept, merged = twice
        merge = person_merge(kept=kept, merged=merged, user=staff)
        kept.refresh_from_db()
        assert kept.ethnic_group is not None
        ethnicity_consent_withdraw(person=kept, on=date(2025, 1, 2))
        merge.refresh_from_db()
        assert merge.merged_person["ethnic_group_id"] is None
        assert merge.filled["ethnic_group_id"][1] is None
        assert not Person.history.filter(id__in=[kept.pk, merged.pk], ethnic_group__isnull=False).exists()
