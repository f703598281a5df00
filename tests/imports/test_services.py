"""Importing an office's register workbook: checked row by row, saved all or nothing, matched on re-import, undone."""

import io
import json
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cooperatives.models import Governance, LegalForm, Organisation
from imports.models import ImportStatus
from imports.services import import_check, import_save, import_undo, import_upload, undo_blockers
from members.models import Gender, ManagementPosition, Membership, MemberType, Person
from members.roles import Role
from members.selectors import women_managed_cooperatives_headline
from members.services import person_update

from ..factories import OrganisationFactory
from .workbooks import demo_rows, nfd, register_workbook, xlsx

pytestmark = pytest.mark.django_db

# Rows of the register and their history; the import log and the task queue are not the register.
NOT_REGISTER = {"imports", "django_tasks_db", "sessions", "axes", "contenttypes", "auth", "admin"}


def table_counts():
    """Rows in every table of the portal's register, history tables included."""
    return {
        model._meta.db_table: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in NOT_REGISTER
    }


def run_command(path, *options):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_register", str(path), "--json", *options, stdout=out)
        raise SystemExit(0)
    return exit_info.value.code, json.loads(out.getvalue())


@pytest.fixture
def workbook_file(tmp_path):
    def write(content, name="so-dang-ky.xlsx"):
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write


def bad_rows():
    """The demo workbook with five mistakes, each in its own row (Excel row numbers in comments)."""
    organisations, members = demo_rows()
    members = [list(row) for row in members]
    members.append(
        [
            "Trần Thị Bông",
            2012,
            "Nữ",
            None,
            "Tịnh Khê",
            "HTX Nông nghiệp Tịnh Khê",
            "Thành viên chính thức",
            "1/6/2020",
            None,
        ]
    )  # row 14: 8 years old
    members.append(
        ["Phan Thị Hạnh", 1980, "Nữ", None, "Tịnh Khê", "HTX Nông nghiệp Tịnh Khê", "Chính thức", "31/02/2021", None]
    )  # row 15
    members.append(
        ["Lê Văn Tư", 1979, "X", None, "Tịnh Khê", "HTX Nông nghiệp Tịnh Khê", "Chính thức", "1/6/2020", None]
    )  # row 16
    members.append(
        ["Mai Thị Đào", 1985, "Nữ", None, "Tịnh Khê", "HTX Nông nghiệp Tịnh Khê", "Chính thức", "1/1/2010", None]
    )  # row 17: before founding
    members.append(
        [
            "Đỗ Thị Yến",
            1983,
            "Nữ",
            None,
            "Tịnh Khê",
            "HTX Nông nghiệp Tịnh Khê",
            "Chính thức",
            "1/6/2020",
            "Chủ tịch HĐQT",
        ]
    )  # row 18: second chair
    return organisations, members


