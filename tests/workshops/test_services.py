import io
import unicodedata
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from members.models import Gender
from workshops import services
from workshops.importers import read_sign_in_sheet
from workshops.models import OrganisationKind, Participant, SolutionStatus

from .factories import make_workshop, propose

pytestmark = pytest.mark.django_db


def at(day):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9, 0))


def xlsx(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("danh-sach.xlsx", buffer.getvalue())


def import_sheet(workshop, **source):
    return services.participants_import(workshop=workshop, rows=read_sign_in_sheet(**source))


class TestStatusMoves:
    def test_a_solution_moves_from_proposed_to_done_and_each_move_records_who_and_when(self, provincial_staff):
        solution = propose(make_workshop())
        steps = [
            (SolutionStatus.ADOPTED, date(2024, 10, 1)),
            (SolutionStatus.IN_PROGRESS, date(2024, 11, 1)),
            (SolutionStatus.DONE, date(2025, 2, 1)),
        ]
        for status, day in steps:
            services.solution_move(solution=solution, to_status=status, by=provincial_staff, note="ok", at=at(day))
        solution.refresh_from_db()
        assert solution.status == SolutionStatus.DONE
        changes = list(solution.status_changes.values_list("from_status", "to_status", "changed_by", "changed_at"))
        assert changes == [
            ("proposed", "adopted", provincial_staff.pk, at(date(2024, 10, 1))),
            ("adopted", "in_progress", provincial_staff.pk, at(date(2024, 11, 1))),
            ("in_progress", "done", provincial_staff.pk, at(date(2025, 2, 1))),
        ]
        assert solution.history.count() == 4  # proposed, then one historical row per move

    @pytest.mark.parametrize("start", ["proposed", "adopted", "in_progress"])
    def test_any_open_solution_can_be_declined(self, start, provincial_staff):
        solution = propose(make_workshop())
        path = ["adopted", "in_progress"][: ["proposed", "adopted", "in_progress"].index(start)]
        for status in path:
            services.solution_move(solution=solution, to_status=status, by=provincial_staff)
        services.solution_move(solution=solution, to_status=SolutionStatus.DECLINED, by=provincial_staff)
        solution.refresh_from_db()
        assert solution.status == SolutionStatus.DECLINED

    @pytest.mark.parametrize(
        "path, refused",
        [
            ([], "in_progress"),
            ([], "done"),
            (["adopted"], "done"),
            (["adopted"], "proposed"),
            (["declined"], "adopted"),
            (["adopted", "in_progress", "done"], "declined"),
        ],
    )
    def test_other_moves_are_refused_and_change_nothing(self, path, refused, provincial_staff):
        solution = propose(make_workshop())
        for status in path:
            services.solution_move(solution=solution, to_status=status, by=provincial_staff)
        with pytest.raises(ValidationError) as error:
            services.solution_move(solution=solution, to_status=refused, by=provincial_staff)
        assert error.value.code == "status_move_not_allowed"
        solution.refresh_from_db()
        assert solution.status == (path[-1] if path else "proposed")
        assert solution.status_changes.count() == len(path)

    def test_a_move_cannot_be_dated_before_the_workshop_or_the_previous_move(self, provincial_staff):
        solution = propose(make_workshop())
        with pytest.raises(ValidationError) as error:
            services.solution_move(solution=solution, to_status="adopted", by=provincial_staff, at=at(date(2024, 9, 1)))
        assert error.value.code == "status_change_before_workshop"
        services.solution_move(solution=solution, to_status="adopted", by=provincial_staff, at=at(date(2024, 11, 1)))
        with pytest.raises(ValidationError) as error:
            services.solution_move(
                solution=solution, to_status="in_progress", by=provincial_staff, at=at(date(2024, 10, 1))
            )
        assert error.value.code == "status_change_out_of_order"

    def test_the_status_is_not_edited_directly(self):
        with pytest.raises(ValueError):
            services.solution_update(solution=propose(make_workshop()), status="done")


class TestSignInSheet:
    def test_a_vietnamese_xlsx_sheet_with_a_title_line_adds_everyone(self):
        """Vietnamese headers and values, a title above the header, a blank line: all understood."""
        workshop = make_workshop()
        sheet = xlsx(
            [
                ["DANH SÁCH ĐẠI BIỂU DỰ HỘI THẢO"],
                ["STT", "Họ và tên", "Giới tính", "Đơn vị", "Loại đơn vị", "Chức vụ"],
                [1, "Nguyễn Thị Hoa", "Nữ", "HTX Nông nghiệp Tịnh Khê", "HTX", "Giám đốc"],
                [2, "Lê Văn Nam", "Nam", "Sở Công Thương", "Sở, ban, ngành tỉnh", "Chuyên viên"],
                [None, None, None, None, None, None],
                [3, "Trần Thị Lan", "nu", "Hội LHPN xã Sơn Hà", "Hội LHPN cấp xã", ""],
            ]
        )
        added = import_sheet(workshop, upload=sheet)
        assert [(p.full_name, p.gender, p.organisation_kind, p.attended) for p in added] == [
            ("Nguyễn Thị Hoa", Gender.FEMALE, OrganisationKind.COOPERATIVE, True),
            ("Lê Văn Nam", Gender.MALE, OrganisationKind.DEPARTMENT, True),
            ("Trần Thị Lan", Gender.FEMALE, OrganisationKind.UNION_COMMUNE, True),
        ]
        assert workshop.participants.count() == 3

    def test_an_english_csv_and_pasted_tab_separated_rows_are_read_alike(self):
        workshop = make_workshop()
        csv_file = SimpleUploadedFile(
            "sheet.csv",
            "name,gender,organisation,kind,position\nNguyễn Thị Hoa,female,Sở Tài chính,department,\n".encode(),
        )
        import_sheet(workshop, upload=csv_file)
        import_sheet(workshop, text="Họ tên\tGiới tính\tĐơn vị\nPhạm Văn An\tNam\tBáo Quảng Ngãi\n")
        assert list(workshop.participants.order_by("pk").values_list("full_name", "organisation_kind")) == [
            ("Nguyễn Thị Hoa", "department"),
            ("Phạm Văn An", "other"),
        ]

    def test_a_unicode_text_sheet_saved_by_excel_adds_everyone(self):
        """Excel's "Unicode text" is UTF-16 with a BOM, tab separated, with CRLF line ends."""
        workshop = make_workshop()
        text = "Họ và tên\tGiới tính\tĐơn vị\r\nNguyễn Thị Hoa\tNữ\tSở Tài chính\r\nLê Văn Nam\tNam\tUBND xã Sơn Hà\r\n"
        added = import_sheet(workshop, upload=SimpleUploadedFile("danh-sach.txt", text.encode("utf-16")))
        assert [(p.full_name, p.gender, p.organisation_name) for p in added] == [
            ("Nguyễn Thị Hoa", Gender.FEMALE, "Sở Tài chính"),
            ("Lê Văn Nam", Gender.MALE, "UBND xã Sơn Hà"),
        ]

    def test_a_sheet_with_bad_rows_saves_nothing_and_names_every_bad_row(self):
        """Rows 3 and 5 are wrong (a gender, a missing name and an unknown kind): nobody is added."""
        workshop = make_workshop()
        sheet = xlsx(
            [
                ["Họ và tên", "Giới tính", "Đơn vị", "Loại đơn vị", "Chức vụ"],
                ["Nguyễn Thị Hoa", "Nữ", "Sở Tài chính", "Sở, ban, ngành", ""],
                ["Lê Văn Nam", "X", "Sở Công Thương", "Sở, ban, ngành", ""],
                ["Trần Thị Lan", "Nữ", "", "", ""],
                ["", "Nữ", "Hội LHPN", "câu lạc bộ", ""],
            ]
        )
        with pytest.raises(ValidationError) as error:
            import_sheet(workshop, upload=sheet)
        messages = error.value.messages
        assert messages[0] == "Dòng 3: giới tính “X” không hợp lệ; hãy ghi Nữ hoặc Nam"
        assert [message.split(":")[0] for message in messages] == ["Dòng 3", "Dòng 5", "Dòng 5"]
        assert any("họ và tên" in message for message in messages)
        assert any("câu lạc bộ" in message for message in messages)
        assert not Participant.objects.exists()

    @pytest.mark.parametrize(
        "name, content, code",
        [
            ("sheet.xlsx", b"%PDF-1.4\x00\x01\x02 binary", "sheet_unreadable"),
            ("sheet.pdf", b"PK\x03\x04 not really a workbook", "sheet_unreadable"),
            ("sheet.csv", "\xff\xfe\x00garbage".encode("latin-1"), "sheet_unreadable"),
            ("sheet.csv", b"a,b,c\n1,2,3\n", "sheet_without_header"),
            ("sheet.csv", "Họ và tên,Giới tính\n".encode(), "sheet_empty"),
        ],
    )
    def test_a_file_that_is_not_a_sign_in_sheet_gets_a_clear_message(self, name, content, code):
        with pytest.raises(ValidationError) as error:
            read_sign_in_sheet(upload=SimpleUploadedFile(name, content))
        assert error.value.code == code


class TestSignInSheetMistakes:
    """Mistakes people make with real sheets: each one named, nothing added."""

    def test_a_row_without_a_gender_says_the_gender_is_missing(self):
        workshop = make_workshop()
        with pytest.raises(ValidationError) as error:
            import_sheet(workshop, upload=xlsx([["Họ và tên", "Giới tính"], ["Nguyễn Thị Hoa", None]]))
        assert error.value.messages == ["Dòng 2: chưa ghi giới tính; hãy ghi Nữ hoặc Nam"]
        assert not workshop.participants.exists()

    def test_a_person_written_twice_on_the_sheet_is_named_with_the_row_she_repeats(self):
        workshop = make_workshop()
        sheet = xlsx(
            [
                ["Họ và tên", "Giới tính", "Đơn vị"],
                ["Nguyễn Thị Hoa", "Nữ", "Sở Tài chính"],
                ["Lê Văn Nam", "Nam", "Sở Tài chính"],
                ["nguyễn  THỊ Hoa", "Nữ", "SỞ TÀI CHÍNH"],
                ["Nguyễn Thị Hoa", "Nữ", "Hội LHPN xã Sơn Hà"],  # the same name elsewhere: another person
                ["Nguyễn Thị Hòa", "Nữ", "Sở Tài chính"],  # a tone mark makes another name: another person
            ]
        )
        with pytest.raises(ValidationError) as error:
            import_sheet(workshop, upload=sheet)
        assert error.value.messages == ["Dòng 4: nguyễn THỊ Hoa (SỞ TÀI CHÍNH) đã có ở dòng 2"]
        assert not workshop.participants.exists()

    def test_sending_the_same_sheet_again_adds_nobody_twice(self):
        workshop = make_workshop()
        text = "Họ và tên\tGiới tính\tĐơn vị\nNguyễn Thị Hoa\tNữ\tSở Tài chính\nLê Văn Nam\tNam\t\n"
        import_sheet(workshop, text=text)
        with pytest.raises(ValidationError) as error:
            import_sheet(workshop, text=text + "Trần Thị Lan\tNữ\tHTX Tịnh Khê\n")
        assert error.value.messages == [
            "Dòng 2: họ và tên: Nguyễn Thị Hoa (Sở Tài chính) đã có trong danh sách đại biểu của hội thảo này.",
            "Dòng 3: họ và tên: Lê Văn Nam đã có trong danh sách đại biểu của hội thảo này.",
        ]
        assert workshop.participants.count() == 2


def test_a_participant_cannot_be_added_twice_to_a_workshop():
    """The same name in the same organisation, case, spacing and Unicode form aside, is the same person; elsewhere,
    or with another tone mark, it is another."""
    workshop = make_workshop()
    services.participant_add(
        workshop=workshop, full_name="Nguyễn Thị Hoa", gender=Gender.FEMALE, organisation_name="Sở Tài chính"
    )
    with pytest.raises(ValidationError) as error:
        services.participant_add(
            workshop=workshop,
            full_name=unicodedata.normalize("NFD", " nguyễn  thị HOA"),
            gender=Gender.FEMALE,
            organisation_name="SỞ TÀI CHÍNH",
        )
    assert error.value.error_dict["full_name"][0].code == "participant_already_listed"
    services.participant_add(
        workshop=workshop, full_name="Nguyễn Thị Hòa", gender=Gender.FEMALE, organisation_name="Sở Tài chính"
    )
    services.participant_add(
        workshop=workshop, full_name="Nguyễn Thị Hoa", gender=Gender.FEMALE, organisation_name="Sở Y tế"
    )
    services.participant_add(
        workshop=make_workshop(title="Hội thảo khác"),
        full_name="Nguyễn Thị Hoa",
        gender=Gender.FEMALE,
        organisation_name="Sở Tài chính",
    )
    hoa = workshop.participants.get(full_name="Nguyễn Thị Hoa", organisation_name="Sở Tài chính")
    services.participant_update(participant=hoa, position="Phó Giám đốc")  # editing her is not a second Hoa
    assert workshop.participants.count() == 3
