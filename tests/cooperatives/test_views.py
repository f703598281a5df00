"""The organisation list, page, export and forms: what each role sees, finds and may change."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cooperatives.models import Governance, LegalForm, Organisation, Sector, Status
from members.models import Gender
from members.roles import Role
from members.services import membership_end, position_end
from tests.factories import OrganisationFactory, appoint, member
from tests.submissions import post_new
from tests.versions import with_version

pytestmark = pytest.mark.django_db

LIST = reverse("cooperatives:list")


def detail(organisation):
    return reverse("cooperatives:detail", kwargs={"pk": organisation.pk})


def names_listed(response):
    return [organisation.name for organisation in response.context["rows"]]


@pytest.fixture
def dong_xuan(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a)


@pytest.fixture
def women_managed(commune_a):
    """A cooperative chaired by a woman, with a man as a second member."""
    organisation = OrganisationFactory(name="Hợp tác xã Dệt thổ cẩm Làng Teng", commune=commune_a)
    chair = member(organisation, full_name="Đinh Thị Hoa", gender=Gender.FEMALE)
    member(organisation, full_name="Phạm Văn Nam", gender=Gender.MALE)
    appoint(chair, Role.CHAIR)
    return organisation


class TestList:
    @pytest.mark.parametrize("query", ["dong xuan", "DONG XUÂN", "Đồng  Xuân", "đồng xuân"])
    def test_search_ignores_case_and_diacritics(self, client, provincial_staff, dong_xuan, women_managed, query):
        """'dong xuan' finds 'Đồng Xuân' (on every database: the folded name is stored)."""
        client.force_login(provincial_staff)
        response = client.get(LIST, {"q": query})
        assert names_listed(response) == ["Hợp tác xã Nông nghiệp Đồng Xuân"]

    def test_filters_combine_and_the_count_is_shown(
        self, client, provincial_staff, commune_a, commune_b, women_managed
    ):
        """Commune, legal form, sector, status and women-managed narrow the list; the count says how many."""
        handicrafts = Sector.objects.get(code="handicrafts")
        women_managed.sectors.set([handicrafts])
        OrganisationFactory(name="Tổ hợp tác Mây tre Sơn Hà", commune=commune_b, legal_form=LegalForm.COOPERATIVE_GROUP)
        OrganisationFactory(
            name="Hợp tác xã Vận tải Cẩm Thành",
            commune=commune_a,
            status=Status.SUSPENDED,
            status_changed_on=date(2024, 5, 1),
        )
        client.force_login(provincial_staff)
        assert names_listed(client.get(LIST, {"commune": commune_b.pk})) == ["Tổ hợp tác Mây tre Sơn Hà"]
        assert names_listed(client.get(LIST, {"legal_form": "group"})) == ["Tổ hợp tác Mây tre Sơn Hà"]
        assert names_listed(client.get(LIST, {"sector": handicrafts.pk})) == [women_managed.name]
        assert names_listed(client.get(LIST, {"status": "suspended"})) == ["Hợp tác xã Vận tải Cẩm Thành"]
        assert names_listed(client.get(LIST, {"women_managed": "yes"})) == [women_managed.name]
        assert len(names_listed(client.get(LIST, {"women_managed": "no"}))) == 2
        response = client.get(LIST, {"commune": commune_a.pk})
        assert "2 tổ chức" in response.content.decode()

    def test_women_managed_follows_today_s_chair(self, client, provincial_staff, women_managed):
        """When the woman chair's term ends, the organisation is no longer women-managed today."""
        position = women_managed.positions.get()
        position_end(position=position, on=timezone.localdate())
        client.force_login(provincial_staff)
        assert names_listed(client.get(LIST, {"women_managed": "yes"})) == []
        assert names_listed(client.get(LIST, {"women_managed": "no"})) == [women_managed.name]

    def test_sorting(self, client, provincial_staff, commune_a, commune_b):
        """Names sort without regard to diacritics (Đ with D), either way; communes sort too."""
        for name, commune in [
            ("Hợp tác xã Bình Minh", commune_b),
            ("Hợp tác xã Đồng Tâm", commune_a),
            ("Hợp tác xã Ea Súp", commune_a),
        ]:
            OrganisationFactory(name=name, commune=commune)
        client.force_login(provincial_staff)
        assert names_listed(client.get(LIST)) == ["Hợp tác xã Bình Minh", "Hợp tác xã Đồng Tâm", "Hợp tác xã Ea Súp"]
        assert names_listed(client.get(LIST, {"ordering": "-name"})) == [
            "Hợp tác xã Ea Súp",
            "Hợp tác xã Đồng Tâm",
            "Hợp tác xã Bình Minh",
        ]
        # Phường Cẩm Thành sorts before Xã Sơn Hà.
        assert names_listed(client.get(LIST, {"ordering": "commune"}))[-1] == "Hợp tác xã Bình Minh"

    def test_within_a_commune_names_stay_in_order_so_pages_do_not_repeat_rows(
        self, client, provincial_staff, commune_a, commune_b
    ):
        """Sorting by commune, status or legal form breaks ties by name, then by id: each row on exactly one page."""
        for name, commune in [
            ("Hợp tác xã Cây Xanh", commune_a),
            ("Hợp tác xã Bình Minh", commune_b),
            ("Hợp tác xã An Phú", commune_a),
        ]:
            OrganisationFactory(name=name, commune=commune)
        client.force_login(provincial_staff)
        assert names_listed(client.get(LIST, {"ordering": "commune"})) == [
            "Hợp tác xã An Phú",
            "Hợp tác xã Cây Xanh",
            "Hợp tác xã Bình Minh",
        ]
        assert names_listed(client.get(LIST, {"ordering": "-commune"})) == [
            "Hợp tác xã Bình Minh",
            "Hợp tác xã An Phú",
            "Hợp tác xã Cây Xanh",
        ]
        assert names_listed(client.get(LIST, {"ordering": "status"})) == [
            "Hợp tác xã An Phú",
            "Hợp tác xã Bình Minh",
            "Hợp tác xã Cây Xanh",
        ]

    def test_pagination_keeps_the_filters(self, client, provincial_staff):
        for number in range(30):
            OrganisationFactory(name=f"Hợp tác xã Đồng Xuân {number:02d}")
        OrganisationFactory(name="Hợp tác xã Khác")
        client.force_login(provincial_staff)
        first = client.get(LIST, {"q": "dong xuan"})
        assert len(first.context["rows"]) == 25
        assert "?q=dong+xuan&amp;page=2" in first.content.decode()
        second = client.get(LIST, {"q": "dong xuan", "page": 2})
        assert names_listed(second) == [f"Hợp tác xã Đồng Xuân {number:02d}" for number in range(25, 30)]

    def test_commune_staff_only_list_their_communes(self, client, commune_staff, commune_b, dong_xuan):
        OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
        client.force_login(commune_staff)
        assert names_listed(client.get(LIST)) == [dong_xuan.name]
        # A commune outside the scope is not a valid filter value: nothing rather than everything.
        assert names_listed(client.get(LIST, {"commune": commune_b.pk})) == []

    def test_officials_see_the_list_without_the_new_button(self, client, official, dong_xuan):
        client.force_login(official)
        response = client.get(LIST)
        assert names_listed(response) == [dong_xuan.name]
        assert reverse("cooperatives:create") not in response.content.decode()

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_does_not_grow_with_rows(self, client, provincial_staff, django_assert_num_queries, rows):
        """The list page's queries do not depend on how many organisations it shows (5, or 25 of 50).

        11 = session + user + the request's savepoint and its release (ATOMIC_REQUESTS)
        + the paginator's count + the page's organisations with their commune (select_related)
        + their sectors (one prefetch) + members today per organisation (one grouped count)
        + which of them are women-managed today (one query) + the filter form's commune and
        sector selects.
        """
        for number in range(rows):
            organisation = OrganisationFactory(name=f"Hợp tác xã số {number}")
            appoint(member(organisation), Role.CHAIR)
        client.force_login(provincial_staff)
        with django_assert_num_queries(11):
            response = client.get(LIST)
        assert len(response.context["rows"]) == min(rows, 25)


