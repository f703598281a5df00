"""No lost updates: an edit form saved over a version of the record its user never saw is refused.

Each test plays two members of staff through the real pages: both open the same form (A, then B),
A saves one change, B then saves another from the older form. B is shown the form again, with a
message naming what A changed, and nothing of B's is written; B's refreshed form, sent again, saves
B's change on top of A's. Forms are read from the pages' HTML, as a browser would send them, so a
template that forgot the hidden version field fails here.
"""

import threading
from datetime import date
from html import escape

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from coopportal.accounts.models import Role as AccountRole
from coopportal.concurrency import TOKEN_FIELD
from members.models import EthnicGroup, ManagementPosition, Membership, MemberType, Person
from members.roles import Role
from members.services import person_update
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, appoint, member
from tests.versions import form_on
from tests.workshops.factories import add_participant, make_workshop, propose
from workshops import services as workshop_services
from workshops.models import Participant, Presentation, ProposedSolution, SolutionStatus, Workshop

pytestmark = pytest.mark.django_db


def conflict_shown(response):
    """The page refuses the save with the conflict message; returns the ``EditConflict``."""
    form = response.context.get("move_form") or response.context["form"]
    assert form.edit_conflict is not None, form.errors
    assert escape(form.edit_conflict.message) in response.content.decode()
    return form.edit_conflict


def history_count(record):
    return record.history.count() if hasattr(record, "history") else None


@pytest.fixture
def staff_a(client, provincial_staff):
    client.force_login(provincial_staff)
    return client


@pytest.fixture
def staff_b(db):
    other = Client()
    other.force_login(UserFactory(role=AccountRole.STAFF, province_wide=True, username="province2"))
    return other


def edit_after_edit(staff_a, staff_b, url, change_a, change_b, read, *, action=None):
    """A and B open ``url``; A saves ``change_a``; B's ``change_b`` from the older form is refused, then saved.

    ``read()`` gives the record as it is in the database now. Returns (the record after A's save,
    after B's refused save, after B's second save) and B's refused response.
    """
    form_a = form_on(staff_a.get(url), action)
    form_b = form_on(staff_b.get(url), action)
    assert form_a[TOKEN_FIELD] and form_b[TOKEN_FIELD]
    target = action or url

    saved = staff_a.post(target, {**form_a, **change_a})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    after_a = read()
    versions = history_count(after_a)

    refused = staff_b.post(target, {**form_b, **change_b})
    assert refused.status_code == 200
    assert conflict_shown(refused).readable
    after_refusal = read()
    assert model_values(after_refusal) == model_values(after_a), "B's refused save wrote something"
    assert history_count(after_refusal) == versions

    again = staff_b.post(target, {**form_on(refused, action), **change_b})
    assert again.status_code == 302, again.content.decode()[:3000]
    return after_a, after_refusal, read(), refused


def model_values(record):
    return {field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields}


@pytest.fixture
def organisation(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a, founded_on=date(2015, 1, 1))


@pytest.fixture
def membership(organisation, commune_a):
    return member(organisation, full_name="Đinh Thị Hoa", commune=commune_a, birth_year=1980)


@pytest.fixture
def term(membership):
    return appoint(membership, Role.CHAIR, started_on=date(2020, 1, 1))


