"""Forms of the members register refuse bad input with a Vietnamese message and change nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperatives.models import Governance, LegalForm
from members.models import EthnicGroup, ManagementPosition, Membership, Person
from members.roles import Role
from tests.factories import OrganisationFactory, PersonFactory, appoint, member
from tests.submissions import post_new
from tests.versions import with_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a, founded_on=date(2015, 3, 1))


@pytest.fixture
def staff_client(client, provincial_staff):
    client.force_login(provincial_staff)
    return client


def new_member_data(**changes):
    data = {
        "who": "new",
        "new-full_name": "Hồ Thị Nga",
        "new-gender": "female",
        "new-birth_year": "1988",
        "new-birth_date": "",
        "new-commune": "",
        "new-phone": "0905123456",
        "new-citizen_id": "",
        "new-ethnic_group": "",
        "new-ethnicity_consent_on": "",
        "member_type": "official",
        "joined_on": "2024-03-01",
        "capital_contributed": "2000000",
    }
    data.update(changes)
    return data


def snapshot():
    """Everything these forms could write; a refused form leaves it unchanged."""
    return (
        list(Person.objects.values_list("pk", "full_name", "ethnic_group", "citizen_id")),
        list(Membership.objects.values_list("pk", "joined_on", "left_on")),
        list(ManagementPosition.objects.values_list("pk", "role", "ended_on")),
    )


def add_member(client, organisation, data):
    return post_new(client, reverse("members:membership_add", args=[organisation.pk]), data)


def errors_of(response, form="form"):
    return response.context[form].errors


class TestAddMember:
    def test_a_bad_citizen_id_is_refused(self, staff_client, cooperative):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-citizen_id": "04518900123"}))
        assert errors_of(response, "person_form")["citizen_id"] == ["Số căn cước công dân gồm đúng 12 chữ số."]
        assert snapshot() == before

    def test_a_citizen_id_already_recorded_is_refused(self, staff_client, cooperative):
        PersonFactory(citizen_id="045189001234")
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-citizen_id": "045189001234"}))
        assert "citizen_id" in errors_of(response, "person_form")
        assert snapshot() == before

    @pytest.mark.parametrize(
        "consent",
        [
            {},
            {"new-ethnicity_consent_on": "2024-02-20"},  # a date, but she was not told it is sensitive
            {"new-ethnicity_consent_informed": "on"},  # told, but no date of consent
        ],
    )
    def test_ethnicity_without_informed_consent_is_refused(self, staff_client, cooperative, consent):
        hre = EthnicGroup.objects.get(name_vi="Hrê")
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-ethnic_group": hre.pk, **consent}))
        [message] = errors_of(response, "person_form")["ethnic_group"]
        assert message.startswith("Chỉ được ghi dân tộc khi có ngày người đó đồng ý")
        assert snapshot() == before

    def test_ethnicity_with_informed_consent_is_recorded(self, staff_client, cooperative):
        hre = EthnicGroup.objects.get(name_vi="Hrê")
        add_member(
            staff_client,
            cooperative,
            new_member_data(
                **{
                    "new-ethnic_group": hre.pk,
                    "new-ethnicity_consent_on": "2024-02-20",
                    "new-ethnicity_consent_informed": "on",
                }
            ),
        )
        person = Person.objects.get()
        assert (person.ethnic_group, person.ethnicity_consent_on) == (hre, date(2024, 2, 20))

    def test_an_overlapping_membership_is_refused(self, staff_client, cooperative):
        current = member(cooperative, joined_on=date(2020, 1, 1))
        before = snapshot()
        response = add_member(
            staff_client, cooperative, {**new_member_data(), "who": "existing", "person": current.person_id}
        )
        assert errors_of(response)["joined_on"] == [
            "Người này đã là thành viên của tổ chức trong khoảng thời gian này."
        ]
        assert snapshot() == before

    def test_a_new_person_refused_as_member_is_not_stored_either(self, staff_client, cooperative):
        """Person and membership are one step: an official member under 18 leaves no person behind."""
        response = add_member(staff_client, cooperative, new_member_data(**{"new-birth_year": "2010"}))
        [error] = errors_of(response).as_data()["joined_on"]
        assert error.code == "official_member_under_18" and "18" in error.messages[0]
        assert not Person.objects.exists() and not Membership.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "form", "field", "message"),
        [
            ({"joined_on": "2014-12-31"}, "form", "joined_on", "Ngày này trước ngày thành lập tổ chức (01/03/2015)."),
            ({"joined_on": "2099-01-01"}, "form", "joined_on", "Ngày này ở tương lai."),
            ({"new-birth_date": "1987-05-02"}, "person_form", "birth_date", "Ngày sinh không khớp với năm sinh."),
            ({"new-birth_year": "2199"}, "person_form", "birth_year", "Năm này ở tương lai."),
            ({"new-full_name": ""}, "person_form", "full_name", "Trường này là bắt buộc."),
            ({"who": "existing"}, "form", "person", "Hãy chọn một người, hoặc chọn thêm người mới."),
            ({"member_type": "group_member"}, "form", "member_type", None),
        ],
    )
    def test_wrong_input_is_refused(self, staff_client, cooperative, changes, form, field, message):
        response = add_member(staff_client, cooperative, new_member_data(**changes))
        assert response.status_code == 200
        errors = errors_of(response, form)[field]
        assert message in errors if message else errors
        assert snapshot() == ([], [], [])

    def test_a_person_out_of_scope_cannot_be_picked_by_a_forged_id(self, client, commune_staff, cooperative, commune_b):
        client.force_login(commune_staff)
        elsewhere = member(OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)).person
        before = snapshot()
        response = add_member(client, cooperative, {**new_member_data(), "who": "existing", "person": elsewhere.pk})
        assert "person" in errors_of(response)
        assert snapshot() == before

    def test_a_new_person_with_a_namesake_is_held_back_until_confirmed(self, staff_client, cooperative):
        """Namesakes exist, so this is no refusal; but staff are asked before saving, in case she was already there
        (tests/members/test_duplicates.py tries every form that creates or edits a person)."""
        PersonFactory(full_name="Hồ Thị Nga", birth_year=1988)
        PersonFactory(full_name="Hồ Thị Nga", birth_year=1990)
        data = new_member_data(**{"new-full_name": "Ho thi  Nga"})
        response = add_member(staff_client, cooperative, data)
        assert [error.code for error in errors_of(response, "person_form").as_data()["__all__"]] == ["likely_duplicate"]
        assert Membership.objects.count() == 0
        response = add_member(staff_client, cooperative, {**data, "new-save_anyway": "on"})
        assert [str(message) for message in response.wsgi_request._messages] == ["Đã thêm thành viên."]
        assert Membership.objects.count() == 1

    def test_a_new_person_without_namesake_is_added_without_warning(self, staff_client, cooperative):
        PersonFactory(full_name="Hồ Thị Nga", birth_year=1990)
        response = add_member(staff_client, cooperative, new_member_data())
        assert [str(message) for message in response.wsgi_request._messages] == ["Đã thêm thành viên."]


class TestEndMembership:
    def test_leaving_before_joining_is_refused(self, staff_client, cooperative):
        membership = member(cooperative, joined_on=date(2022, 5, 1))
        before = snapshot()
        response = staff_client.post(reverse("members:membership_end", args=[membership.pk]), {"on": "2022-04-30"})
        assert errors_of(response)["on"] == ["Ngày này trước ngày bắt đầu (01/05/2022)."]
        assert snapshot() == before

    def test_leaving_in_the_future_is_refused(self, staff_client, cooperative):
        membership = member(cooperative)
        before = snapshot()
        tomorrow = timezone.localdate() + timedelta(days=1)
        response = staff_client.post(
            reverse("members:membership_end", args=[membership.pk]), {"on": tomorrow.isoformat()}
        )
        assert errors_of(response)["on"] == ["Ngày này ở tương lai."]
        assert snapshot() == before

    def test_an_ended_membership_cannot_end_again(self, staff_client, cooperative):
        membership = member(cooperative)
        url = reverse("members:membership_end", args=[membership.pk])
        staff_client.post(url, with_version(staff_client, url, {"on": "2024-01-31"}))
        before = snapshot()
        response = staff_client.post(url, with_version(staff_client, url, {"on": "2024-06-30"}))
        assert response.status_code == 200 and errors_of(response)["on"]
        assert snapshot() == before

    def test_a_member_who_leaves_while_in_office_is_warned_about(self, staff_client, cooperative):
        """Her term goes on (a holder need not be a member), but staff are told, as when appointing."""
        chair = member(cooperative, full_name="Đinh Thị Hoa")
        appoint(chair, Role.CHAIR, started_on=date(2021, 1, 1))
        url = reverse("members:membership_end", args=[chair.pk])
        response = staff_client.post(url, with_version(staff_client, url, {"on": "2024-01-31"}), follow=True)
        assert [str(message) for message in response.context["messages"]] == [
            "Đã chấm dứt tư cách thành viên; thông tin vẫn được lưu trong lịch sử.",
            "Đinh Thị Hoa vẫn giữ chức vụ chủ tịch hội đồng quản trị dù không còn là thành viên từ ngày "
            "31/01/2024: nếu đã thôi đảm nhiệm, hãy kết thúc nhiệm kỳ.",
        ]
        assert ManagementPosition.objects.get().ended_on is None

    def test_a_member_without_a_position_leaves_without_a_warning(self, staff_client, cooperative):
        membership = member(cooperative)
        url = reverse("members:membership_end", args=[membership.pk])
        response = staff_client.post(url, with_version(staff_client, url, {"on": "2024-01-31"}), follow=True)
        assert len(list(response.context["messages"])) == 1


class TestAppoint:
    def test_a_second_chair_is_refused(self, staff_client, cooperative):
        appoint(member(cooperative), Role.CHAIR, started_on=date(2021, 1, 1))
        other = member(cooperative)
        before = snapshot()
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[cooperative.pk]),
            {"person": other.person_id, "role": Role.CHAIR, "started_on": "2024-01-01"},
        )
        assert errors_of(response)["started_on"] == [
            "Tổ chức đã có chủ tịch hội đồng quản trị trong khoảng thời gian này: hãy kết thúc nhiệm kỳ đó trước."
        ]
        assert snapshot() == before

    def test_a_role_the_governance_model_lacks_is_not_offered(self, staff_client, commune_a):
        simplified = OrganisationFactory(
            name="Hợp tác xã Siêu nhỏ", commune=commune_a, governance=Governance.SIMPLIFIED
        )
        someone = member(simplified)
        form = staff_client.get(reverse("members:position_appoint", args=[simplified.pk])).context["form"]
        offered = {value for value, _label in form.fields["role"].choices}
        assert Role.CHAIR not in offered and Role.CONTROLLER in offered and Role.DIRECTOR in offered
        before = snapshot()
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[simplified.pk]),
            {"person": someone.person_id, "role": Role.CHAIR, "started_on": "2024-01-01"},
        )
        assert "role" in errors_of(response)
        assert snapshot() == before

    def test_a_group_offers_its_leader(self, staff_client, commune_a):
        group = OrganisationFactory(
            name="Tổ hợp tác Mây tre", commune=commune_a, legal_form=LegalForm.COOPERATIVE_GROUP
        )
        form = staff_client.get(reverse("members:position_appoint", args=[group.pk])).context["form"]
        assert {value for value, _label in form.fields["role"].choices} == {Role.GROUP_LEADER, Role.CHIEF_ACCOUNTANT}

    def test_ending_a_term_before_it_started_is_refused(self, staff_client, cooperative):
        position = appoint(member(cooperative), Role.DIRECTOR, started_on=date(2023, 7, 1))
        before = snapshot()
        response = staff_client.post(reverse("members:position_end", args=[position.pk]), {"on": "2023-06-30"})
        assert errors_of(response)["on"] == ["Ngày này trước ngày bắt đầu (01/07/2023)."]
        assert snapshot() == before

    def test_a_start_in_the_future_is_refused(self, staff_client, cooperative):
        someone = member(cooperative)
        before = snapshot()
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[cooperative.pk]),
            {"person": someone.person_id, "role": Role.DIRECTOR, "started_on": "2099-01-01"},
        )
        assert errors_of(response)["started_on"] == ["Ngày này ở tương lai."]
        assert snapshot() == before


class TestEditPerson:
    def test_a_bad_citizen_id_is_refused_on_edit(self, staff_client):
        person = PersonFactory(full_name="Võ Thị Bé")
        before = snapshot()
        response = staff_client.post(
            reverse("members:update", args=[person.pk]),
            {"full_name": "Võ Thị Bé", "gender": "female", "birth_year": "1980", "citizen_id": "abc"},
        )
        assert errors_of(response)["citizen_id"] == ["Số căn cước công dân gồm đúng 12 chữ số."]
        assert snapshot() == before


class TestAmounts:
    def test_capital_may_be_typed_with_vietnamese_thousand_separators(self, staff_client, cooperative):
        """Staff type amounts as they read them: 10.000.000 is ten million đồng."""
        response = add_member(staff_client, cooperative, new_member_data(capital_contributed="10.000.000"))
        assert response.status_code == 302
        assert Membership.objects.get().capital_contributed == 10_000_000

    @pytest.mark.parametrize("language", ["vi", "en"])
    @pytest.mark.parametrize(
        "typed, dong",
        [
            ("10,000", 10_000),
            ("10.000", 10_000),
            ("10 000", 10_000),
            ("5,000", 5_000),
            ("10.000.000", 10_000_000),
            ("10,000,000", 10_000_000),
            ("10\u00a0000\u00a0000", 10_000_000),
            ("10000000", 10_000_000),
            ("10.000.000 đ", 10_000_000),
            ("0", 0),
        ],
    )
    def test_an_amount_means_the_same_in_either_language(self, staff_client, cooperative, language, typed, dong):
        """Dots, commas and spaces all separate thousands of đồng, whatever the interface language."""
        staff_client.cookies["django_language"] = language
        response = add_member(staff_client, cooperative, new_member_data(capital_contributed=typed))
        assert response.status_code == 302
        assert Membership.objects.get().capital_contributed == dong

    @pytest.mark.parametrize("typed", ["mười triệu", "10,5", "1.5", "1.000,50", "1,000.000", "10.00", "-5.000", "1e7"])
    def test_an_amount_that_is_not_whole_dong_or_could_be_read_two_ways_is_refused_with_an_example(
        self, staff_client, cooperative, typed
    ):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(capital_contributed=typed))
        [message] = errors_of(response)["capital_contributed"]
        assert "10.000.000" in message
        assert snapshot() == before


class TestRecordingThePast:
    """Terms and memberships that ended before the portal was used are entered with their end date."""

    def test_a_former_chair_is_recorded_while_today_s_chair_holds_office(self, staff_client, cooperative):
        appoint(member(cooperative), Role.CHAIR, started_on=date(2020, 1, 1))
        former = member(cooperative, joined_on=date(2015, 3, 1))
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[cooperative.pk]),
            {"person": former.person_id, "role": Role.CHAIR, "started_on": "2015-03-01", "ended_on": "2020-01-01"},
        )
        assert response.status_code == 302
        past = ManagementPosition.objects.get(person=former.person)
        assert (past.started_on, past.ended_on) == (date(2015, 3, 1), date(2020, 1, 1))

    def test_a_past_term_overlapping_today_s_chair_is_still_refused(self, staff_client, cooperative):
        appoint(member(cooperative), Role.CHAIR, started_on=date(2020, 1, 1))
        former = member(cooperative, joined_on=date(2015, 3, 1))
        before = snapshot()
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[cooperative.pk]),
            {"person": former.person_id, "role": Role.CHAIR, "started_on": "2015-03-01", "ended_on": "2020-06-30"},
        )
        assert errors_of(response)["started_on"] == [
            "Tổ chức đã có chủ tịch hội đồng quản trị trong khoảng thời gian này: hãy kết thúc nhiệm kỳ đó trước."
        ]
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("ended_on", "message"),
        [("2016-02-29", "Ngày này trước ngày bắt đầu (01/03/2016)."), ("2099-01-01", "Ngày này ở tương lai.")],
    )
    def test_a_term_s_end_before_its_start_or_in_the_future_is_refused(
        self, staff_client, cooperative, ended_on, message
    ):
        someone = member(cooperative, joined_on=date(2016, 3, 1))
        before = snapshot()
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[cooperative.pk]),
            {"person": someone.person_id, "role": Role.DIRECTOR, "started_on": "2016-03-01", "ended_on": ended_on},
        )
        assert errors_of(response)["ended_on"] == [message]
        assert snapshot() == before

    def test_an_earlier_membership_of_today_s_member_is_recorded(self, staff_client, cooperative):
        current = member(cooperative, joined_on=date(2021, 1, 1))
        response = add_member(
            staff_client,
            cooperative,
            {
                "who": "existing",
                "person": current.person_id,
                "member_type": "official",
                "joined_on": "2016-05-01",
                "left_on": "2019-12-31",
                "capital_contributed": "0",
            },
        )
        assert response.status_code == 302
        assert list(Membership.objects.filter(person=current.person).values_list("joined_on", "left_on")) == [
            (date(2016, 5, 1), date(2019, 12, 31)),
            (date(2021, 1, 1), None),
        ]

    def test_leaving_before_joining_is_refused_when_adding(self, staff_client, cooperative):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(left_on="2024-02-01"))
        assert errors_of(response)["left_on"] == ["Ngày này trước ngày bắt đầu (01/03/2024)."]
        assert snapshot() == before


class TestDissolved:
    def test_no_one_joins_or_is_appointed_after_the_dissolution(self, staff_client, cooperative):
        someone = member(cooperative, joined_on=date(2016, 1, 1))
        cooperative.status, cooperative.status_changed_on = "dissolved", date(2022, 6, 30)
        cooperative.save()
        before = snapshot()
        message = ["Ngày này sau ngày tổ chức giải thể (30/06/2022)."]
        response = add_member(staff_client, cooperative, new_member_data(joined_on="2023-01-01"))
        assert errors_of(response)["joined_on"] == message
        response = post_new(
            staff_client,
            reverse("members:position_appoint", args=[cooperative.pk]),
            {"person": someone.person_id, "role": Role.DIRECTOR, "started_on": "2023-01-01"},
        )
        assert errors_of(response)["started_on"] == message
        assert snapshot() == before