class TestExport:
    def test_xlsx_holds_the_filtered_list_with_its_figures(self, client, provincial_staff, dong_xuan, women_managed):
        """The export takes the list's filters: only the women-managed one, with 2 members today."""
        client.force_login(provincial_staff)
        response = client.get(reverse("cooperatives:export", args=["xlsx"]), {"women_managed": "yes"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
        header_index = next(i for i, row in enumerate(rows) if row[0] == "Tên")
        headers, data = rows[header_index], rows[header_index + 1 :]
        assert [row[0] for row in data] == [women_managed.name]
        record = dict(zip(headers, data[0], strict=True))
        assert record["Thành viên hiện nay"] == 2
        assert record["Do phụ nữ quản lý (hôm nay)"] == "Có"
        assert record["Xã"] == "Phường Cẩm Thành"
        assert any("Do phụ nữ quản lý (hôm nay): Có" in (row[0] or "") for row in rows[:header_index])

    def test_csv_starts_with_a_byte_order_mark_and_follows_the_search(
        self, client, provincial_staff, dong_xuan, women_managed
    ):
        client.force_login(provincial_staff)
        response = client.get(reverse("cooperatives:export", args=["csv"]), {"q": "dong xuan"})
        assert response.content.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        header_index = rows.index(next(row for row in rows if row and row[0] == "Tên"))
        assert [row[0] for row in rows[header_index + 1 :]] == [dong_xuan.name]

    def test_commune_staff_export_only_their_scope(self, client, commune_staff, commune_b, dong_xuan):
        OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
        client.force_login(commune_staff)
        content = client.get(reverse("cooperatives:export", args=["csv"])).content.decode("utf-8-sig")
        assert dong_xuan.name in content and "Hợp tác xã Sơn Hà" not in content

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_does_not_grow_with_rows(self, client, provincial_staff, django_assert_num_queries, rows):
        """The export costs the same queries for 5 or 50 organisations, every one of them in the file.

        9 = session + user + the request's savepoint and its release (ATOMIC_REQUESTS)
        + the organisations with their commune (select_related) + their sectors (one prefetch)
        + members today per organisation (one grouped count) + which are women-managed today
        + the access log's entry for the download.
        """
        for number in range(rows):
            organisation = OrganisationFactory(name=f"Hợp tác xã số {number}")
            appoint(member(organisation), Role.CHAIR)
        client.force_login(provincial_staff)
        with django_assert_num_queries(9):
            response = client.get(reverse("cooperatives:export", args=["csv"]))
        content = response.content.decode("utf-8-sig")
        assert sum(f"Hợp tác xã số {number}," in content for number in range(rows)) == rows

    def test_an_unknown_format_is_not_found(self, client, provincial_staff):
        client.force_login(provincial_staff)
        assert client.get("/cooperatives/export/pdf/").status_code == 404


class TestDetail:
    def test_staff_see_members_management_history_and_today_s_figures(self, client, provincial_staff, women_managed):
        former = member(women_managed, full_name="Lê Thị Cúc", joined_on=date(2019, 3, 1))
        membership_end(membership=former, on=date(2023, 6, 30))
        client.force_login(provincial_staff)
        response = client.get(detail(women_managed))
        register = response.context["register"]
        assert [m.person.full_name for m in register.current_memberships] == ["Đinh Thị Hoa", "Phạm Văn Nam"]
        assert [m.person.full_name for m in register.former_memberships] == ["Lê Thị Cúc"]
        assert [(p.role, p.person.full_name) for p in register.current_positions] == [("chair", "Đinh Thị Hoa")]
        assert register.women_managed is True
        # Independently: two members today (Hoa and Nam), one woman, and she chairs.
        assert (register.headline.members, register.headline.women_members, register.headline.women_in_management) == (
            2,
            1,
            1,
        )
        page = response.content.decode()
        assert "Do phụ nữ quản lý" in page and "Lịch sử thay đổi" in page and "Lê Thị Cúc" in page
        subjects = [entry.subject for entry in register.history]
        assert any("Lê Thị Cúc" in subject for subject in subjects)
        ended = next(e for e in register.history if "Lê Thị Cúc" in e.subject and e.changes)
        assert ended.changes == [("ngày rời", "—", "30/06/2023")]

    def test_history_says_who_changed_what(self, client, provincial_staff, women_managed):
        client.force_login(provincial_staff)
        url = reverse("cooperatives:update", args=[women_managed.pk])
        client.post(
            url, with_version(client, url, organisation_form_data(women_managed, main_products="Thổ cẩm, khăn choàng"))
        )
        entry = client.get(detail(women_managed)).context["register"].history[0]
        assert entry.who == provincial_staff
        assert ("sản phẩm chính", "—", "Thổ cẩm, khăn choàng") in entry.changes

    def test_history_shows_a_change_of_sectors(self, client, provincial_staff, women_managed):
        """Sectors are kept by simple-history as a many-to-many: their change is shown like a field's."""
        handicrafts, tourism = Sector.objects.get(code="handicrafts"), Sector.objects.get(code="tourism")
        client.force_login(provincial_staff)
        url = reverse("cooperatives:update", args=[women_managed.pk])
        client.post(
            url, with_version(client, url, organisation_form_data(women_managed, sectors=[handicrafts.pk, tourism.pk]))
        )
        entry = client.get(detail(women_managed)).context["register"].history[0]
        assert ("lĩnh vực", "—", "Du lịch, Thủ công mỹ nghệ") in entry.changes

    def test_officials_see_facts_figures_and_managers_but_no_member_register(self, client, official, women_managed):
        women_managed.memberships.filter(person__full_name="Đinh Thị Hoa").update(capital_contributed=5_000_000)
        client.force_login(official)
        response = client.get(detail(women_managed))
        page = response.content.decode()
        assert "Đinh Thị Hoa" in page  # the chair, by name
        assert "Phạm Văn Nam" not in page  # a plain member
        assert "5.000.000" not in page
        assert "Lịch sử thay đổi" not in page
        assert reverse("members:membership_add", args=[women_managed.pk]) not in page
        assert reverse("members:detail", args=[women_managed.positions.get().person_id]) not in page
        assert response.context["register"].current_memberships == []

    def test_an_organisation_outside_the_scope_is_not_found(self, client, commune_staff, commune_b):
        elsewhere = OrganisationFactory(name="Hợp tác xã Sơn Hà", commune=commune_b)
        client.force_login(commune_staff)
        assert client.get(detail(elsewhere)).status_code == 404
        assert client.get(reverse("cooperatives:update", args=[elsewhere.pk])).status_code == 404

    @pytest.mark.parametrize("rows", [5, 50])
    def test_query_count_does_not_grow_with_members(self, client, provincial_staff, django_assert_num_queries, rows):
        """The page's queries do not depend on how many members, terms and changes it shows.

        20 = session + user + the request's savepoint and its release + the organisation with its
        commune + its sectors + women-managed today + five counts of today's figures (organisations,
        members, women, women in management, with ethnic-minority members) + current terms +
        current memberships + former memberships + past terms + three history tables
        (organisation, memberships, terms), each joined to the people and users it names + the
        history of the organisation's sectors.
        """
        organisation = OrganisationFactory(name="Hợp tác xã Đông Đông")
        for number in range(rows):
            membership = member(organisation, full_name=f"Trần Thị Mai {number}")
            if number % 10 == 0:
                membership_end(membership=membership, on=date(2024, 1, 1))
        appoint(organisation.memberships.filter(left_on__isnull=True).first(), Role.CHAIR)
        client.force_login(provincial_staff)
        with django_assert_num_queries(20):
            response = client.get(detail(organisation))
        assert len(response.context["register"].current_memberships) == rows - len(range(0, rows, 10))


def organisation_form_data(organisation=None, **changes):
    data = {
        "legal_form": LegalForm.COOPERATIVE,
        "name": "Hợp tác xã Nông nghiệp Đồng Xuân",
        "registration_number": "",
        "registration_date": "",
        "founded_on": "2019-05-20",
        "commune": "",
        "address": "Thôn 3",
        "main_products": "",
        "governance": Governance.FULL,
        "status": Status.ACTIVE,
        "status_changed_on": "",
        "supported_since": "2023-01-03",
        "phone": "",
        "notes": "",
    }
    if organisation is not None:
        data.update(
            legal_form=organisation.legal_form,
            name=organisation.name,
            commune=organisation.commune_id,
            governance=organisation.governance,
            status=organisation.status,
            founded_on=organisation.founded_on.isoformat() if organisation.founded_on else "",
        )
    data.update(changes)
    return data


class TestOrganisationForms:
    def test_staff_register_an_organisation(self, client, commune_staff, commune_a):
        client.force_login(commune_staff)
        sector = Sector.objects.get(code="agriculture")
        response = post_new(
            client,
            reverse("cooperatives:create"),
            organisation_form_data(commune=commune_a.pk, sectors=[sector.pk], registration_date="20/05/2019"),
        )
        organisation = Organisation.objects.get()
        assert response.url == detail(organisation)
        assert organisation.search_name == "hop tac xa nong nghiep dong xuan"
        assert list(organisation.sectors.all()) == [sector]
        assert organisation.registration_date == date(2019, 5, 20)
        assert {record.history_user for record in organisation.history.all()} == {commune_staff}

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"name": ""}, "name", "Trường này là bắt buộc."),
            ({"status": Status.DISSOLVED}, "status_changed_on", "Hãy nhập ngày tạm ngừng hoặc giải thể."),
            ({"founded_on": (date.today() + timedelta(days=40)).isoformat()}, "founded_on", "Ngày này ở tương lai."),
        ],
    )
    def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_stored(
        self, client, provincial_staff, commune_a, changes, field, message
    ):
        client.force_login(provincial_staff)
        response = post_new(
            client, reverse("cooperatives:create"), organisation_form_data(commune=commune_a.pk, **changes)
        )
        assert response.status_code == 200
        assert message in response.context["form"].errors[field]
        assert not Organisation.objects.exists()

    def test_a_registration_number_is_unique(self, client, provincial_staff, commune_a):
        OrganisationFactory(name="Hợp tác xã Một", registration_number="4301000123")
        client.force_login(provincial_staff)
        response = post_new(
            client,
            reverse("cooperatives:create"),
            organisation_form_data(commune=commune_a.pk, registration_number="4301000123"),
        )
        assert response.context["form"].errors["registration_number"]
        assert Organisation.objects.count() == 1

    def test_commune_staff_cannot_register_outside_their_communes(self, client, commune_staff, commune_b):
        client.force_login(commune_staff)
        response = post_new(client, reverse("cooperatives:create"), organisation_form_data(commune=commune_b.pk))
        assert "commune" in response.context["form"].errors
        assert not Organisation.objects.exists()

    def test_staff_edit_an_organisation(self, client, commune_staff, dong_xuan):
        client.force_login(commune_staff)
        url = reverse("cooperatives:update", args=[dong_xuan.pk])
        data = organisation_form_data(
            dong_xuan, name="Hợp tác xã Đồng Xuân Mới", status=Status.SUSPENDED, status_changed_on="2025-08-01"
        )
        response = client.post(url, with_version(client, url, data))
        dong_xuan.refresh_from_db()
        assert response.status_code == 302
        assert (dong_xuan.name, dong_xuan.status, dong_xuan.status_changed_on) == (
            "Hợp tác xã Đồng Xuân Mới",
            Status.SUSPENDED,
            date(2025, 8, 1),
        )
        assert dong_xuan.search_name == "hop tac xa dong xuan moi"

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"governance": Governance.SIMPLIFIED},
                "governance",
                "Mô hình này không có chủ tịch hội đồng quản trị: hãy kết thúc các nhiệm kỳ đó trước.",
            ),
            (
                {"legal_form": LegalForm.COOPERATIVE_GROUP},
                "legal_form",
                "2 thành viên hiện nay có loại thành viên mà loại hình này không có: hãy kết thúc hoặc đổi trước.",
            ),
        ],
    )
    def test_a_new_structure_must_fit_the_current_members_and_managers(
        self, client, provincial_staff, women_managed, changes, field, message
    ):
        """Turning simplified under a sitting Chair, or a cooperative into a group, is refused; nothing changes."""
        client.force_login(provincial_staff)
        url = reverse("cooperatives:update", args=[women_managed.pk])
        response = client.post(url, with_version(client, url, organisation_form_data(women_managed, **changes)))
        assert response.status_code == 200
        assert message in response.context["form"].errors[field]
        women_managed.refresh_from_db()
        assert (women_managed.legal_form, women_managed.governance) == (LegalForm.COOPERATIVE, Governance.FULL)
        assert women_managed.history.count() == 1

    def test_officials_cannot_create_or_edit(self, client, official, dong_xuan, commune_a):
        client.force_login(official)
        assert client.get(reverse("cooperatives:create")).status_code == 403
        assert (
            client.post(reverse("cooperatives:create"), organisation_form_data(commune=commune_a.pk)).status_code == 403
        )
        assert (
            client.post(
                reverse("cooperatives:update", args=[dong_xuan.pk]), organisation_form_data(dong_xuan)
            ).status_code
            == 403
        )
        assert Organisation.objects.count() == 1

    def test_the_pages_ask_for_a_login(self, client, dong_xuan):
        for url in (
            LIST,
            detail(dong_xuan),
            reverse("cooperatives:create"),
            reverse("cooperatives:export", args=["csv"]),
        ):
            assert client.get(url).url.startswith(reverse("accounts:login"))