class TestPeople:
    def test_a_phone_saved_first_is_not_lost_to_a_citizen_id_saved_from_an_older_form(self, staff_a, staff_b):
        """The issue's sequence: a new phone, then a citizen ID from the form opened before it."""
        person = PersonFactory(full_name="Nguyễn Thị Mai", birth_year=1985)
        url = reverse("members:update", args=[person.pk])

        after_a, after_refusal, after_b, refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"phone": "0905123456"},
            {"citizen_id": "051185000123"},
            lambda: Person.objects.get(pk=person.pk),
        )

        assert after_a.phone and after_refusal.citizen_id is None
        text = refused.content.decode()
        assert "province1" in text  # who saved meanwhile, from the history
        assert f"{after_a.phone} (" in text  # the phone as it is now, then what it was
        assert after_b.phone == after_a.phone
        assert after_b.citizen_id == "051185000123"

    def test_the_refused_form_shows_the_other_change_and_keeps_its_own(self, staff_a, staff_b):
        person = PersonFactory(full_name="Nguyễn Thị Mai", birth_year=1985)
        url = reverse("members:update", args=[person.pk])
        form_a, form_b = form_on(staff_a.get(url)), form_on(staff_b.get(url))
        staff_a.post(url, {**form_a, "phone": "0905123456"})

        refused = staff_b.post(url, {**form_b, "citizen_id": "051185000123"})

        shown = form_on(refused)
        assert shown["phone"] == Person.objects.get(pk=person.pk).phone
        assert shown["citizen_id"] == "051185000123"
        assert shown[TOKEN_FIELD] != form_b[TOKEN_FIELD]
        (change,) = conflict_shown(refused).changes
        assert (change.label, change.now) == (str(refused.context["form"]["phone"].label), shown["phone"])

    def test_two_saves_from_one_version_only_write_once(self, staff_a, staff_b):
        """The same change twice (two clicks, two tabs): the second is shown the first, not written again."""
        person = PersonFactory(full_name="Nguyễn Thị Mai", birth_year=1985)
        url = reverse("members:update", args=[person.pk])
        form = form_on(staff_a.get(url))
        staff_a.post(url, {**form, "phone": "0905123456"})
        versions = person.history.count()

        refused = staff_b.post(url, {**form, "phone": "0912000111"})

        conflict_shown(refused)
        assert Person.objects.get(pk=person.pk).history.count() == versions

    def test_consent_withdrawal_from_an_older_page_is_refused_when_the_ethnicity_changed(
        self, staff_a, staff_b, commune_a
    ):
        kinh, hre = EthnicGroup.objects.get(code="01"), EthnicGroup.objects.exclude(code="01").first()
        person = PersonFactory(
            full_name="Nguyễn Thị Mai",
            birth_year=1985,
            commune=commune_a,
            ethnic_group=kinh,
            ethnicity_consent_on=date(2024, 1, 5),
            ethnicity_consent_informed=True,
        )
        detail = reverse("members:detail", args=[person.pk])
        action = reverse("members:consent_withdraw", args=[person.pk])
        form_b = form_on(staff_b.get(detail), action)
        # A records a corrected ethnic group meanwhile.
        edit = reverse("members:update", args=[person.pk])
        staff_a.post(edit, {**form_on(staff_a.get(edit)), "ethnic_group": str(hre.pk)})
        versions = person.history.count()

        refused = staff_b.post(action, {**form_b, "on": "2024-06-01"}, follow=True)

        (message,) = [message for message in refused.context["messages"] if message.level_tag == "error"]
        assert hre.name in str(message) and escape(str(message)) in refused.content.decode()
        person.refresh_from_db()
        assert person.ethnic_group == hre and person.ethnicity_consent_withdrawn_on is None
        assert person.history.count() == versions
        staff_b.post(action, {**form_on(refused, action), "on": "2024-06-01"})
        person.refresh_from_db()
        assert person.ethnic_group is None and person.ethnicity_consent_withdrawn_on == date(2024, 6, 1)

    def test_a_new_phone_does_not_stand_in_the_way_of_a_consent_withdrawal(self, staff_b, commune_a):
        person = PersonFactory(
            full_name="Nguyễn Thị Mai",
            birth_year=1985,
            commune=commune_a,
            ethnic_group=EthnicGroup.objects.get(code="01"),
            ethnicity_consent_on=date(2024, 1, 5),
            ethnicity_consent_informed=True,
        )
        action = reverse("members:consent_withdraw", args=[person.pk])
        form_b = form_on(staff_b.get(reverse("members:detail", args=[person.pk])), action)
        person_update(person=Person.objects.get(pk=person.pk), phone="0905123456")

        staff_b.post(action, {**form_b, "on": "2024-06-01"})

        person.refresh_from_db()
        assert person.ethnic_group is None and person.phone == "0905123456"