class TestMustShow:
    def test_bad_rows_are_named_exactly_and_nothing_changes(self, workbook_file, administrator):
        """Title rows, merged two-row headers, a totals row, NFD names, aliases and five bad rows: only those named."""
        before = table_counts()
        code, result = run_command(workbook_file(register_workbook(organisations=bad_rows()[0], members=bad_rows()[1])))
        assert code == 1
        assert result["committed"] is False
        named = sorted({(error["sheet"], error["row"]) for error in result["errors"]})
        assert named == [("Thành viên", row) for row in (14, 15, 16, 17, 18)]
        by_row = {error["row"]: error for error in result["errors"]}
        assert "sinh năm 2012" in by_row[14]["message"] and "18" in by_row[14]["message"]
        assert by_row[14]["column"] == "Ngày vào"
        assert by_row[15]["column"] == "Ngày vào" and "31/02/2021" in by_row[15]["message"]
        assert by_row[16]["column"] == "Giới tính"
        assert "01/03/2019" not in by_row[17]["message"] and "15/03/2019" in by_row[17]["message"]
        assert by_row[18]["column"] == "Chức vụ"
        assert table_counts() == before

    def test_the_corrected_workbook_saves_each_organisation_and_person_once_and_again_creates_nothing(
        self, workbook_file, administrator
    ):
        """The manager on both sheets is one person; 'Chủ tịch HĐQT kiêm Giám đốc' gives two positions."""
        organisations, members = demo_rows()
        path = workbook_file(register_workbook(organisations=organisations, members=members))
        code, result = run_command(path, "--commit")
        assert (code, result["errors"], result["committed"]) == (0, [], True)
        assert result["organisations"]["create"] == 3 == Organisation.objects.count()
        assert result["people"]["create"] == len(members) == Person.objects.count()
        assert result["memberships"]["create"] == len(members) == Membership.objects.count()
        hoa = Person.objects.get(full_name="Nguyễn Thị Hoa")  # NFD in both sheets, one NFC person
        assert sorted(hoa.positions.values_list("role", flat=True)) == [Role.CHAIR, Role.DIRECTOR]
        tinh_khe = Organisation.objects.get(name="HTX Nông nghiệp Tịnh Khê")
        son_ha = Organisation.objects.get(name="HTX Dệt thổ cẩm Sơn Hà")
        group = Organisation.objects.get(name="Tổ hợp tác rau sạch Sa Huỳnh")
        assert (tinh_khe.governance, son_ha.governance) == (Governance.FULL, Governance.SIMPLIFIED)
        assert (tinh_khe.commune.code, son_ha.commune.code, group.commune.code) == ("21211", "21289", "21478")
        assert group.legal_form == LegalForm.COOPERATIVE_GROUP and son_ha.founded_on == date(2016, 1, 2)
        assert set(group.memberships.values_list("member_type", flat=True)) == {MemberType.GROUP_MEMBER}
        # "Kiểm soát viên": a Supervisory Board member under full governance, the Controller under simplified.
        assert ManagementPosition.objects.get(person__full_name="Võ Thị Lan").role == Role.SUPERVISORY_MEMBER
        assert ManagementPosition.objects.get(person__full_name="Đinh Văn Pố").role == Role.CONTROLLER
        assert Membership.objects.get(person__full_name="Huỳnh Thị Cúc").joined_on == date(2021, 1, 1)
        headline = women_managed_cooperatives_headline(date(2024, 9, 26))
        assert headline.organisations == 2  # Hoa chairs one, Lài directs the simplified one

        before = table_counts()
        code, again = run_command(path, "--commit")
        assert code == 0 and again["committed"] is False
        assert {entity: again[entity]["create"] + again[entity]["update"] for entity in ENTITIES} == dict.fromkeys(
            ENTITIES, 0
        )
        assert table_counts() == before


ENTITIES = ("organisations", "people", "memberships", "positions")


def upload(user, content, **consent):
    register_import = import_upload(user=user, file_name="so.xlsx", content=content, **consent)
    return import_check(register_import=register_import)


class TestSaveAndUndo:
    def test_an_updated_file_updates_with_history_and_creates_nothing(self, administrator):
        organisations, members = demo_rows()
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=members)),
            user=administrator,
        )
        members[1] = [*members[1][:7], "1/6/2022", "Thành viên HĐQT"]  # Trần Văn Nam's joining date corrected
        members[2] = ["Phạm Thị Thu", 1983, *members[2][2:]]  # and Thu's year of birth: a new person by the rules
        second = upload(administrator, register_workbook(organisations=organisations, members=members))
        assert second.errors == []
        assert second.counts["memberships"]["update"] == 1
        nam = Membership.objects.get(person__full_name="Trần Văn Nam")
        import_save(register_import=second, user=administrator)
        nam.refresh_from_db()
        assert nam.joined_on == date(2022, 6, 1)
        assert nam.history.count() == 2

    def test_undo_restores_every_count_and_is_refused_once_a_row_was_changed(self, administrator):
        before = table_counts()
        organisations, members = demo_rows()
        saved = import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=members)),
            user=administrator,
        )
        assert saved.status == ImportStatus.SAVED and Person.objects.count() == len(members)
        person_update(person=Person.objects.get(full_name="Lê Thị Mai"), phone="0905123456")
        assert len(undo_blockers(saved)) == 1
        with pytest.raises(ValidationError):
            import_undo(register_import=saved, user=administrator)
        assert Person.objects.count() == len(members)

        Person.objects.get(full_name="Lê Thị Mai").history.order_by("-history_id").first().delete()
        import_undo(register_import=saved, user=administrator)
        assert table_counts() == before
        assert saved.status == ImportStatus.UNDONE


