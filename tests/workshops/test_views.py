import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from members.models import Gender
from members.roles import Role
from tests.factories import OrganisationFactory, appoint, member
from tests.submissions import post_new
from tests.versions import with_version
from workshops.models import DiscussionTheme, OrganisationKind, OrganiserLevel, Participant, SolutionStatus, Workshop
from workshops.services import solution_move

from .factories import add_participant, make_workshop, propose, theme

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def workshops(commune_a, commune_b):
    return {
        "province": make_workshop(title="Hội thảo cấp tỉnh", commune=commune_b),
        "own": make_workshop(
            title="Hội thảo phường Cẩm Thành", organiser_level=OrganiserLevel.COMMUNE, commune=commune_a
        ),
        "other": make_workshop(title="Hội thảo xã Sơn Hà", organiser_level=OrganiserLevel.COMMUNE, commune=commune_b),
    }


class TestScope:
    def test_commune_staff_manage_their_communes_workshops_and_read_the_provincial_ones(
        self, client, commune_staff, workshops
    ):
        client.force_login(commune_staff)
        for key, read, manage in [("own", 200, 200), ("province", 200, 404), ("other", 404, 404)]:
            pk = workshops[key].pk
            assert client.get(reverse("workshops:detail", args=[pk])).status_code == read, key
            assert client.get(reverse("workshops:report_pdf", args=[pk])).status_code == read, key
            assert client.get(reverse("workshops:update", args=[pk])).status_code == manage, key
            assert client.get(reverse("workshops:participant_add", args=[pk])).status_code == manage, key
        listed = client.get(reverse("workshops:list")).context["workshops"]
        assert {w.title for w in listed} == {"Hội thảo cấp tỉnh", "Hội thảo phường Cẩm Thành"}

    def test_commune_staff_cannot_add_a_participant_to_a_provincial_workshop_by_forged_post(
        self, client, commune_staff, workshops
    ):
        client.force_login(commune_staff)
        response = client.post(
            reverse("workshops:participant_add", args=[workshops["province"].pk]),
            {"full_name": "Người lạ", "gender": "female", "organisation_kind": "other", "attended": "on"},
        )
        assert response.status_code == 404
        assert not Participant.objects.exists()

    def test_officials_read_and_download_but_change_nothing(self, client, official, workshops):
        client.force_login(official)
        workshop = workshops["other"]
        solution = propose(workshop)
        assert client.get(reverse("workshops:detail", args=[workshop.pk])).status_code == 200
        assert client.get(reverse("workshops:report_pdf", args=[workshop.pk])).status_code == 200
        assert client.get(reverse("workshops:solution_detail", args=[solution.pk])).status_code == 200
        assert client.get(reverse("workshops:update", args=[workshop.pk])).status_code == 403
        assert client.get(reverse("workshops:create")).status_code == 403
        response = client.post(
            reverse("workshops:solution_move", args=[workshop.pk, solution.pk]), {"to_status": "adopted"}
        )
        assert response.status_code == 403
        solution.refresh_from_db()
        assert solution.status == SolutionStatus.PROPOSED

    def test_a_commune_staff_member_cannot_create_a_provincial_workshop(self, client, commune_staff, commune_a):
        client.force_login(commune_staff)
        response = post_new(
            client,
            reverse("workshops:create"),
            {
                "title": "Hội thảo",
                "organiser_level": "province",
                "commune": commune_a.pk,
                "start_date": "2024-09-26",
                "end_date": "2024-09-26",
                "status": "held",
            },
        )
        assert response.status_code == 200
        assert "organiser_level" in response.context["form"].errors
        assert not Workshop.objects.exists()