class TestOrganisations:
    def test_organisation(self, staff_a, staff_b, organisation):
        url = reverse("cooperatives:update", args=[organisation.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"phone": "0255 3822 111"},
            {"main_products": "Gạo hữu cơ"},
            lambda: type(organisation).objects.get(pk=organisation.pk),
        )
        assert after_a.phone and after_refusal.main_products == ""
        assert (after_b.phone, after_b.main_products) == (after_a.phone, "Gạo hữu cơ")

    def test_sectors_chosen_meanwhile_are_a_change(self, staff_a, staff_b, organisation):
        url = reverse("cooperatives:update", args=[organisation.pk])
        form_a, form_b = form_on(staff_a.get(url)), form_on(staff_b.get(url))
        choices = [option.pk for option in type(organisation).sectors.field.related_model.objects.all()[:2]]
        staff_a.post(url, {**form_a, "sectors": [str(pk) for pk in choices]})

        refused = staff_b.post(url, {**form_b, "address": "Thôn 3"})

        conflict_shown(refused)
        assert sorted(int(pk) for pk in form_on(refused)["sectors"]) == sorted(choices)
        organisation.refresh_from_db()
        assert organisation.address == ""


class TestMembershipsAndTerms:
    def test_membership_correct(self, staff_a, staff_b, membership):
        url = reverse("members:membership_correct", args=[membership.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"capital_contributed": "5.000.000"},
            {"member_type": MemberType.ASSOCIATE_CAPITAL},
            lambda: Membership.objects.get(pk=membership.pk),
        )
        assert after_a.capital_contributed == 5_000_000 and after_refusal.member_type == MemberType.OFFICIAL
        assert (after_b.capital_contributed, after_b.member_type) == (5_000_000, MemberType.ASSOCIATE_CAPITAL)

    def test_membership_end_after_a_correction(self, staff_a, staff_b, membership):
        correct = reverse("members:membership_correct", args=[membership.pk])
        end = reverse("members:membership_end", args=[membership.pk])
        form_b = form_on(staff_b.get(end))
        staff_a.post(correct, {**form_on(staff_a.get(correct)), "joined_on": "2020-03-01"})
        versions = membership.history.count()

        refused = staff_b.post(end, {**form_b, "on": "2024-06-30"})

        assert refused.status_code == 200 and conflict_shown(refused).readable
        assert Membership.objects.get(pk=membership.pk).left_on is None
        assert membership.history.count() == versions
        assert staff_b.post(end, {**form_on(refused), "on": "2024-06-30"}).status_code == 302
        ended = Membership.objects.get(pk=membership.pk)
        assert (ended.joined_on, ended.left_on) == (date(2020, 3, 1), date(2024, 6, 30))

    def test_membership_ended_twice_from_one_page(self, staff_a, staff_b, membership):
        url = reverse("members:membership_end", args=[membership.pk])
        form_a, form_b = form_on(staff_a.get(url)), form_on(staff_b.get(url))
        staff_a.post(url, {**form_a, "on": "2024-06-30"})

        refused = staff_b.post(url, {**form_b, "on": "2024-01-31"})

        assert "30/06/2024" in conflict_shown(refused).message
        assert Membership.objects.get(pk=membership.pk).left_on == date(2024, 6, 30)

    def test_term_correct(self, staff_a, staff_b, term):
        url = reverse("members:position_correct", args=[term.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"started_on": "2020-02-01"},
            {"ended_on": "2023-12-31"},
            lambda: ManagementPosition.objects.get(pk=term.pk),
        )
        assert after_a.started_on == date(2020, 2, 1) and after_refusal.ended_on is None
        assert (after_b.started_on, after_b.ended_on) == (date(2020, 2, 1), date(2023, 12, 31))

    def test_term_end_after_a_correction(self, staff_a, staff_b, term):
        correct = reverse("members:position_correct", args=[term.pk])
        end = reverse("members:position_end", args=[term.pk])
        form_b = form_on(staff_b.get(end))
        staff_a.post(correct, {**form_on(staff_a.get(correct)), "started_on": "2020-02-01"})
        versions = term.history.count()

        refused = staff_b.post(end, {**form_b, "on": "2024-06-30"})

        assert refused.status_code == 200 and conflict_shown(refused).readable
        assert ManagementPosition.objects.get(pk=term.pk).ended_on is None
        assert term.history.count() == versions
        assert staff_b.post(end, {**form_on(refused), "on": "2024-06-30"}).status_code == 302
        assert ManagementPosition.objects.get(pk=term.pk).ended_on == date(2024, 6, 30)


