"""The member list and page, adding members, terms and consent: what each role sees and may do."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from members.models import EthnicGroup, Gender, ManagementPosition, Membership, MemberType, Person
from members.roles import Role
from members.services import membership_add, membership_end, person_update, position_appoint
from tests.factories import OrganisationFactory, PersonFactory, appoint, member
from tests.submissions import post_new
from tests.versions import with_version

pytestmark = pytest.mark.django_db

LIST = reverse("members:list")


def names_listed(response):
    return [person.full_name for person in response.context["object_list"]]


@pytest.fixture
def dong_xuan(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a)


@pytest.fixture
def son_ha(commune_b):
    return OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)


@pytest.fixture
def register(dong_xuan, son_ha, commune_a):
    """Đồng Xuân: Hoa (chair), Nam (associate), Cúc (left in 2023). Sơn Hà: Hiền."""
    hoa = member(dong_xuan, full_name="Đinh Thị Hoa", commune=commune_a)
    appoint(hoa, Role.CHAIR)
    member(dong_xuan, full_name="Phạm Văn Nam", gender=Gender.MALE, member_type=MemberType.ASSOCIATE_CAPITAL)
    cuc = member(dong_xuan, full_name="Lê Thị Cúc", joined_on=date(2019, 3, 1))
    membership_end(membership=cuc, on=date(2023, 6, 30))
    member(son_ha, full_name="Đinh Thị Hiền")
    return hoa


class TestMemberList:
    def test_search_ignores_case_and_diacritics(self, client, provincial_staff, register):
        client.force_login(provincial_staff)
        assert names_listed(client.get(LIST, {"q": "dinh thi"})) == ["Đinh Thị Hiền", "Đinh Thị Hoa"]
        assert names_listed(client.get(LIST, {"q": "ĐINH THỊ HOA"})) == ["Đinh Thị Hoa"]

    def test_filters(self, client, provincial_staff, register, dong_xuan, son_ha, commune_a):
        client.force_login(provincial_staff)
        assert names_listed(client.get(LIST, {"gender": "male"})) == ["Phạm Văn Nam"]
        assert names_listed(client.get(LIST, {"organisation": son_ha.pk})) == ["Đinh Thị Hiền"]
        assert names_listed(client.get(LIST, {"commune": commune_a.pk})) == ["Đinh Thị Hoa"]
        assert names_listed(client.get(LIST, {"member_type": "associate_capital"})) == ["Phạm Văn Nam"]
        assert names_listed(client.get(LIST, {"organisation": dong_xuan.pk, "standing": "current"})) == [
            "Đinh Thị Hoa",
            "Phạm Văn Nam",
        ]
        assert names_listed(client.get(LIST, {"organisation": dong_xuan.pk, "standing": "former"})) == ["Lê Thị Cúc"]
        assert names_listed(client.get(LIST, {"standing": "former", "q": "cuc"})) == ["Lê Thị Cúc"]

    def test_a_woman_who_rejoined_is_current_not_former(self, client, provincial_staff, register, dong_xuan):
        cuc = Person.objects.get(full_name="Lê Thị Cúc")
        membership_add(person=cuc, organisation=dong_xuan, member_type=MemberType.OFFICIAL, joined_on=date(2024, 1, 1))
        client.force_login(provincial_staff)
        assert "Lê Thị Cúc" in names_listed(client.get(LIST, {"standing": "current"}))
        assert "Lê Thị Cúc" not in names_listed(client.get(LIST, {"standing": "former"}))

    def test_the_list_shows_today_s_organisations(self, client, provincial_staff, register):
        client.force_login(provincial_staff)
        [cuc] = client.get(LIST, {"q": "cuc"}).context["object_list"]
        assert cuc.current_memberships == []  # she left in 2023
        [hoa] = client.get(LIST, {"q": "hoa"}).context["object_list"]
        assert [m.organisation.name for m in hoa.current_memberships] == ["Hợp tác xã Nông nghiệp Đồng Xuân"]
        assert "Thành viên chính thức" in client.get(LIST, {"q": "hoa"}).content.decode()

    def test_commune_staff_only_see_people_of_their_communes(self, client, commune_staff, register):
        client.force_login(commune_staff)
        assert names_listed(client.get(LIST)) == ["Đinh Thị Hoa", "Lê Thị Cúc", "Phạm Văn Nam"]

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_does_not_grow_with_rows(self, client, provincial_staff, django_assert_num_queries, rows):
        """9 queries whether the page shows 5 people or 25 of 50.

        session + user + the request's savepoint and its release + the paginator's count + the
        page's people with their commune + their memberships today with their organisations
        (one prefetch) + the filter form's commune and organisation selects.
        """
        organisation = OrganisationFactory(name="Hợp tác xã Đông Đông")
        for number in range(rows):
            member(organisation, full_name=f"Trần Thị Mai {number:02d}")
        client.force_login(provincial_staff)
        with django_assert_num_queries(9):
            response = client.get(LIST)
        assert len(response.context["object_list"]) == min(rows, 25)


class TestMemberPage:
    def test_memberships_positions_and_history(self, client, provincial_staff, register):
        client.force_login(provincial_staff)
        person_update(person=register.person, phone="0905000111")
        response = client.get(reverse("members:detail", args=[register.person_id]))
        page = response.context["register"]
        assert [m.organisation.name for m in page.memberships] == ["Hợp tác xã Nông nghiệp Đồng Xuân"]
        assert [p.role for p in page.positions] == [Role.CHAIR]
        assert ("điện thoại", "—", "0905000111") in page.history[0].changes

    def test_ethnicity_is_shown_to_staff_and_consent_can_be_withdrawn(self, client, provincial_staff, dong_xuan):
        hre = EthnicGroup.objects.get(name_vi="Hrê")
        nga = member(
            dong_xuan,
            full_name="Hồ Thị Nga",
            ethnic_group=hre,
            ethnicity_consent_on=date(2024, 2, 1),
            ethnicity_consent_informed=True,
        ).person
        client.force_login(provincial_staff)
        url = reverse("members:detail", args=[nga.pk])
        assert "Hrê" in client.get(url).content.decode()
        data = with_version(client, url, {"on": "2025-01-15"}, form="consent_form")
        response = client.post(reverse("members:consent_withdraw", args=[nga.pk]), data)
        assert response.url == url
        nga.refresh_from_db()
        assert (nga.ethnic_group, nga.ethnicity_consent_withdrawn_on) == (None, date(2025, 1, 15))
        page = client.get(url).content.decode()
        assert "Hrê" not in page  # neither on the page nor in the history shown there
        assert "Đã rút lại sự đồng ý ngày 15/01/2025." in page

    def test_a_withdrawal_dated_before_the_consent_is_refused_and_changes_nothing(
        self, client, provincial_staff, dong_xuan
    ):
        hre = EthnicGroup.objects.get(name_vi="Hrê")
        nga = member(
            dong_xuan,
            full_name="Hồ Thị Nga",
            ethnic_group=hre,
            ethnicity_consent_on=date(2024, 2, 1),
            ethnicity_consent_informed=True,
        ).person
        client.force_login(provincial_staff)
        data = with_version(client, reverse("members:detail", args=[nga.pk]), {"on": "2024-01-31"}, form="consent_form")
        response = client.post(reverse("members:consent_withdraw", args=[nga.pk]), data, follow=True)
        assert [str(message) for message in response.context["messages"]] == [
            "Ngày này trước ngày đồng ý (01/02/2024)."
        ]
        nga.refresh_from_db()
        assert (nga.ethnic_group, nga.ethnicity_consent_withdrawn_on) == (hre, None)

    def test_a_person_outside_the_scope_is_not_found(self, client, commune_staff, register):
        hien = Person.objects.get(full_name="Đinh Thị Hiền")
        client.force_login(commune_staff)
        for name in ("members:detail", "members:update"):
            assert client.get(reverse(name, args=[hien.pk])).status_code == 404
        assert client.post(reverse("members:consent_withdraw", args=[hien.pk]), {"on": "2025-01-01"}).status_code == 404

    def test_the_page_shows_only_memberships_in_scope(self, client, commune_staff, register, son_ha):
        membership_add(
            person=register.person, organisation=son_ha, member_type=MemberType.OFFICIAL, joined_on=date(2024, 1, 1)
        )
        client.force_login(commune_staff)
        page = client.get(reverse("members:detail", args=[register.person_id])).context["register"]
        assert [m.organisation.name for m in page.memberships] == ["Hợp tác xã Nông nghiệp Đồng Xuân"]

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_does_not_grow_with_rows(self, client, provincial_staff, django_assert_num_queries, rows):
        """12 queries however many memberships and terms she has had.

        session + user + the request's savepoint and its release + the person with her commune and
        ethnic group (and whether anything depends on her, for the delete button) + the access log's
        entry for this view (one INSERT) + her memberships + her terms (each with its organisation)
        + three history tables (her details, memberships, terms) + the records merged into hers.
        """
        person = PersonFactory(full_name="Trần Thị Mai")
        for number in range(rows):
            organisation = OrganisationFactory(name=f"Hợp tác xã số {number}")
            membership_add(
                person=person, organisation=organisation, member_type=MemberType.OFFICIAL, joined_on=date(2020, 1, 1)
            )
            position_appoint(person=person, organisation=organisation, role=Role.CHAIR, started_on=date(2020, 1, 1))
        client.force_login(provincial_staff)
        with django_assert_num_queries(12):
            response = client.get(reverse("members:detail", args=[person.pk]))
        assert len(response.context["register"].memberships) == rows


class TestWrites:
    def test_add_an_existing_person_found_without_diacritics(self, client, provincial_staff, register, dong_xuan):
        hien = Person.objects.get(full_name="Đinh Thị Hiền")
        client.force_login(provincial_staff)
        url = reverse("members:membership_add", args=[dong_xuan.pk])
        form = client.get(url, {"q": "dinh thi hien"}).context["form"]
        assert [person.pk for _heading, people in form.fields["person"].candidates for person in people] == [hien.pk]
        response = post_new(
            client,
            url,
            {
                "who": "existing",
                "person": hien.pk,
                "member_type": "official",
                "joined_on": "2024-05-01",
                "capital_contributed": "0",
            },
        )
        assert response.url.startswith(reverse("cooperatives:detail", args=[dong_xuan.pk]))
        assert Membership.objects.filter(person=hien, organisation=dong_xuan, joined_on=date(2024, 5, 1)).exists()

    def test_add_a_new_person(self, client, commune_staff, dong_xuan, commune_a):
        client.force_login(commune_staff)
        post_new(
            client,
            reverse("members:membership_add", args=[dong_xuan.pk]),
            {
                "who": "new",
                "new-full_name": "Hồ Thị Nga",
                "new-gender": "female",
                "new-birth_year": "1990",
                "new-commune": commune_a.pk,
                "new-citizen_id": "051190001234",
                "member_type": "associate_no_capital",
                "joined_on": "2024-05-01",
                "capital_contributed": "0",
            },
        )
        membership = Membership.objects.get()
        assert (membership.person.full_name, membership.person.citizen_id, membership.member_type) == (
            "Hồ Thị Nga",
            "051190001234",
            "associate_no_capital",
        )
        assert membership.history.get().history_user == commune_staff

    def test_the_search_endpoint_is_diacritic_blind_and_scoped(self, client, commune_staff, register):
        client.force_login(commune_staff)
        results = client.get(reverse("members:people_search"), {"q": "dinh thi"}).json()["results"]
        assert [result["text"] for result in results] == ["Đinh Thị Hoa (1980, Phường Cẩm Thành)"]

    def test_appointing_someone_who_is_not_a_member_warns(self, client, provincial_staff, dong_xuan):
        outsider = PersonFactory(full_name="Trương Thị Lý")
        client.force_login(provincial_staff)
        response = post_new(
            client,
            reverse("members:position_appoint", args=[dong_xuan.pk]),
            {"person": outsider.pk, "role": Role.CHIEF_ACCOUNTANT, "started_on": "2024-02-01"},
        )
        assert ManagementPosition.objects.filter(person=outsider, role=Role.CHIEF_ACCOUNTANT).exists()
        levels = {(message.level_tag, message.message) for message in get_messages(response.wsgi_request)}
        assert (
            "warning",
            "Trương Thị Lý không phải là thành viên của Hợp tác xã Nông nghiệp Đồng Xuân vào ngày 01/02/2024.",
        ) in levels

    def test_the_appoint_form_lists_today_s_members(self, client, provincial_staff, register, dong_xuan):
        client.force_login(provincial_staff)
        form = client.get(reverse("members:position_appoint", args=[dong_xuan.pk])).context["form"]
        [(heading, members), (_found, found)] = form.fields["person"].candidates
        assert [person.full_name for person in members] == ["Đinh Thị Hoa", "Phạm Văn Nam"] and found == []

    def test_ending_a_term_and_a_membership_keeps_them(self, client, provincial_staff, register, dong_xuan):
        client.force_login(provincial_staff)
        position = register.person.positions.get()
        url = reverse("members:position_end", args=[position.pk])
        response = client.post(url, with_version(client, url, {"on": "2024-12-31"}))
        assert response.url == reverse("cooperatives:detail", args=[dong_xuan.pk])
        url = reverse("members:membership_end", args=[register.pk])
        client.post(url, with_version(client, url, {"on": "2024-12-31"}))
        position.refresh_from_db()
        register.refresh_from_db()
        assert (position.ended_on, register.left_on) == (date(2024, 12, 31), date(2024, 12, 31))
        page = client.get(reverse("cooperatives:detail", args=[dong_xuan.pk])).context["register"]
        assert register in page.former_memberships and position in page.past_positions
        assert page.women_managed is False


class TestRolesAndScope:
    def test_officials_get_403_on_every_members_page_and_write(self, client, official, register, dong_xuan):
        client.force_login(official)
        person = register.person
        position = person.positions.get()
        gets = [
            LIST,
            reverse("members:detail", args=[person.pk]),
            reverse("members:update", args=[person.pk]),
            reverse("members:people_search") + "?q=hoa",
            reverse("members:membership_add", args=[dong_xuan.pk]),
            reverse("members:position_appoint", args=[dong_xuan.pk]),
            reverse("members:membership_end", args=[register.pk]),
            reverse("members:position_end", args=[position.pk]),
        ]
        for url in gets:
            assert client.get(url).status_code == 403, url
        posts = [*gets[1:], reverse("members:consent_withdraw", args=[person.pk])]
        for url in posts:
            assert client.post(url, {"on": "2024-01-01"}).status_code == 403, url
        assert "Thành viên" not in [item["label"] for item in client.get("/").context["portal_navigation"]]

    def test_forged_ids_outside_the_scope_are_not_found(self, client, commune_staff, son_ha):
        hien = member(son_ha, full_name="Đinh Thị Hiền")
        position = appoint(hien, Role.CHAIR)
        client.force_login(commune_staff)
        for url in (
            reverse("members:membership_add", args=[son_ha.pk]),
            reverse("members:position_appoint", args=[son_ha.pk]),
            reverse("members:membership_end", args=[hien.pk]),
            reverse("members:position_end", args=[position.pk]),
        ):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"on": "2024-01-01"}).status_code == 404, url
        hien.refresh_from_db()
        position.refresh_from_db()
        assert hien.left_on is None and position.ended_on is None

    @pytest.mark.parametrize("fixture", ["administrator", "provincial_staff", "commune_staff"])
    def test_staff_and_administrators_open_the_members_pages(self, client, request, fixture, register):
        client.force_login(request.getfixturevalue(fixture))
        assert client.get(LIST).status_code == 200
        assert client.get(reverse("members:detail", args=[register.person_id])).status_code == 200
