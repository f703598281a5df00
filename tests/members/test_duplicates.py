"""Likely duplicates found before saving, and the page where staff find pairs to merge (issue 9).

One definition of "likely the same person" (``members.selectors.likely_same_person``): the same name,
case and diacritics aside, and year of birth; or the same phone. Every form that creates or edits a
person, and the organisation form (the same name in the same commune), holds the save back with a
warning and links, until the user ticks "save anyway"; nothing is written before.
"""

from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from cooperatives.models import Governance, LegalForm, Organisation, Status
from members.models import Membership
from members.selectors import likely_duplicate_pairs, likely_duplicates_of
from tests.factories import OrganisationFactory, PersonFactory, member
from tests.submissions import post_new
from tests.versions import with_version

pytestmark = pytest.mark.django_db


def every_row():
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for app in ("cooperatives", "members", "workshops")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def warning_codes(form):
    return [error.code for error in form.non_field_errors().as_data()]


@pytest.fixture
def dong_xuan(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a, founded_on=date(2015, 3, 1))


def organisation_data(commune, **changes):
    return {
        "legal_form": LegalForm.COOPERATIVE,
        "name": "HỢP TÁC XÃ NÔNG NGHIỆP ĐỒNG XUÂN",
        "registration_number": "",
        "registration_date": "",
        "founded_on": "2019-05-20",
        "commune": commune.pk,
        "address": "",
        "main_products": "",
        "governance": Governance.FULL,
        "status": Status.ACTIVE,
        "status_changed_on": "",
        "supported_since": "",
        "phone": "",
        "notes": "",
        **changes,
    }


class TestOrganisationWarning:
    def test_the_same_name_in_the_same_commune_is_held_back_until_confirmed(self, client, provincial_staff, dong_xuan):
        client.force_login(provincial_staff)
        url = reverse("cooperatives:create")
        before = every_row()
        response = post_new(client, url, organisation_data(dong_xuan.commune, name="hop tac xa  nong nghiep Dong Xuan"))
        assert response.status_code == 200
        form = response.context["form"]
        assert warning_codes(form) == ["likely_duplicate"]
        assert form.likely_duplicate_links == [(dong_xuan.name, dong_xuan.get_absolute_url())]
        page = response.content.decode()
        assert dong_xuan.get_absolute_url() in page and 'name="save_anyway"' in page and 'type="checkbox"' in page
        assert every_row() == before
        response = post_new(client, url, organisation_data(dong_xuan.commune, save_anyway="on"))
        assert response.status_code == 302
        assert Organisation.objects.filter(search_name=dong_xuan.search_name).count() == 2

    def test_the_same_name_in_another_commune_is_saved_without_a_question(
        self, client, provincial_staff, dong_xuan, commune_b
    ):
        client.force_login(provincial_staff)
        assert post_new(client, reverse("cooperatives:create"), organisation_data(commune_b)).status_code == 302

    def test_renaming_to_a_name_taken_in_the_commune_warns_but_editing_a_duplicate_does_not(
        self, client, provincial_staff, dong_xuan
    ):
        other = OrganisationFactory(name="Hợp tác xã Sen Vàng", commune=dong_xuan.commune)
        client.force_login(provincial_staff)
        url = reverse("cooperatives:update", args=[other.pk])
        data = organisation_data(dong_xuan.commune, name="Hợp tác xã Nông nghiệp Đồng Xuân")
        response = client.post(url, with_version(client, url, data))
        assert warning_codes(response.context["form"]) == ["likely_duplicate"]
        response = client.post(url, with_version(client, url, {**data, "save_anyway": "on"}))
        assert response.status_code == 302
        # Now a duplicate by name: correcting its address asks nothing.
        response = client.post(url, with_version(client, url, {**data, "address": "Thôn 4"}))
        assert response.status_code == 302


def person_data(**changes):
    return {
        "full_name": "Hồ Thị Nga",
        "gender": "female",
        "birth_year": "1988",
        "birth_date": "",
        "commune": "",
        "phone": "",
        "citizen_id": "",
        "ethnic_group": "",
        "ethnicity_consent_on": "",
        **changes,
    }