@pytest.fixture
def workshop():
    return make_workshop()


class TestWorkshops:
    def test_workshop(self, staff_a, staff_b, workshop):
        url = reverse("workshops:update", args=[workshop.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"venue": "Hội trường Hội LHPN tỉnh"},
            {"outcome_summary": "Thống nhất 5 giải pháp."},
            lambda: Workshop.objects.get(pk=workshop.pk),
        )
        assert after_a.venue and after_refusal.outcome_summary == ""
        assert (after_b.venue, after_b.outcome_summary) == (after_a.venue, "Thống nhất 5 giải pháp.")

    def test_participant(self, staff_a, staff_b, workshop):
        participant = add_participant(workshop, full_name="Trần Thị Bích")
        url = reverse("workshops:participant_update", args=[workshop.pk, participant.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"position": "Giám đốc"},
            {"organisation_name": "HTX Đồng Xuân"},
            lambda: Participant.objects.get(pk=participant.pk),
        )
        assert after_a.position == "Giám đốc" and after_refusal.organisation_name == ""
        assert (after_b.position, after_b.organisation_name) == ("Giám đốc", "HTX Đồng Xuân")

    def test_presentation(self, staff_a, staff_b, workshop):
        presentation = workshop_services.presentation_add(
            workshop=workshop, title="Kinh nghiệm tiêu thụ", presenter="Bà Lan", position=1
        )
        url = reverse("workshops:presentation_update", args=[workshop.pk, presentation.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"title": "Kinh nghiệm tiêu thụ sản phẩm"},
            {"summary": "Bán qua sàn thương mại điện tử."},
            lambda: Presentation.objects.get(pk=presentation.pk),
        )
        assert after_a.title == "Kinh nghiệm tiêu thụ sản phẩm" and after_refusal.summary == ""
        assert (after_b.title, after_b.summary) == (after_a.title, "Bán qua sàn thương mại điện tử.")

    def test_proposed_solution(self, staff_a, staff_b, workshop):
        solution = propose(workshop)
        url = reverse("workshops:solution_update", args=[workshop.pk, solution.pk])
        after_a, after_refusal, after_b, _refused = edit_after_edit(
            staff_a,
            staff_b,
            url,
            {"responsible_body": "Sở Nông nghiệp và Môi trường"},
            {"priority": "high"},
            lambda: ProposedSolution.objects.get(pk=solution.pk),
        )
        assert after_a.responsible_body == "Sở Nông nghiệp và Môi trường" and after_refusal.priority == "medium"
        assert (after_b.responsible_body, after_b.priority) == (after_a.responsible_body, "high")

    def test_solution_status_move(self, staff_a, staff_b, workshop):
        solution = propose(workshop)
        action = reverse("workshops:solution_move", args=[workshop.pk, solution.pk])
        after_a, after_refusal, after_b, refused = edit_after_edit(
            staff_a,
            staff_b,
            reverse("workshops:solution_detail", args=[solution.pk]),
            {"to_status": SolutionStatus.ADOPTED},
            {"to_status": SolutionStatus.DECLINED, "note": "Không đủ kinh phí."},
            lambda: ProposedSolution.objects.get(pk=solution.pk),
            action=action,
        )
        assert after_a.status == after_refusal.status == SolutionStatus.ADOPTED
        assert after_b.status == SolutionStatus.DECLINED
        assert after_b.status_changes.count() == 2


