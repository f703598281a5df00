"""The import's pages: upload, preview, mapping corrections, save, undo, downloads, and who reaches them.

The back end runs its tasks inside the request in the test settings, so an upload is checked, and a
save done, by the time the page it redirects to is fetched. Workbooks are built here with openpyxl;
expected counts are computed from the rows the test writes, not read back from the import.
"""

import io
import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cooperatives.models import Organisation
from coopportal.uploads import MAX_BYTES, read_upload
from imports.engine import guess_mapping
from imports.models import ImportStatus, RegisterImport
from imports.services import import_upload
from imports.template_workbook import MEMBER_HEADERS, ORGANISATION_HEADERS, build_template
from imports.vocabulary import IGNORED, MEMBERS, ORGANISATIONS
from members.models import Person
from members.services import organisation_change
from tests.submissions import post_new

from .workbooks import demo_rows, register_workbook, xlsx

pytestmark = pytest.mark.django_db

MEMBER_HEADER = ["Họ và tên", "Năm sinh", "Giới tính", "Tên HTX/THT", "Ngày vào", "Chức vụ"]
ORGANISATION_HEADER = ["Tên HTX/THT", "Loại hình", "Xã, phường", "Ngày thành lập"]


def small_workbook(organisations, members):
    """A plain two-sheet register: one header row each, no title lines."""
    return xlsx({"Tổ chức": [ORGANISATION_HEADER, *organisations], "Thành viên": [MEMBER_HEADER, *members]})


def upload(client, content, name="so-dang-ky.xlsx", **data):
    return post_new(client, reverse("imports:upload"), {"file": SimpleUploadedFile(name, content), **data})


def last_import():
    return RegisterImport.objects.order_by("-pk").first()


def counts(response, action="create"):
    return {row["entity"]: row[action] for row in response.context["counts"]}


def mapping_data(response, **changes):
    """The mapping form as the page shows it, with some selects changed."""
    form = response.context["form"]
    data = {field.html_name: field.value() or "" for field in form}
    data.update(changes)
    return data


def field_of(response, sheet_name, field):
    """The form name of the select of the column the page shows ``field`` on, on sheet ``sheet_name``."""
    for group in response.context["form"].sheet_fields():
        if group["sheet"]["name"] == sheet_name:
            return next(column["name"] for column in group["columns"] if column["field"].value() == field)
    raise AssertionError(sheet_name)


def sheet_kind_field(response, sheet_name):
    group = next(g for g in response.context["form"].sheet_fields() if g["sheet"]["name"] == sheet_name)
    return group["kind_field"].html_name


def role_words(role):
    return len(role.split(" kiêm ")) if role else 0


@pytest.fixture(autouse=True)
def no_progress_left_over():
    """Progress lives in the cache, which outlives a test's database; ids come back after a rollback."""
    cache.clear()


@pytest.fixture
def demo_import(client, provincial_staff):
    """The demo register uploaded and checked by provincial staff; the response is its page."""
    client.force_login(provincial_staff)
    organisations, members = demo_rows()
    response = upload(client, register_workbook(organisations=organisations, members=members))
    assert response.status_code == 302
    return client.get(response["Location"])


