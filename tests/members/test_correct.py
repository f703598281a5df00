"""Correcting a saved membership or term: every rule of a new one applies, a refusal changes nothing."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import MemberType
from members.roles import Role
from members.services import membership_add, membership_correct, membership_end, position_appoint, position_correct
from tests.factories import OrganisationFactory, appoint, member
from tests.versions import with_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def dong_xuan(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a)


@pytest.fixture
def hoa(dong_xuan):
    """Member and chair since 01/01/2020."""
    return member(dong_xuan, full_name="Đinh Thị Hoa")


@pytest.fixture
def hoa_chair(hoa):
    return appoint(hoa, Role.CHAIR)


@pytest.fixture
def lan_twice(dong_xuan):
    """Lan was a member from 2018 to mid-2019, and again since 2021."""
    first = member(dong_xuan, full_name="Trần Thị Lan", joined_on=date(2018, 1, 1))
    membership_end(membership=first, on=date(2019, 6, 30))
    second = membership_add(
        person=first.person, organisation=dong_xuan, member_type=MemberType.OFFICIAL, joined_on=date(2021, 1, 1)
    )
    return first, second


@pytest.fixture
def former_chair(dong_xuan):
    """Mai chaired from 2015 to the end of 2019, before Hoa."""
    mai = member(dong_xuan, full_name="Lê Thị Mai", joined_on=date(2014, 1, 1))
    return position_appoint(
        person=mai.person,
        organisation=dong_xuan,
        role=Role.CHAIR,
        started_on=date(2015, 1, 1),
        ended_on=date(2019, 12, 31),
    ).instance


@pytest.fixture
def son_ha_rows(commune_b):
    son_ha = OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
    membership = member(son_ha, full_name="Hồ Thị Hiền")
    return membership, appoint(membership, Role.CHAIR)


def membership_url(membership):
    return reverse("members:membership_correct", args=[membership.pk])


def position_url(position):
    return reverse("members:position_correct", args=[position.pk])


def membership_post(**changes):
    data = {"member_type": MemberType.OFFICIAL, "joined_on": "2020-01-01", "left_on": "", "capital_contributed": "0"}
    return {**data, **changes}


def position_post(**changes):
    return {"role": Role.CHAIR, "started_on": "2020-01-01", "ended_on": "", **changes}


def state(row):
    """What a refusal must leave as it was: the saved values and the length of the history."""
    row.refresh_from_db()
    fields = [field.attname for field in row._meta.concrete_fields]
    return {name: getattr(row, name) for name in fields}, row.history.count()


def form_errors(response):
    return [message for errors in response.context["form"].errors.values() for message in errors]


def test_correcting_a_membership_keeps_the_old_values_in_the_history(hoa):
    """The row takes the new values; the history holds the typed-wrong ones before them."""
    membership_correct(
        membership=hoa,
        member_type=MemberType.ASSOCIATE_CAPITAL,
        joined_on=date(2020, 2, 1),
        left_on=None,
        capital_contributed=5_000_000,
    )
    hoa.refresh_from_db()
    assert (hoa.member_type, hoa.joined_on, hoa.capital_contributed) == (
        MemberType.ASSOCIATE_CAPITAL,
        date(2020, 2, 1),
        5_000_000,
    )
    history = hoa.history.order_by("history_date")
    assert [(h.joined_on, h.capital_contributed) for h in history] == [
        (date(2020, 1, 1), 0),
        (date(2020, 2, 1), 5_000_000),
    ]


def test_correcting_a_term_keeps_the_old_values_and_warns_of_a_holder_not_yet_a_member(hoa_chair):
    """A term moved before the holder joined is kept, with the same warning as an appointment."""
    outcome = position_correct(position=hoa_chair, role=Role.DIRECTOR, started_on=date(2019, 5, 1), ended_on=None)
    hoa_chair.refresh_from_db()
    assert (hoa_chair.role, hoa_chair.started_on) == (Role.DIRECTOR, date(2019, 5, 1))
    assert [h.role for h in hoa_chair.history.order_by("history_date")] == [Role.CHAIR, Role.DIRECTOR]
    assert outcome.warnings == [
        "Đinh Thị Hoa không phải là thành viên của Hợp tác xã Nông nghiệp Đồng Xuân vào ngày 01/05/2019."
    ]


def test_a_refused_correction_by_the_service_changes_nothing(hoa_chair, former_chair):
    """Two chairs at once are refused by the service itself, not only by the form."""
    before = state(former_chair)
    with pytest.raises(ValidationError) as refused:
        position_correct(position=former_chair, role=Role.CHAIR, started_on=date(2015, 1, 1), ended_on=None)
    assert refused.value.error_dict["started_on"][0].code == "single_holder_role_taken"
    assert state(former_chair) == before


def test_staff_correct_a_membership_and_see_it_in_the_history(client, commune_staff, hoa, dong_xuan):
    """Saved, said in Vietnamese, back on the organisation page, and one more history entry."""
    client.force_login(commune_staff)
    url = membership_url(hoa)
    response = client.post(
        url, with_version(client, url, membership_post(joined_on="2020-03-15", capital_contributed="2.000.000"))
    )
    assert response.status_code == 302
    assert response["Location"] == dong_xuan.get_absolute_url() + "#members"
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == ["Đã sửa thông tin thành viên; giá trị cũ vẫn được lưu trong lịch sử thay đổi."]
    hoa.refresh_from_db()
    assert (hoa.joined_on, hoa.capital_contributed) == (date(2020, 3, 15), 2_000_000)
    assert hoa.history.count() == 2
    page = client.get(dong_xuan.get_absolute_url()).content.decode()
    assert "15/03/2020" in page


def test_staff_correct_a_term(client, provincial_staff, hoa_chair, dong_xuan):
    """The form starts from the saved values; the correction is saved and the page says so."""
    client.force_login(provincial_staff)
    form = client.get(position_url(hoa_chair)).context["form"]
    assert (form["role"].value(), form["started_on"].value()) == (Role.CHAIR, date(2020, 1, 1))
    url = position_url(hoa_chair)
    response = client.post(url, with_version(client, url, position_post(started_on="2020-02-01")))
    assert response["Location"] == dong_xuan.get_absolute_url() + "#management"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã sửa nhiệm kỳ; giá trị cũ vẫn được lưu trong lịch sử thay đổi."
    ]
    hoa_chair.refresh_from_db()
    assert hoa_chair.started_on == date(2020, 2, 1)
    assert hoa_chair.history.count() == 2


TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # Reopening the first membership would overlap the second one.
        (
            {"joined_on": "2018-01-01", "left_on": ""},
            "Người này đã là thành viên của tổ chức trong khoảng thời gian này.",
        ),
        ({"joined_on": "2018-01-01", "left_on": "2017-12-31"}, "Ngày này trước ngày bắt đầu (01/01/2018)."),
        ({"joined_on": TOMORROW, "left_on": ""}, "Ngày này ở tương lai."),
    ],
)
def test_a_refused_membership_correction_says_why_and_changes_nothing(
    client, commune_staff, lan_twice, changes, message
):
    """The form comes back with the reason in Vietnamese; the row and its history are as before."""
    first, _second = lan_twice
    before = state(first)
    client.force_login(commune_staff)
    url = membership_url(first)
    response = client.post(url, with_version(client, url, membership_post(**changes)))
    assert response.status_code == 200
    assert message in form_errors(response)
    assert state(first) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        # Reopening the former chair's term would give the organisation two chairs.
        (
            {"started_on": "2015-01-01", "ended_on": ""},
            "Tổ chức đã có chủ tịch hội đồng quản trị trong khoảng thời gian này",
        ),
        ({"started_on": "2015-01-01", "ended_on": "2014-12-31"}, "Ngày này trước ngày bắt đầu (01/01/2015)."),
        ({"started_on": "2015-01-01", "ended_on": TOMORROW}, "Ngày này ở tương lai."),
    ],
)
def test_a_refused_term_correction_says_why_and_changes_nothing(
    client, commune_staff, hoa_chair, former_chair, changes, message
):
    before = state(former_chair)
    client.force_login(commune_staff)
    url = position_url(former_chair)
    response = client.post(url, with_version(client, url, position_post(**changes)))
    assert response.status_code == 200
    assert any(message.lower() in error.lower() for error in form_errors(response)), form_errors(response)
    assert state(former_chair) == before


def test_commune_staff_get_404_on_another_communes_rows(client, commune_staff, son_ha_rows):
    """By GET and by forged POST, and nothing is written."""
    membership, position = son_ha_rows
    before = state(membership), state(position)
    client.force_login(commune_staff)
    for url, data in ((membership_url(membership), membership_post()), (position_url(position), position_post())):
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    assert (state(membership), state(position)) == before


def test_officials_get_403_and_change_nothing(client, official, hoa_chair, hoa):
    before = state(hoa), state(hoa_chair)
    client.force_login(official)
    for url, data in (
        (membership_url(hoa), membership_post(joined_on="2020-05-05")),
        (position_url(hoa_chair), position_post(started_on="2020-05-05")),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert (state(hoa), state(hoa_chair)) == before


def test_editors_find_the_edit_links_and_officials_do_not(
    client, provincial_staff, official, hoa_chair, hoa, dong_xuan, former_chair
):
    """On the organisation page (current and past rows) and on the person's page, for editors only."""
    links = {membership_url(hoa), position_url(hoa_chair), position_url(former_chair)}
    client.force_login(provincial_staff)
    organisation_page = client.get(dong_xuan.get_absolute_url()).content.decode()
    assert all(link in organisation_page for link in links)
    person_page = client.get(hoa.person.get_absolute_url()).content.decode()
    assert membership_url(hoa) in person_page and position_url(hoa_chair) in person_page
    client.force_login(official)
    organisation_page = client.get(dong_xuan.get_absolute_url()).content.decode()
    assert not [link for link in links if link in organisation_page]