class TestScopeAndConsent:
    def test_a_commune_staff_members_row_in_another_commune_is_refused_at_that_row(self, commune_staff):
        """commune_staff works in Cẩm Thành only."""
        organisations = [
            ["HTX Cẩm Thành", "HTX", "Phường Cẩm Thành", None, "1/1/2015", None, "Lê Thị A", "Giám đốc", 1],
            ["HTX Tịnh Khê", "HTX", "Xã Tịnh Khê", None, "1/1/2015", None, None, None, 0],
        ]
        members = [["Lê Thị A", 1980, "Nữ", None, "Cẩm Thành", "HTX Cẩm Thành", None, "1/1/2015", "Giám đốc"]]
        checked = upload(commune_staff, register_workbook(organisations=organisations, members=members))
        assert [(error["sheet"], error["row"], error["column"]) for error in checked.errors] == [
            ("Tổ chức", 7, "Xã, phường")
        ]

    def test_ethnicity_is_stored_only_with_consent_from_a_column_or_the_declaration(self, administrator):
        organisations, members = demo_rows()
        without = upload(administrator, register_workbook(organisations=organisations, members=members))
        assert any("5" in note for note in without.notes)  # Hoa, Lài, Pố, Nga and Mai gave an ethnic group
        declared = upload(
            administrator,
            register_workbook(organisations=organisations, members=members),
            consent_on=date(2024, 5, 1),
            consent_informed=True,
        )
        import_save(register_import=declared, user=administrator)
        lai = Person.objects.get(full_name="Đinh Thị Lài")
        assert (lai.ethnic_group.code, lai.ethnicity_consent_on, lai.ethnicity_consent_informed) == (
            "19",
            date(2024, 5, 1),
            True,
        )
        assert Person.objects.get(full_name="Đinh Thị Nga").ethnic_group.code == "14"  # "Ca Dong" is Xơ-đăng
        assert women_managed_cooperatives_headline(date(2024, 9, 26)).with_ethnic_minority_members == 1

    def test_a_consent_date_without_being_told_is_refused(self, administrator):
        with pytest.raises(ValidationError):
            import_upload(user=administrator, file_name="a.xlsx", content=b"PK", consent_on=date(2024, 1, 1))


class TestCommunesAndValues:
    @pytest.mark.parametrize(
        ("written", "code"),
        [
            ("Xã Tịnh Khê", "21211"),
            ("tịnh khê", "21211"),
            ("Tinh Khe", "21211"),
            ("P. Sa Huỳnh", "21478"),
            ("21211", "21211"),
        ],
    )
    def test_a_commune_is_found_however_it_is_written(self, administrator, written, code):
        organisations = [["HTX A", "HTX", written, None, "1/1/2015", None, None, None, 0]]
        checked = upload(administrator, register_workbook(organisations=organisations, members=[]))
        assert checked.errors == []
        assert [organisation["commune"] for organisation in checked.organisations] == [
            apps.get_model("cooperatives", "AdministrativeUnit").objects.get(code=code, scheme="2025").name
        ]

    def test_a_pre_2025_commune_name_finds_the_commune_it_was_merged_into(self, administrator):
        """Old Quảng Phú (21016, Quảng Ngãi city) went into Phường Nghĩa Lộ (21028) on 1 July 2025."""
        organisations = [["HTX A", "HTX", "Phường Quảng Phú", None, "1/1/2015", None, None, None, 0]]
        checked = upload(administrator, register_workbook(organisations=organisations, members=[]))
        assert checked.errors == [] and checked.organisations[0]["commune"] == "Phường Nghĩa Lộ"

    def test_an_ambiguous_commune_is_refused_with_its_candidates(self, administrator):
        organisations = [["HTX A", "HTX", "Son Ha", None, "1/1/2015", None, None, None, 0]]
        checked = upload(administrator, register_workbook(organisations=organisations, members=[]))
        assert len(checked.errors) == 1
        assert "Xã Sơn Hà" in checked.errors[0]["message"] and "Xã Sơn Hạ" in checked.errors[0]["message"]

    def test_a_csv_register_of_members_imports_into_an_organisation_of_the_register(self, administrator):
        import_save(
            register_import=upload(
                administrator, register_workbook(organisations=demo_rows()[0][:1], members=demo_rows()[1][:1])
            ),
            user=administrator,
        )
        csv = "Họ và tên;Năm sinh;Giới tính;Tên HTX;Ngày vào;Vốn góp\r\nTrần Thị Hiền;1990;Nữ;HTX Nông nghiệp Tịnh Khê;1/7/2024;10.000.000\r\n"
        checked = import_check(
            register_import=import_upload(user=administrator, file_name="tv.csv", content=csv.encode("utf-16"))
        )
        assert checked.errors == [] and checked.counts["memberships"]["create"] == 1
        import_save(register_import=checked, user=administrator)
        assert Membership.objects.get(person__full_name="Trần Thị Hiền").capital_contributed == 10_000_000

    def test_a_person_with_a_citizen_id_is_one_person_in_two_organisations(self, administrator):
        organisations, members = demo_rows()
        members = [list(row) for row in members]
        for index in (0, 5):
            members[index] = [*members[index], None]
        content = xlsx(
            {
                "TV": [
                    ["Họ và tên", "Năm sinh", "Giới tính", "Tên HTX", "Ngày vào", "Số CCCD"],
                    ["Ngô Thị Sen", 1970, "Nữ", "HTX Nông nghiệp Tịnh Khê", "1/1/2020", 51170001234],
                    ["Ngô Thị Sen", 1970, "Nữ", "HTX Dệt thổ cẩm Sơn Hà", "1/1/2020", "051170001234"],
                ]
            }
        )
        organisations = [[*row[:6], None, None, 0] for row in organisations]
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=[])),
            user=administrator,
        )
        checked = upload(administrator, content)
        assert checked.errors == [] and checked.counts["people"]["create"] == 1
        assert checked.counts["memberships"]["create"] == 2

    def test_a_manager_missing_from_the_members_sheet_is_refused_on_the_organisation_row(self, administrator):
        organisations = [["HTX A", "HTX", "Xã Tịnh Khê", None, "1/1/2015", None, "Lê Thị Vắng", "Giám đốc", 0]]
        checked = upload(administrator, register_workbook(organisations=organisations, members=[]))
        assert [(error["row"], error["column"]) for error in checked.errors] == [(6, "Người quản lý / Họ tên")]