class TestForms:
    def test_staff_record_a_workshop_with_dates_in_either_format(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = post_new(
            client,
            reverse("workshops:create"),
            {
                "title": "Hội thảo về thị trường",
                "organiser_level": "province",
                "start_date": "26/09/2024",
                "end_date": "2024-09-27",
                "status": "held",
                "themes": [theme().pk],
            },
        )
        workshop = Workshop.objects.get()
        assert response.url == workshop.get_absolute_url()
        assert (workshop.start_date, workshop.end_date, list(workshop.themes.all())) == (
            date(2024, 9, 26),
            date(2024, 9, 27),
            [theme()],
        )

    def test_an_end_before_the_start_is_refused_on_the_end_date_and_nothing_is_saved(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = post_new(
            client,
            reverse("workshops:create"),
            {
                "title": "Hội thảo",
                "organiser_level": "province",
                "start_date": "2024-09-26",
                "end_date": "2024-09-25",
                "status": "held",
            },
        )
        assert response.context["form"].errors["end_date"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
        assert not Workshop.objects.exists()

    def test_a_sign_in_sheet_with_a_bad_row_adds_nobody_and_names_the_row(self, client, provincial_staff):
        client.force_login(provincial_staff)
        workshop = make_workshop()
        sheet = SimpleUploadedFile(
            "ds.csv",
            "Họ và tên,Giới tính,Đơn vị\nNguyễn Thị Hoa,Nữ,Sở Tài chính\nLê Văn Nam,không rõ,Sở Công Thương\n".encode(),
        )
        response = post_new(
            client, reverse("workshops:sign_in_sheet", args=[workshop.pk]), {"sheet": sheet, "attended": "on"}
        )
        assert response.status_code == 200
        assert "Dòng 3: giới tính “không rõ” không hợp lệ" in response.content.decode()
        assert not workshop.participants.exists()

    def test_a_broken_file_is_explained_and_changes_nothing(self, client, provincial_staff):
        client.force_login(provincial_staff)
        workshop = make_workshop()
        response = post_new(
            client,
            reverse("workshops:sign_in_sheet", args=[workshop.pk]),
            {"sheet": SimpleUploadedFile("ds.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00"), "attended": "on"},
        )
        assert "Không đọc được tệp này" in response.content.decode()
        assert not workshop.participants.exists()

    def test_a_good_sign_in_sheet_adds_everyone(self, client, provincial_staff):
        client.force_login(provincial_staff)
        workshop = make_workshop()
        response = post_new(
            client,
            reverse("workshops:sign_in_sheet", args=[workshop.pk]),
            {
                "text": "Họ và tên\tGiới tính\tĐơn vị\tLoại đơn vị\nNguyễn Thị Hoa\tNữ\tHTX Tịnh Khê\tHTX\nLê Văn Nam\tNam\tUBND xã\tChính quyền địa phương",
                "attended": "on",
            },
        )
        assert response.status_code == 302
        assert sorted(workshop.participants.values_list("organisation_kind", flat=True)) == [
            "cooperative",
            "local_government",
        ]

    def test_the_same_participant_added_twice_is_refused_on_the_name(self, client, provincial_staff):
        client.force_login(provincial_staff)
        workshop = make_workshop()
        data = {"full_name": "Nguyễn Thị Hoa", "gender": "female", "organisation_name": "Sở Tài chính"}
        data |= {"organisation_kind": "department", "attended": "on"}
        assert post_new(client, reverse("workshops:participant_add", args=[workshop.pk]), data).status_code == 302
        response = post_new(client, reverse("workshops:participant_add", args=[workshop.pk]), data)
        assert response.context["form"].errors["full_name"] == [
            "Nguyễn Thị Hoa (Sở Tài chính) đã có trong danh sách đại biểu của hội thảo này."
        ]
        assert workshop.participants.count() == 1

    def test_staff_move_a_solution_on_with_a_note_and_the_page_shows_who(self, client, provincial_staff):
        provincial_staff.first_name, provincial_staff.last_name = "Hồng", "Nguyễn Thị"
        provincial_staff.save()
        client.force_login(provincial_staff)
        solution = propose(make_workshop())
        url = reverse("workshops:solution_move", args=[solution.workshop_id, solution.pk])
        page = reverse("workshops:solution_detail", args=[solution.pk])
        refused = client.post(
            url, with_version(client, url, {"to_status": "done", "note": ""}, page=page, form="move_form")
        )
        assert refused.status_code == 200 and refused.context["move_form"].errors
        data = with_version(
            client, url, {"to_status": "adopted", "note": "Thống nhất tại cuộc họp"}, page=page, form="move_form"
        )
        response = client.post(url, data, follow=True)
        solution.refresh_from_db()
        assert solution.status == SolutionStatus.ADOPTED
        history = response.content.decode()
        assert "Thống nhất tại cuộc họp" in history and "Nguyễn Thị Hồng" in history


class TestSolutionList:
    @pytest.fixture
    def solutions(self, provincial_staff):
        workshop = make_workshop()
        overdue = propose(workshop, text="Quá hạn", due_on=date(2024, 12, 31), responsible_body="Sở Công Thương")
        done = propose(
            workshop,
            text="Đã xong",
            due_on=date(2024, 12, 31),
            responsible_body="Hội LHPN tỉnh",
            theme=theme("financial_support"),
        )
        for status in ("adopted", "in_progress", "done"):
            solution_move(solution=done, to_status=status, by=provincial_staff)
        later = propose(
            workshop, text="Chưa đến hạn", due_on=date(date.today().year + 5, 1, 1), responsible_body="Hội LHPN tỉnh"
        )
        return overdue, done, later

    @pytest.mark.parametrize(
        "query, expected",
        [
            ({}, {"Quá hạn", "Đã xong", "Chưa đến hạn"}),
            ({"status": "done"}, {"Đã xong"}),
            ({"theme": "financial_support"}, {"Đã xong"}),
            ({"responsible_body": "Hội LHPN tỉnh"}, {"Đã xong", "Chưa đến hạn"}),
            ({"overdue": "on"}, {"Quá hạn"}),
            ({"overdue": "on", "responsible_body": "Hội LHPN tỉnh"}, set()),
        ],
    )
    def test_filters(self, client, provincial_staff, solutions, query, expected):
        client.force_login(provincial_staff)
        if "theme" in query:
            query = {**query, "theme": theme(query["theme"]).pk}
        response = client.get(reverse("workshops:solution_list"), query)
        assert {s.text for s in response.context["solutions"]} == expected

    def test_commune_staff_follow_up_only_the_solutions_of_workshops_they_read(self, client, commune_staff, workshops):
        for workshop in workshops.values():
            propose(workshop, text=workshop.title)
        client.force_login(commune_staff)
        response = client.get(reverse("workshops:solution_list"))
        assert {s.text for s in response.context["solutions"]} == {"Hội thảo cấp tỉnh", "Hội thảo phường Cẩm Thành"}


def fill(workshop, count):
    cooperative = OrganisationFactory()
    for index in range(count):
        membership = member(cooperative)
        if index % 2 == 0:
            appoint(membership, Role.BOARD_MEMBER if index else Role.CHAIR)
        participant = add_participant(
            workshop,
            full_name=membership.person.full_name,
            person=membership.person,
            organisation=cooperative,
            organisation_kind=OrganisationKind.COOPERATIVE,
        )
        propose(workshop, text=f"Giải pháp {index}", proposed_by=participant)
    workshop.presentations.create(title="Tham luận", presenter="Bà Hoa")


class TestQueryCounts:
    # Session and user (2); the request's savepoint and its release (2); the workshop (1); whether the
    # user manages it (1); the report: participants with person and organisation (1), managers among
    # them (1), the five headline counts (5), presentations (1), themes (1), solutions with theme and
    # proposer (1) = 16.
    @pytest.mark.parametrize("count", [2, 20])
    def test_the_workshop_page_does_not_grow_with_participants(
        self, client, provincial_staff, django_assert_num_queries, count
    ):
        workshop = make_workshop()
        fill(workshop, count)
        client.force_login(provincial_staff)
        with django_assert_num_queries(16):
            response = client.get(reverse("workshops:detail", args=[workshop.pk]))
        assert len(response.context["report"].participants) == count

    # Session and user (2); the request's savepoint and its release (2); the responsible bodies for
    # the filter (1); themes for the filter (1); the page's count (1); the solutions with workshop,
    # theme and proposer (1) = 8.
    @pytest.mark.parametrize("count", [2, 20])
    def test_the_solutions_page_does_not_grow_with_solutions(
        self, client, provincial_staff, django_assert_num_queries, count
    ):
        fill(make_workshop(), count)
        client.force_login(provincial_staff)
        with django_assert_num_queries(8):
            response = client.get(reverse("workshops:solution_list"))
        assert len(response.context["solutions"]) == count

    # Session and user (2); the request's savepoint and its release (2); the page's count (1); the
    # workshops with their counts (1) = 6.
    @pytest.mark.parametrize("count", [1, 8])
    def test_the_workshop_list_does_not_grow_with_workshops(
        self, client, provincial_staff, django_assert_num_queries, count
    ):
        for index in range(count):
            fill(make_workshop(title=f"Hội thảo {index}"), 2)
        client.force_login(provincial_staff)
        with django_assert_num_queries(6):
            response = client.get(reverse("workshops:list"))
        assert {w.attended_count for w in response.context["workshops"]} == {2}


def test_the_pdf_report_holds_the_title_date_figures_attendance_and_solutions(client, official):
    """Read back as text: the diacritics, dd/mm/yyyy, the province's figures on that day, the attendance."""
    cooperative = OrganisationFactory()
    chair = member(cooperative, full_name="Nguyễn Thị Hoa")
    appoint(chair, Role.CHAIR)
    for _ in range(4):
        member(cooperative, gender=Gender.MALE)
    member(cooperative, joined_on=date(2024, 10, 1))  # joins after the workshop: not in its figures
    workshop = make_workshop(title="Hội thảo đẩy mạnh phát triển hợp tác xã do phụ nữ quản lý")
    add_participant(
        workshop,
        full_name="Nguyễn Thị Hoa",
        person=chair.person,
        organisation=cooperative,
        organisation_kind=OrganisationKind.COOPERATIVE,
    )
    for index in range(6):
        add_participant(
            workshop,
            full_name=f"Đại biểu {index}",
            gender=Gender.MALE,
            organisation_kind=OrganisationKind.DEPARTMENT,
            attended=index < 5,
        )
    propose(workshop, text="Hỗ trợ hợp tác xã tiếp cận vốn vay ưu đãi", theme=theme("financial_support"))
    client.force_login(official)
    text = pdf_text(client.get(reverse("workshops:report_pdf", args=[workshop.pk])))
    assert "Hội thảo đẩy mạnh phát triển hợp tác xã do phụ nữ quản lý" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "26/09/2024" in text
    assert (
        "Tính đến ngày 26/09/2024, tỉnh có 1 hợp tác xã do phụ nữ quản lý với 5 thành viên, trong đó 1 thành viên nữ, "
        "1 nữ tham gia ban quản lý; 0/1 hợp tác xã có thành viên là người dân tộc thiểu số."
    ) in text
    assert "Tổng số đại biểu được mời: 7; số đại biểu tham dự: 6, trong đó nữ: 1." in text
    assert re.search(r"tại ngày hội thảo\): 1, trong đó nữ: 1", text)
    assert "Hỗ trợ hợp tác xã tiếp cận vốn vay ưu đãi" in text and "Đề xuất" in text
    assert re.search(r"\b1 / \d\b", text)  # page numbers


class TestThemesKeptByAdministrators:
    def test_an_administrator_adds_a_theme_and_staff_can_choose_it(self, client, administrator, provincial_staff):
        client.force_login(administrator)
        response = client.post(
            reverse("admin:workshops_discussiontheme_add"),
            {
                "code": "digital_transformation",
                "name_vi": "Chuyển đổi số",
                "name_en": "Digital transformation",
                "position": 7,
            },
        )
        assert response.status_code == 302
        client.force_login(provincial_staff)
        form = client.get(reverse("workshops:create")).context["form"]
        assert "Chuyển đổi số" in [str(theme) for theme in form.fields["themes"].queryset]

    def test_staff_cannot_change_the_themes(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = client.post(
            reverse("admin:workshops_discussiontheme_add"),
            {"code": "x", "name_vi": "X", "name_en": "X", "position": 9},
        )
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
        assert not DiscussionTheme.objects.filter(code="x").exists()

    def test_a_theme_a_solution_uses_cannot_be_deleted(self, client, administrator):
        solution = propose(make_workshop(), theme=theme("market_access"))
        client.force_login(administrator)
        url = reverse("admin:workshops_discussiontheme_delete", args=[solution.theme_id])
        client.post(url, {"post": "yes"})
        assert DiscussionTheme.objects.filter(pk=solution.theme_id).exists()