def new_member(**changes):
    return {
        "who": "new",
        **{f"new-{name}": value for name, value in person_data(**changes).items()},
        "member_type": "official",
        "joined_on": "2024-03-01",
        "capital_contributed": "0",
    }


class TestPersonWarning:
    @pytest.mark.parametrize(
        ("existing", "entered"),
        [
            ({"full_name": "Hồ Thị Nga", "birth_year": 1988}, {"full_name": "HO THI  NGA"}),
            ({"full_name": "Nguyễn Văn Bình", "birth_year": 1960, "phone": "0905123456"}, {"phone": "0905 123 456"}),
        ],
        ids=["same name and year", "same phone"],
    )
    def test_a_new_member_like_someone_in_the_register_is_held_back_until_confirmed(
        self, client, provincial_staff, dong_xuan, existing, entered
    ):
        there = PersonFactory(**existing)
        client.force_login(provincial_staff)
        url = reverse("members:membership_add", args=[dong_xuan.pk])
        before = every_row()
        response = post_new(client, url, new_member(**entered))
        assert response.status_code == 200
        person_form = response.context["person_form"]
        assert warning_codes(person_form) == ["likely_duplicate"]
        assert there.get_absolute_url() in response.content.decode()
        assert every_row() == before
        response = post_new(client, url, {**new_member(**entered), "new-save_anyway": "on"})
        assert response.status_code == 302
        assert Membership.objects.filter(organisation=dong_xuan).count() == 1

    def test_a_namesake_of_another_year_asks_nothing(self, client, provincial_staff, dong_xuan):
        PersonFactory(full_name="Hồ Thị Nga", birth_year=1990)
        client.force_login(provincial_staff)
        response = post_new(client, reverse("members:membership_add", args=[dong_xuan.pk]), new_member())
        assert response.status_code == 302

    def test_an_edit_that_makes_a_likely_duplicate_is_held_back(self, client, provincial_staff):
        PersonFactory(full_name="Hồ Thị Nga", birth_year=1988, phone="0905123456")
        other = PersonFactory(full_name="Lê Thị Lan", birth_year=1975)
        client.force_login(provincial_staff)
        url = reverse("members:update", args=[other.pk])
        before = every_row()
        data = person_data(full_name="Lê Thị Lan", birth_year="1975", phone="0905123456")
        response = client.post(url, with_version(client, url, data))
        assert warning_codes(response.context["form"]) == ["likely_duplicate"]
        assert every_row() == before
        response = client.post(url, with_version(client, url, {**data, "save_anyway": "on"}))
        assert response.status_code == 302
        other.refresh_from_db()
        assert other.phone == "0905123456"
        # Already a likely duplicate: correcting her citizen ID asks nothing.
        response = client.post(url, with_version(client, url, {**data, "citizen_id": "051175000123"}))
        assert response.status_code == 302

    def test_a_likely_duplicate_outside_the_scope_is_said_without_a_word_about_it(
        self, client, commune_staff, dong_xuan, commune_b
    ):
        elsewhere = member(
            OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b),
            full_name="Hồ Thị Nga",
            birth_year=1988,
            commune=commune_b,
            phone="0914333444",
        ).person
        client.force_login(commune_staff)
        response = post_new(client, reverse("members:membership_add", args=[dong_xuan.pk]), new_member())
        person_form = response.context["person_form"]
        assert warning_codes(person_form) == ["likely_duplicate"]
        assert person_form.likely_duplicate_links == [] and person_form.likely_duplicates_hidden == 1
        page = response.content.decode()
        for secret in (elsewhere.get_absolute_url(), "0914333444", "Hợp tác xã Sơn Hà"):
            assert secret not in page
        assert not Membership.objects.filter(organisation=dong_xuan).exists()

    def test_the_warning_and_the_pairs_page_apply_one_rule(self, provincial_staff):
        first = PersonFactory(full_name="Trần Thị Mai", birth_year=1985)
        PersonFactory(full_name="Tran thi Mai", birth_year=1985)
        PersonFactory(full_name="Trần Thị Mai", birth_year=1986)
        PersonFactory(full_name="Phạm Thị Thu", birth_year=1970, phone="0905111222")
        PersonFactory(full_name="Phạm Văn Thu", birth_year=1968, phone="0905111222")
        pairs = likely_duplicate_pairs(provincial_staff)
        for pair in pairs:
            found = likely_duplicates_of(
                {"full_name": pair.first.full_name, "birth_year": pair.first.birth_year, "phone": pair.first.phone},
                provincial_staff,
                exclude=pair.first,
            )
            assert pair.second in found.visible
        assert len(pairs) == 2
        assert {pk for pair in pairs for pk in (pair.first.pk, pair.second.pk)} >= {first.pk}