def test_gender_words_as_typed_by_many_hands(administrator):
    organisations = [["HTX A", "HTX", "Xã Tịnh Khê", None, "1/1/2015", None, None, None, 0]]
    members = [
        [f"Người {index}", 1980, gender, None, None, "HTX A", None, "1/1/2016", None]
        for index, gender in enumerate(["Nữ", "nữ", "NỮ", "Nữ ", nfd("Nữ"), "Nam", "nam"])
    ]
    checked = upload(administrator, register_workbook(organisations=organisations, members=members))
    import_save(register_import=checked, user=administrator)
    assert sorted(Person.objects.values_list("gender", flat=True)) == [Gender.FEMALE] * 5 + [Gender.MALE] * 2


class TestWhatTheTrialFound:
    """Faults a new user's trial found, each kept fixed."""

    def test_commune_staff_cannot_reach_an_organisation_or_person_outside_their_communes(
        self, administrator, commune_staff
    ):
        """Neither by an organisation's registration number nor by a person's citizen ID."""
        organisations = [["HTX Tịnh Khê", "HTX", "Xã Tịnh Khê", None, "1/1/2015", "4300123456", None, None, 1]]
        members = [["Nguyễn Văn Hùng", 1990, "Nam", None, "Tịnh Khê", "HTX Tịnh Khê", None, "1/1/2016", None]]
        outside = upload(administrator, register_workbook(organisations=organisations, members=members))
        import_save(register_import=outside, user=administrator)
        Person.objects.filter(full_name="Nguyễn Văn Hùng").update(citizen_id="051199004321")
        before = table_counts()
        organisations = [["HTX Chiếm Số ĐK", "HTX", "Phường Cẩm Thành", None, "1/1/2015", "4300123456", None, None, 0]]
        members = [["Cao Thị Ba", 1990, "Nữ", None, "Cẩm Thành", "HTX Cẩm Thành", None, "1/1/2022", None]]
        taking = upload(commune_staff, register_workbook(organisations=organisations, members=[]))
        assert [(error["row"], error["column"]) for error in taking.errors] == [(6, "Số đăng ký")]
        assert "Tịnh Khê" not in taking.errors[0]["message"]
        content = xlsx(
            {
                "TV": [
                    ["Họ và tên", "Năm sinh", "Giới tính", "Tên HTX", "Ngày vào", "Số CCCD"],
                    ["Cao Thị Ba", 1990, "Nữ", "HTX Cẩm Thành", "1/1/2022", "051199004321"],
                ]
            }
        )
        OrganisationFactory(name="HTX Cẩm Thành", founded_on=date(2015, 1, 1))
        before = table_counts()
        by_id = upload(commune_staff, content)
        assert [(error["row"], error["column"]) for error in by_id.errors] == [(2, "Số CCCD")]
        assert "Hùng" not in by_id.errors[0]["message"]
        assert table_counts() == before

    def test_one_citizen_id_for_two_names_and_one_person_with_two_sets_of_details_are_refused(self, administrator):
        organisations = [["HTX A", "HTX", "Xã Tịnh Khê", None, "1/1/2015", None, None, None, 0]]
        content = xlsx(
            {
                "TV": [
                    ["Họ và tên", "Năm sinh", "Giới tính", "Tên HTX", "Ngày vào", "Số CCCD"],
                    ["Võ Thị An", 1980, "Nữ", "HTX A", "1/1/2016", "051180000555"],
                    ["Lê Văn Bảo", 1991, "Nam", "HTX A", "1/1/2017", "051180000555"],
                    ["Trần Thị Cúc", 1985, "Nữ", "HTX A", "1/1/2016", "051185000666"],
                    ["Trần Thị Cúc", 1986, "Nữ", "HTX A", "1/1/2018", "051185000666"],
                ]
            }
        )
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=[])),
            user=administrator,
        )
        checked = upload(administrator, content)
        assert sorted((error["row"], error["column"]) for error in checked.errors) == [(3, "Số CCCD"), (5, "Năm sinh")]
        assert "Võ Thị An" in checked.errors[0]["message"] or "Võ Thị An" in checked.errors[1]["message"]

    def test_undo_puts_back_the_values_an_update_changed(self, administrator):
        organisations, members = demo_rows()
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=members)),
            user=administrator,
        )
        organisations[0] = [
            *organisations[0][:2],
            "Xã Tịnh Khê",
            "Nông nghiệp",
            date(2019, 3, 1),
            *organisations[0][5:],
        ]
        members[4] = [*members[4][:7], "1/6/2021", None]  # Cúc's joining date put right
        second = upload(administrator, register_workbook(organisations=organisations, members=members))
        assert second.errors == [] and second.counts["organisations"]["update"] == 1
        import_save(register_import=second, user=administrator)
        assert Organisation.objects.get(name__startswith="HTX Nông nghiệp").founded_on == date(2019, 3, 1)
        import_undo(register_import=second, user=administrator)
        assert Organisation.objects.get(name__startswith="HTX Nông nghiệp").founded_on == date(2019, 3, 15)
        assert Membership.objects.get(person__full_name="Huỳnh Thị Cúc").joined_on == date(2021, 1, 1)

    def test_a_preview_the_register_has_moved_away_from_is_not_saved(self, administrator):
        organisations, members = demo_rows()
        stale = upload(administrator, register_workbook(organisations=organisations, members=members))
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=members)),
            user=administrator,
        )
        before = table_counts()
        import_save(register_import=stale, user=administrator)
        assert stale.status == ImportStatus.CHECKED and stale.counts["organisations"]["unchanged"] == 3
        assert "đã thay đổi" in stale.notes[0]
        assert table_counts() == before

    def test_future_dates_are_refused_as_the_forms_refuse_them(self, administrator):
        organisations = [["HTX Năm 2030", "HTX", "Xã Tịnh Khê", None, "2030", None, None, None, 0]]
        members = [["Người Tương Lai", 2031, "Nữ", None, None, "HTX A", None, "1/1/2016", None]]
        checked = upload(administrator, register_workbook(organisations=organisations, members=members))
        assert sorted({(error["sheet"], error["row"]) for error in checked.errors}) == [
            ("Thành viên", 4),
            ("Tổ chức", 6),
        ]

    def test_a_consent_column_counts_only_when_the_user_declares_people_were_told(self, administrator):
        content = xlsx(
            {
                "TV": [
                    ["Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Ngày đồng ý ghi dân tộc", "Tên HTX", "Ngày vào"],
                    ["Đinh Thị Lài", 1980, "Nữ", "H're", "1/3/2024", "HTX A", "1/1/2016"],
                ]
            }
        )
        organisations = [["HTX A", "HTX", "Xã Tịnh Khê", None, "1/1/2015", None, None, None, 0]]
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=[])),
            user=administrator,
        )
        undeclared = upload(administrator, content)
        assert undeclared.notes and undeclared.counts["people"]["create"] == 1
        import_save(register_import=upload(administrator, content, consent_informed=True), user=administrator)
        lai = Person.objects.get(full_name="Đinh Thị Lài")
        assert (lai.ethnic_group.code, lai.ethnicity_consent_on) == ("19", date(2024, 3, 1))

    def test_a_repeated_organisation_row_is_named_and_its_members_still_checked(self, administrator):
        organisations, members = demo_rows()
        organisations = [[*organisations[0][:6], None, None, 0]] * 2
        members = [[*members[4][:7], "1/1/2010", None]]  # joined before the cooperative was founded
        checked = upload(administrator, register_workbook(organisations=organisations, members=members))
        assert sorted({(error["sheet"], error["row"]) for error in checked.errors}) == [
            ("Thành viên", 4),
            ("Tổ chức", 7),
        ]

    def test_ngay_ket_nap_is_the_date_of_joining_and_a_missing_one_is_said(self, administrator):
        content = xlsx(
            {
                "TV": [
                    ["Họ và tên", "Năm sinh", "Giới tính", "Tên HTX", "Ngày kết nạp"],
                    ["Trần Thị Hiền", 1990, "Nữ", "HTX A", "1/7/2018"],
                    ["Trần Thị Hạnh", 1990, "Nữ", "HTX A", None],
                ]
            }
        )
        organisations = [["HTX A", "HTX", "Xã Tịnh Khê", None, "1/1/2015", None, None, None, 0]]
        import_save(
            register_import=upload(administrator, register_workbook(organisations=organisations, members=[])),
            user=administrator,
        )
        checked = upload(administrator, content)
        assert checked.mapping["sheets"]["TV"]["columns"]["joined_on"] == 4
        assert any("1" in note and "thành lập" in note for note in checked.notes)