class TestUpload:
    """An upload is kept and checked at once; what cannot be used is a form error, never a server error."""

    def test_an_upload_is_checked_and_its_page_previews_what_the_workbook_holds(self, client, provincial_staff):
        client.force_login(provincial_staff)
        organisations, members = demo_rows()
        response = upload(client, register_workbook(organisations=organisations, members=members))
        register_import = last_import()
        assert response.status_code == 302
        assert response["Location"] == reverse("imports:detail", args=[register_import.pk])
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert register_import.created_by == provincial_staff
        assert page.context["register_import"].status == ImportStatus.CHECKED
        assert page.context["register_import"].errors == []
        assert counts(page) == {
            "organisations": len(organisations),
            "people": len({member[0] for member in members}),
            "memberships": len(members),
            "positions": sum(role_words(member[8]) for member in members),
        }
        assert 'id="import-counts"' in page.content.decode()
        assert 'id="import-progress"' not in page.content.decode()
        assert reverse("imports:save", args=[register_import.pk]) in page.content.decode()
        assert not Organisation.objects.filter(name__startswith="HTX Dệt").exists()

    def test_a_consent_date_without_the_confirmation_is_a_form_error(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = upload(client, small_workbook([], []), consent_on="2025-03-01")
        assert response.status_code == 200
        assert response.context["form"].has_error("consent_informed", code="consent_not_informed")
        assert not RegisterImport.objects.exists()

    def test_a_declared_consent_is_kept_with_the_import(self, client, provincial_staff):
        client.force_login(provincial_staff)
        upload(client, small_workbook([], []), consent_on="2025-03-01", consent_informed="on")
        assert (last_import().consent_on, last_import().consent_informed) == (date(2025, 3, 1), True)

    def test_a_missing_file_a_wrong_date_or_a_wrong_kind_of_file_are_form_errors(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = post_new(client, reverse("imports:upload"), {})
        assert response.context["form"].has_error("file", code="required")
        response = upload(client, b"Name\nA\n", consent_on="31/02/2025", consent_informed="on")
        assert response.context["form"].has_error("consent_on", code="invalid")
        response = upload(client, b"%PDF-1.4", name="so-dang-ky.pdf")
        assert response.context["form"].has_error("file", code="file_type")
        assert not RegisterImport.objects.exists()

    def test_a_file_over_ten_megabytes_is_refused_before_it_is_read(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = upload(client, b"x" * (MAX_BYTES + 1), name="lon.csv")
        assert response.context["form"].has_error("file", code="file_too_large")
        assert not RegisterImport.objects.exists()

    def test_a_file_that_cannot_be_read_fails_with_its_reason_and_a_way_to_upload_again(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = upload(client, b"PK\x03\x04 not a workbook", name="hong.xlsx")
        page = client.get(response["Location"])
        assert page.context["register_import"].status == ImportStatus.FAILED
        assert 'id="import-failure"' in page.content.decode()
        assert reverse("imports:upload") in page.content.decode()

    def test_the_upload_page_links_the_template_and_the_instructions(self, client, provincial_staff):
        client.force_login(provincial_staff)
        content = client.get(reverse("imports:upload")).content.decode()
        assert reverse("imports:template") in content
        assert reverse("imports:help") in content
        assert client.get(reverse("imports:help")).status_code == 200


class TestMapping:
    """Correcting how the file is read stores the mapping and checks the file again with it."""

    def test_a_column_marked_not_imported_is_checked_again_and_the_counts_follow(self, client, demo_import):
        organisations, members = demo_rows()
        assert counts(demo_import)["positions"] == sum(role_words(member[8]) for member in members)
        register_import = demo_import.context["register_import"]
        role_column = field_of(demo_import, "Thành viên", "role")
        response = client.post(
            reverse("imports:remap", args=[register_import.pk]), mapping_data(demo_import, **{role_column: ""})
        )
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert page.context["register_import"].status == ImportStatus.CHECKED
        assert "role" not in page.context["register_import"].mapping["sheets"]["Thành viên"]["columns"]
        # Only the managers named on the organisations' rows still hold positions.
        assert counts(page)["positions"] == sum(role_words(row[7]) for row in organisations)
        assert counts(page)["memberships"] == len(members)

    def test_a_sheet_marked_not_imported_brings_no_one_in(self, client, provincial_staff, commune_a):
        client.force_login(provincial_staff)
        workbook = small_workbook(
            [["HTX Cẩm Thành", "HTX", commune_a.name, "1/1/2020"]],
            [["Nguyễn Thị A", 1980, "Nữ", "HTX Cẩm Thành", "1/1/2020", None]],
        )
        page = client.get(upload(client, workbook)["Location"])
        assert counts(page) == {"organisations": 1, "people": 1, "memberships": 1, "positions": 0}
        data = mapping_data(page, **{sheet_kind_field(page, "Thành viên"): IGNORED})
        page = client.get(client.post(reverse("imports:remap", args=[last_import().pk]), data)["Location"])
        assert counts(page) == {"organisations": 1, "people": 0, "memberships": 0, "positions": 0}

    def test_a_sheet_read_as_another_kind_has_its_header_found_again(self, client, provincial_staff, commune_a):
        client.force_login(provincial_staff)
        workbook = small_workbook(
            [["HTX Cẩm Thành", "HTX", commune_a.name, "1/1/2020"]],
            [["Nguyễn Thị A", 1980, "Nữ", "HTX Cẩm Thành", "1/1/2020", None]],
        )
        page = client.get(upload(client, workbook)["Location"])
        members_kind = sheet_kind_field(page, "Thành viên")
        data = mapping_data(page, **{members_kind: IGNORED})
        page = client.get(client.post(reverse("imports:remap", args=[last_import().pk]), data)["Location"])
        data = mapping_data(page, **{members_kind: MEMBERS})
        page = client.get(client.post(reverse("imports:remap", args=[last_import().pk]), data)["Location"])
        sheet = page.context["register_import"].mapping["sheets"]["Thành viên"]
        assert (sheet["kind"], sheet["columns"]["full_name"], sheet["columns"]["organisation"]) == (MEMBERS, 0, 3)
        assert counts(page)["people"] == 1

    def test_a_governance_chosen_on_the_page_replaces_the_inferred_one(self, client, demo_import):
        organisations = demo_import.context["register_import"].organisations
        index, son_ha = next((i, o) for i, o in enumerate(organisations) if o["name"] == "HTX Dệt thổ cẩm Sơn Hà")
        # A Director and a "Kiểm soát viên" without a board: simplified, inferred from the roles.
        assert (son_ha["governance"], son_ha["governance_source"]) == ("simplified", "roles")
        response = client.post(
            reverse("imports:remap", args=[last_import().pk]),
            mapping_data(demo_import, **{f"governance-{index}": "full"}),
        )
        page = client.get(response["Location"])
        son_ha = next(o for o in page.context["register_import"].organisations if o["name"] == son_ha["name"])
        assert (son_ha["governance"], son_ha["governance_source"]) == ("full", "chosen")
        others = [o for o in page.context["register_import"].organisations if o["name"] != son_ha["name"]]
        assert "chosen" not in {o["governance_source"] for o in others}

    def test_forged_or_contradictory_choices_are_form_errors_and_change_nothing(self, client, demo_import):
        register_import = last_import()
        mapping = register_import.mapping
        url = reverse("imports:remap", args=[register_import.pk])
        name_column = field_of(demo_import, "Tổ chức", "name")
        commune_column = field_of(demo_import, "Tổ chức", "commune")
        kind = sheet_kind_field(demo_import, "Tổ chức")
        for changes, field, code in [
            ({name_column: "not_a_field"}, name_column, "invalid_choice"),
            ({kind: "payroll"}, kind, "invalid_choice"),
            ({"governance-0": "anarchy"}, "governance-0", "invalid_choice"),
            ({commune_column: "name"}, commune_column, "field_twice"),
            ({name_column: ""}, kind, "required_field_missing"),
        ]:
            data = mapping_data(demo_import, **changes, **{"sheet-9-kind": MEMBERS, "sheet-0-column-250": "name"})
            response = client.post(url, data)
            assert response.status_code == 200, changes
            assert response.context["form"].has_error(field, code=code), changes
        register_import.refresh_from_db()
        assert (register_import.mapping, register_import.status) == (mapping, ImportStatus.CHECKED)

    def test_a_saved_import_is_not_checked_again(self, client, demo_import):
        register_import = last_import()
        data = mapping_data(demo_import)
        client.post(reverse("imports:save", args=[register_import.pk]))
        response = client.post(reverse("imports:remap", args=[register_import.pk]), data)
        assert response.status_code == 302
        register_import.refresh_from_db()
        assert register_import.status == ImportStatus.SAVED


class TestSaveAndUndo:
    """Save writes every row or none, once; undo takes it back unless something changed since."""

    def test_a_saved_import_is_in_the_register_and_undoing_it_removes_it(self, client, demo_import):
        organisations, members = demo_rows()
        names = [row[0].strip() for row in organisations]
        register_import = last_import()
        response = client.post(reverse("imports:save", args=[register_import.pk]))
        assert response.status_code == 302
        register_import.refresh_from_db()
        assert register_import.status == ImportStatus.SAVED
        assert Organisation.objects.filter(name__in=names).count() == len(organisations)
        page = client.get(reverse("imports:detail", args=[register_import.pk]))
        assert counts(page)["organisations"] == len(organisations)
        assert reverse("imports:undo", args=[register_import.pk]) in page.content.decode()

        confirmation = client.get(reverse("imports:undo", args=[register_import.pk]))
        assert confirmation.status_code == 200
        assert confirmation.context["blockers"] == []
        response = client.post(reverse("imports:undo", args=[register_import.pk]))
        assert response.status_code == 302
        register_import.refresh_from_db()
        assert register_import.status == ImportStatus.UNDONE
        assert not Organisation.objects.filter(name__in=names).exists()
        assert not Person.objects.filter(full_name="Trần Văn Nam").exists()
        page = client.get(reverse("imports:detail", args=[register_import.pk]))
        assert 'id="import-undone"' in page.content.decode()

    def test_a_second_click_on_save_saves_nothing_twice(self, client, demo_import):
        register_import = last_import()
        client.post(reverse("imports:save", args=[register_import.pk]))
        client.post(reverse("imports:save", args=[register_import.pk]))
        register_import.refresh_from_db()
        assert register_import.status == ImportStatus.SAVED
        assert Organisation.objects.filter(name="HTX Dệt thổ cẩm Sơn Hà").count() == 1

    def test_save_is_refused_while_the_import_is_being_saved(self, client, demo_import, monkeypatch):
        register_import = last_import()
        RegisterImport.objects.filter(pk=register_import.pk).update(status=ImportStatus.SAVING)
        enqueued = []
        monkeypatch.setattr(
            "imports.views.save_register_import", SimpleNamespace(enqueue=lambda *a: enqueued.append(a))
        )
        response = client.post(reverse("imports:save", args=[register_import.pk]))
        assert response.status_code == 302
        assert enqueued == []
        assert not Organisation.objects.filter(name="HTX Dệt thổ cẩm Sơn Hà").exists()

    def test_an_import_with_refused_rows_cannot_be_saved(self, client, provincial_staff, commune_a):
        client.force_login(provincial_staff)
        workbook = small_workbook([["HTX Cẩm Thành", "HTX", "Không có xã này", "1/1/2020"]], [])
        upload(client, workbook)
        register_import = last_import()
        page = client.get(reverse("imports:detail", args=[register_import.pk]))
        assert reverse("imports:save", args=[register_import.pk]) not in page.content.decode()
        client.post(reverse("imports:save", args=[register_import.pk]))
        register_import.refresh_from_db()
        assert register_import.status == ImportStatus.CHECKED
        assert not Organisation.objects.filter(name="HTX Cẩm Thành").exists()

    def test_an_import_changed_since_is_not_undone_and_the_page_says_why(self, client, demo_import):
        register_import = last_import()
        client.post(reverse("imports:save", args=[register_import.pk]))
        organisation = Organisation.objects.get(name="HTX Dệt thổ cẩm Sơn Hà")
        organisation_change(organisation=organisation, phone="0905111222")
        confirmation = client.get(reverse("imports:undo", args=[register_import.pk]))
        assert len(confirmation.context["blockers"]) == 1
        assert 'id="undo-blockers"' in confirmation.content.decode()
        response = client.post(reverse("imports:undo", args=[register_import.pk]))
        assert response.status_code == 200
        assert response.context["blockers"]
        register_import.refresh_from_db()
        assert register_import.status == ImportStatus.SAVED
        assert Organisation.objects.filter(pk=organisation.pk).exists()

    def test_undo_of_an_import_not_saved_is_refused_on_the_page(self, client, demo_import):
        register_import = last_import()
        response = client.post(reverse("imports:undo", args=[register_import.pk]))
        assert response.status_code == 200
        assert response.context["blockers"]
        assert last_import().status == ImportStatus.CHECKED

    def test_save_remap_and_undo_answer_only_posts_where_they_change(self, client, demo_import):
        register_import = last_import()
        assert client.get(reverse("imports:save", args=[register_import.pk])).status_code == 405
        assert client.get(reverse("imports:remap", args=[register_import.pk])).status_code == 405


class TestScope:
    """Editors only; imports through ``for_user``; changes only where every commune touched is the user's."""

    def test_rows_of_another_commune_are_refused_for_commune_staff(self, client, commune_staff, commune_a, commune_b):
        client.force_login(commune_staff)
        workbook = small_workbook(
            [["HTX Cẩm Thành", "HTX", commune_a.name, "1/1/2020"], ["HTX Sơn Hà", "HTX", commune_b.name, "1/1/2020"]],
            [],
        )
        page = client.get(upload(client, workbook)["Location"])
        register_import = page.context["register_import"]
        assert [(error["sheet"], error["row"]) for error in register_import.errors] == [("Tổ chức", 3)]
        assert counts(page)["organisations"] == 1
        assert not register_import.may_be_saved

    def test_officials_are_refused_every_import_page(self, client, official, provincial_staff):
        register_import = import_upload(user=provincial_staff, file_name="a.csv", content=b"x")
        client.force_login(official)
        for name, args, method in urls(register_import.pk):
            response = getattr(client, method)(reverse(name, args=args))
            assert response.status_code == 403, name

    def test_anonymous_visitors_are_sent_to_log_in(self, client, provincial_staff):
        register_import = import_upload(user=provincial_staff, file_name="a.csv", content=b"x")
        for name, args, method in urls(register_import.pk):
            response = getattr(client, method)(reverse(name, args=args))
            assert response.status_code == 302 and reverse("accounts:login") in response["Location"], name

    def test_an_import_outside_the_users_scope_answers_404(self, client, provincial_staff, commune_staff, commune_b):
        client.force_login(provincial_staff)
        upload(client, small_workbook([["HTX Sơn Hà", "HTX", commune_b.name, "1/1/2020"]], []))
        register_import = last_import()
        client.force_login(commune_staff)
        for name, args, method in urls(register_import.pk):
            if args:
                assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
        assert list(client.get(reverse("imports:list")).context["imports"]) == []

    def test_commune_staff_read_imports_wholly_in_their_communes_and_no_other(
        self, client, provincial_staff, commune_staff, commune_a, commune_b
    ):
        """An import that also touches another commune shows that commune's rows: it is not theirs to read."""
        client.force_login(provincial_staff)
        upload(
            client,
            small_workbook(
                [
                    ["HTX Cẩm Thành", "HTX", commune_a.name, "1/1/2020"],
                    ["HTX Sơn Hà", "HTX", commune_b.name, "1/1/2020"],
                ],
                [],
            ),
        )
        both = last_import()
        upload(client, small_workbook([["HTX Cẩm Thành Hai", "HTX", commune_a.name, "1/1/2020"]], []))
        theirs = last_import()
        client.force_login(commune_staff)
        assert client.get(reverse("imports:detail", args=[both.pk])).status_code == 404
        assert client.post(reverse("imports:save", args=[both.pk])).status_code == 404
        assert client.get(reverse("imports:detail", args=[theirs.pk])).status_code == 200
        listed = client.get(reverse("imports:list")).content.decode()
        assert reverse("imports:detail", args=[theirs.pk]) in listed
        assert reverse("imports:detail", args=[both.pk]) not in listed
        assert not Organisation.objects.filter(name="HTX Sơn Hà").exists()


def urls(pk):
    return [
        ("imports:list", [], "get"),
        ("imports:upload", [], "get"),
        ("imports:template", [], "get"),
        ("imports:help", [], "get"),
        ("imports:detail", [pk], "get"),
        ("imports:progress", [pk], "get"),
        ("imports:refused_rows", [pk], "get"),
        ("imports:undo", [pk], "get"),
        ("imports:remap", [pk], "post"),
        ("imports:save", [pk], "post"),
        ("imports:undo", [pk], "post"),
    ]


class TestRefusedRows:
    """The refused rows come back as the office wrote them, with why, ready to put right."""

    def test_the_refused_rows_download_holds_the_header_the_original_rows_and_the_reasons(
        self, client, provincial_staff, commune_a
    ):
        client.force_login(provincial_staff)
        workbook = Workbook()
        organisations = workbook.active
        organisations.title = "Tổ chức"
        organisations.append(["DANH SÁCH HTX"])
        organisations.append(["Tên HTX/THT", "Loại hình", "Xã, phường", "Ngày thành lập"])
        organisations.append(["HTX Cẩm Thành", "HTX", commune_a.name, "1/1/2020"])
        organisations.append(['=HYPERLINK("http://x")', "HTX", "Không có xã này", "31/02/2020"])
        organisations["A4"].data_type = "s"  # typed text that looks like a formula, as a hostile file may hold
        members = workbook.create_sheet("Thành viên")
        members.append(MEMBER_HEADER)
        members.append(["Nguyễn Thị A", "năm ngoái", "Nữ", "HTX Cẩm Thành", "1/1/2020", None])
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload(client, buffer.getvalue())
        register_import = last_import()
        refused = {(error["sheet"], error["row"]) for error in register_import.errors}
        assert refused == {("Tổ chức", 4), ("Thành viên", 2)}

        response = client.get(reverse("imports:refused_rows", args=[register_import.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Tổ chức", "Thành viên"]
        rows = [list(row) for row in book["Tổ chức"].iter_rows(values_only=True)]
        header_at = rows.index(["Tên HTX/THT", "Loại hình", "Xã, phường", "Ngày thành lập", rows[3][4]])
        assert rows[header_at + 1][:4] == ['=HYPERLINK("http://x")', "HTX", "Không có xã này", "31/02/2020"]
        assert len(rows) == header_at + 2
        reasons = rows[header_at + 1][4]
        assert "Không có xã này" in reasons and "31/02/2020" in reasons and "; " in reasons
        formula_cell = book["Tổ chức"].cell(row=header_at + 2, column=1)
        assert formula_cell.data_type == "s"
        member_rows = [list(row) for row in book["Thành viên"].iter_rows(values_only=True)]
        assert member_rows[-1][:2] == ["Nguyễn Thị A", "năm ngoái"]
        assert "năm ngoái" in member_rows[-1][-1]
        # The download reads back as a register: its header is found where the original's was.
        sheets = read_upload(response.content, "refused.xlsx")
        assert guess_mapping(sheets)["Thành viên"]["kind"] == MEMBERS

    def test_an_import_without_refused_rows_has_no_download(self, client, demo_import):
        response = client.get(reverse("imports:refused_rows", args=[last_import().pk]))
        assert response.status_code == 404


class TestTemplateWorkbook:
    """The template's headers are the import's own words: filled in, it goes through unchanged."""

    def test_every_header_of_the_template_is_read_as_the_field_it_names(self, client, provincial_staff):
        client.force_login(provincial_staff)
        response = client.get(reverse("imports:template"))
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Tổ chức", "Thành viên", "Giá trị hợp lệ"]
        example_member = [cell.value for cell in book["Thành viên"][2]]
        book["Thành viên"].append(["Trần Thị Bình", 1990, *example_member[2:10], None, None, None, 5_000_000])
        buffer = io.BytesIO()
        book.save(buffer)
        mapping = guess_mapping(read_upload(buffer.getvalue(), "mau.xlsx"))
        assert mapping["Tổ chức"]["kind"] == ORGANISATIONS
        assert mapping["Tổ chức"]["columns"] == {field: index for index, (_h, field) in enumerate(ORGANISATION_HEADERS)}
        assert mapping["Thành viên"]["kind"] == MEMBERS
        assert mapping["Thành viên"]["columns"] == {field: index for index, (_h, field) in enumerate(MEMBER_HEADERS)}
        assert mapping["Giá trị hợp lệ"]["kind"] == IGNORED

        page = client.get(upload(client, buffer.getvalue(), name="mau.xlsx")["Location"])
        assert page.context["register_import"].errors == []
        assert counts(page) == {"organisations": 1, "people": 2, "memberships": 2, "positions": 2}

    def test_the_allowed_values_list_the_communes_and_the_54_ethnic_groups(self, commune_a):
        book = load_workbook(io.BytesIO(build_template()))
        columns = {
            column[0].value: [cell.value for cell in column[1:] if cell.value]
            for column in book["Giá trị hợp lệ"].columns
        }
        assert commune_a.name in columns["Xã, phường"]
        assert len(columns["Dân tộc"]) == 54
        assert "Kiểm soát viên" in columns["Chức vụ quản lý"]


class TestProgress:
    """Work under way shows a progress bar that a static script updates from a JSON answer."""

    def test_progress_answers_status_and_figures_as_json(self, client, demo_import):
        response = client.get(reverse("imports:progress", args=[last_import().pk]))
        assert response["Content-Type"] == "application/json"
        progress = json.loads(response.content)
        assert set(progress) == {"status", "status_label", "done", "total", "percent", "busy"}
        assert (progress["status"], progress["busy"], progress["percent"]) == ("checked", False, 100)

    def test_an_import_waiting_for_its_check_shows_a_progress_bar_fed_by_a_static_script(
        self, client, provincial_staff
    ):
        register_import = import_upload(user=provincial_staff, file_name="a.csv", content=b"x")
        client.force_login(provincial_staff)
        progress = json.loads(client.get(reverse("imports:progress", args=[register_import.pk])).content)
        assert (progress["status"], progress["busy"], progress["percent"]) == ("queued", True, 0)
        content = client.get(reverse("imports:detail", args=[register_import.pk])).content.decode()
        assert 'id="import-progress"' in content and 'role="progressbar"' in content and 'aria-valuenow="0"' in content
        assert reverse("imports:progress", args=[register_import.pk]) in content
        assert "js/import-progress.js" in content
        assert "<script>" not in content


class TestList:
    """The import log."""

    @pytest.mark.parametrize("size", [1, 12])
    def test_the_log_lists_imports_newest_first_in_a_constant_number_of_queries(
        self, client, provincial_staff, django_assert_max_num_queries, size
    ):
        for number in range(size):
            import_upload(user=provincial_staff, file_name=f"so-{number}.xlsx", content=f"{number}".encode())
        client.force_login(provincial_staff)
        # Session, user, the count for the pages, one page of imports with their uploaders; the
        # request's savepoint pair; nothing per import.
        with django_assert_max_num_queries(6):
            response = client.get(reverse("imports:list"))
        imports = list(response.context["imports"])
        assert [i.file_name for i in imports] == [f"so-{number}.xlsx" for number in reversed(range(size))]
        assert imports[0].file_sha256[:12] in response.content.decode()
        assert f'title="{imports[0].file_sha256}"' in response.content.decode()

    def test_the_navigation_offers_the_import_to_editors_only(self, client, provincial_staff, official):
        client.force_login(provincial_staff)
        assert reverse("imports:list") in client.get(reverse("home")).content.decode()
        client.force_login(official)
        assert reverse("imports:list") not in client.get(reverse("home")).content.decode()