class TestTokens:
    """A missing, forged or borrowed version is a conflict too: a message, nothing written, never a 500."""

    @pytest.fixture
    def person(self):
        return PersonFactory(full_name="Nguyễn Thị Mai", birth_year=1985, phone="0905123456")

    @pytest.mark.parametrize(
        "token",
        [None, "", "forged", "eyJyZWNvcmQiOiJtZW1iZXJzLnBlcnNvbjoxIn0:1abc:def", "x" * 5000, "\x00", "bản ghi"],
    )
    def test_a_bad_token_saves_nothing(self, staff_a, person, token):
        url = reverse("members:update", args=[person.pk])
        form = form_on(staff_a.get(url))
        if token is None:
            del form[TOKEN_FIELD]
        else:
            form[TOKEN_FIELD] = token
        versions = person.history.count()

        response = staff_a.post(url, {**form, "phone": "0912000111"})

        assert response.status_code == 200
        assert conflict_shown(response).readable is False
        person.refresh_from_db()
        assert person.phone == "0905123456" and person.history.count() == versions
        # The form now shows the record as it is, with a good token: sent again, it saves.
        again = form_on(response)
        assert again["phone"] == "0905123456"
        assert staff_a.post(url, {**again, "phone": "0912000111"}).status_code == 302

    def test_a_token_of_another_record_is_refused(self, staff_a, person):
        other = PersonFactory(full_name="Nguyễn Thị Lan", birth_year=1985, phone="0905123456")
        url = reverse("members:update", args=[person.pk])
        form = form_on(staff_a.get(url))
        form[TOKEN_FIELD] = form_on(staff_a.get(reverse("members:update", args=[other.pk])))[TOKEN_FIELD]

        response = staff_a.post(url, {**form, "full_name": "Nguyễn Thị Lan"})

        assert response.status_code == 200 and conflict_shown(response).readable is False
        person.refresh_from_db()
        assert person.full_name == "Nguyễn Thị Mai"

    def test_a_missing_token_on_an_action_form(self, staff_a, membership):
        url = reverse("members:membership_end", args=[membership.pk])

        response = staff_a.post(url, {"on": "2024-06-30"})

        assert response.status_code == 200 and conflict_shown(response).readable is False
        assert Membership.objects.get(pk=membership.pk).left_on is None

    def test_a_missing_token_on_the_consent_withdrawal(self, staff_a, commune_a):
        person = PersonFactory(
            full_name="Nguyễn Thị Mai",
            birth_year=1985,
            commune=commune_a,
            ethnic_group=EthnicGroup.objects.get(code="01"),
            ethnicity_consent_on=date(2024, 1, 5),
            ethnicity_consent_informed=True,
        )

        response = staff_a.post(reverse("members:consent_withdraw", args=[person.pk]), {"on": "2024-06-01"})

        assert response.status_code == 302
        assert [message.level_tag for message in get_messages(response.wsgi_request)] == ["error"]
        person.refresh_from_db()
        assert person.ethnic_group is not None

    def test_add_forms_carry_no_token_and_still_save(self, staff_a, workshop, organisation):
        response = staff_a.get(reverse("workshops:participant_add", args=[workshop.pk]))
        assert TOKEN_FIELD not in form_on(response)
        response = staff_a.get(reverse("members:membership_add", args=[organisation.pk]))
        assert TOKEN_FIELD not in form_on(response)


def post_at_once(url, user, datas):
    """POST each of ``datas`` to ``url`` as ``user``, each from a thread and connection of its own, all at once.

    Returns the status codes, in order.
    """
    barrier = threading.Barrier(len(datas))
    statuses = [None] * len(datas)

    def post(index, data):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses[index] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=pair) for pair in enumerate(datas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks exist on PostgreSQL; SQLite serialises writers"
)
@pytest.mark.django_db(transaction=True)
class TestAtOnce:
    """Saves from one version sent at the same moment: the row lock lets exactly one through."""

    WRITERS = 6

    def test_one_version_saved_by_several_at_once_is_written_once(self, reference_data, provincial_staff):
        person = PersonFactory(full_name="Nguyễn Thị Mai", birth_year=1985)
        url = reverse("members:update", args=[person.pk])
        opener = Client()
        opener.force_login(provincial_staff)
        for attempt in range(5):
            form = form_on(opener.get(url))
            phones = [f"09051230{attempt}{writer}" for writer in range(self.WRITERS)]
            versions = person.history.count()

            statuses = post_at_once(url, provincial_staff, [{**form, "phone": phone} for phone in phones])

            assert sorted(statuses) == [200] * (self.WRITERS - 1) + [302], statuses
            assert person.history.count() == versions + 1
            assert Person.objects.get(pk=person.pk).phone == phones[statuses.index(302)]