@pytest.mark.parametrize(
    ("written", "candidates"),
    [
        # Two pre-2025 wards had this name (Quảng Ngãi city and Đức Phổ town); a new commune has it too.
        ("Phường Nguyễn Nghiêm", {"Phường Cẩm Thành", "Phường Đức Phổ"}),
        ("Nguyễn Nghiêm", {"Phường Cẩm Thành", "Phường Đức Phổ", "Xã Nguyễn Nghiêm"}),
    ],
)
def test_a_name_two_schemes_give_to_different_places_is_refused_with_the_candidates(administrator, written, candidates):
    """DOMAIN.md: names and codes are reused across the two schemes for different places."""
    organisations = [["HTX A", "HTX", written, None, "1/1/2015", None, None, None, 0]]
    checked = upload(administrator, register_workbook(organisations=organisations, members=[]))
    assert len(checked.errors) == 1
    assert all(candidate in checked.errors[0]["message"] for candidate in candidates)


def test_a_full_name_of_today_is_never_ambiguous(administrator):
    organisations = [["HTX A", "HTX", "Xã Nguyễn Nghiêm", None, "1/1/2015", None, None, None, 0]]
    checked = upload(administrator, register_workbook(organisations=organisations, members=[]))
    assert checked.errors == [] and checked.organisations[0]["commune"] == "Xã Nguyễn Nghiêm"