class TestDuplicatesPage:
    def test_pairs_are_shown_side_by_side_with_why_and_counts(self, client, provincial_staff, dong_xuan):
        membership = member(dong_xuan, full_name="Trần Thị Mai", birth_year=1985, birth_date=date(1985, 3, 12))
        PersonFactory(full_name="Tran Thi Mai", birth_year=1985, birth_date=date(1985, 3, 12))
        PersonFactory(full_name="Phạm Thị Thu", birth_year=1970, phone="0905111222")
        PersonFactory(full_name="Phạm Văn Thu", birth_year=1968, phone="0905111222")
        PersonFactory(full_name="Lê Thị Một Mình", birth_year=1970)
        client.force_login(provincial_staff)
        assert reverse("members:duplicates") in client.get(reverse("members:list")).content.decode()
        response = client.get(reverse("members:duplicates"))
        pairs = response.context["pairs"]
        assert [(pair.first.full_name, pair.second.full_name) for pair in pairs] == [
            ("Phạm Thị Thu", "Phạm Văn Thu"),
            ("Trần Thị Mai", "Tran Thi Mai"),
        ]
        assert [len(pair.reasons) for pair in pairs] == [1, 1]
        mai = pairs[1].first
        assert mai.pk == membership.person_id and dict(mai.counts)[Membership._meta.verbose_name_plural] == 1
        page = response.content.decode()
        assert reverse("members:merge", args=[pairs[1].first.pk, pairs[1].second.pk]) in page

    def test_commune_staff_see_only_pairs_in_their_scope(self, client, commune_staff, commune_a, commune_b):
        PersonFactory(full_name="Trần Thị Mai", birth_year=1985, commune=commune_a)
        PersonFactory(full_name="Tran Thi Mai", birth_year=1985, commune=commune_a)
        PersonFactory(full_name="Đinh Thị Sương", birth_year=1978, commune=commune_b)
        PersonFactory(full_name="Dinh Thi Suong", birth_year=1978, commune=commune_b)
        # A pair with one of them outside: not shown, since she could not be merged by these staff.
        PersonFactory(full_name="Võ Thị Sen", birth_year=1990, commune=commune_a)
        PersonFactory(full_name="Võ Thị Sen", birth_year=1990, commune=commune_b)
        client.force_login(commune_staff)
        response = client.get(reverse("members:duplicates"))
        assert [pair.first.full_name for pair in response.context["pairs"]] == ["Trần Thị Mai"]
        assert "Sương" not in response.content.decode() and "Suong" not in response.content.decode()

    def test_the_list_of_people_offers_the_page_to_editors_only(self, client, official):
        client.force_login(official)
        assert client.get(reverse("members:duplicates")).status_code == 403

    @pytest.mark.parametrize("pairs", [3, 30])
    def test_query_count_does_not_grow_with_the_pairs(self, client, provincial_staff, django_assert_num_queries, pairs):
        """5 queries however many pairs: session + user + the request's savepoint and its release + the people
        in pairs, each with her commune, ethnic group and the counts of the rows pointing to her (subqueries of
        the same query). The pairs are formed and paginated in Python."""
        organisation = OrganisationFactory(name="Hợp tác xã Lớn")
        for number in range(pairs):
            member(organisation, full_name=f"Trần Thị Mai {number}", birth_year=1985)
            PersonFactory(full_name=f"Tran Thi Mai {number}", birth_year=1985)
        client.force_login(provincial_staff)
        with django_assert_num_queries(5):
            response = client.get(reverse("members:duplicates"))
        assert response.context["page_obj"].paginator.count == pairs