def test_a_member_of_a_refused_organisation_is_listed_as_not_checked(administrator):
    """The organisation's row is refused (founded in the future); its member's row is named in a note."""
    organisations = [["HTX Tương Lai", "HTX", "Xã Tịnh Khê", None, "2031", None, "Lê Thị A", "Giám đốc", 1]]
    members = [["Lê Thị A", 1980, "Nữ", None, None, "HTX Tương Lai", None, "1/1/2016", "Giám đốc"]]
    checked = upload(administrator, register_workbook(organisations=organisations, members=members))
    assert [(error["sheet"], error["row"]) for error in checked.errors] == [("Tổ chức", 6)]
    assert any("4" in note and "Tổ chức" in note for note in checked.notes)


def test_a_preview_whose_changes_the_register_has_overtaken_is_not_saved(administrator):
    """Same counts, other values: another import changed the founding date the preview meant to change."""
    organisations, members = demo_rows()
    import_save(
        register_import=upload(administrator, register_workbook(organisations=organisations, members=members)),
        user=administrator,
    )
    first = [[*organisations[0][:4], date(2019, 3, 1), *organisations[0][5:]], *organisations[1:]]
    stale = upload(administrator, register_workbook(organisations=first, members=members))
    second = [[*organisations[0][:4], date(2019, 2, 1), *organisations[0][5:]], *organisations[1:]]
    import_save(
        register_import=upload(administrator, register_workbook(organisations=second, members=members)),
        user=administrator,
    )
    import_save(register_import=stale, user=administrator)
    assert stale.status == ImportStatus.CHECKED
    assert Organisation.objects.get(name__startswith="HTX Nông nghiệp").founded_on == date(2019, 2, 1)
