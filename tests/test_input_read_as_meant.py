"""Input is read as it was meant, or refused with a message: never silently changed (issue 9)."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from cooperatives.models import Organisation, Status
from coopportal.fields import parse_amount
from coopportal.text import identity_key, normalise_line, normalise_lines
from members.models import Gender, Membership, Person
from tests.cooperatives.test_views import organisation_form_data
from tests.factories import OrganisationFactory
from tests.members.test_forms import add_member, new_member_data, snapshot
from tests.submissions import post_new
from tests.workshops.factories import make_workshop
from workshops import services as workshop_services
from workshops.importers import read_sign_in_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def cooperative(commune_a):
    return OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân", commune=commune_a, founded_on=date(2015, 3, 1))


@pytest.fixture
def staff_client(client, provincial_staff):
    client.force_login(provincial_staff)
    return client


def codes(response, field, form="person_form"):
    return [error.code for error in response.context[form].errors.as_data()[field]]


class TestText:
    def test_a_name_is_stored_in_one_form_whatever_the_keyboard(self, staff_client, cooperative):
        """NFD from a Mac, doubled and trailing spaces, a tab pasted from Excel: one spelling is stored."""
        typed = unicodedata.normalize("NFD", "  Hồ  Thị\tNga ")
        response = add_member(staff_client, cooperative, new_member_data(**{"new-full_name": typed}))
        assert response.status_code == 302
        person = Person.objects.get()
        assert person.full_name == "Hồ Thị Nga"
        assert person.full_name == unicodedata.normalize("NFC", person.full_name)
        assert person.history.get().full_name == "Hồ Thị Nga"

    def test_a_name_too_long_is_refused_not_cut(self, staff_client, cooperative):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-full_name": "Nga " * 125}))
        assert codes(response, "full_name") == ["max_length"]
        assert snapshot() == before

    def test_no_field_is_cut_by_the_browser(self, staff_client, cooperative):
        """Lengths are the server's to check, with a message: no ``maxlength`` truncates silently."""
        pages = [
            reverse("members:membership_add", args=[cooperative.pk]),
            reverse("cooperatives:update", args=[cooperative.pk]),
            reverse("cooperatives:create"),
        ]
        for url in pages:
            assert "maxlength" not in staff_client.get(url).content.decode(), url

    @pytest.mark.parametrize("character", ["\x00", "\x1f", "\u200b", "\u202e", "\ufeff"])
    def test_a_control_character_is_refused_with_a_message(self, staff_client, cooperative, character):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-full_name": f"Hồ Thị{character}Nga"}))
        assert response.status_code == 200
        assert codes(response, "full_name") == ["control_character"]
        assert snapshot() == before

    def test_notes_keep_their_lines_and_lose_stray_spaces(self, commune_a):
        organisation = OrganisationFactory(commune=commune_a)
        organisation.notes = "  Họp   thường kỳ\r\n\r\n  tháng 3  \r\n"
        organisation.full_clean()
        assert organisation.notes == "Họp thường kỳ\n\ntháng 3"

    def test_the_normalisations(self):
        assert normalise_line("\u00a0a \u2003 b\n") == "a b"
        assert normalise_line(None) is None
        assert normalise_lines("a\u2028b  c") == "a\nb c"
        assert identity_key(unicodedata.normalize("NFD", "Nguyễn  Thị HÒA")) == identity_key("nguyễn thị hòa")
        assert identity_key("Nguyễn Thị Hoa") != identity_key("Nguyễn Thị Hòa")


class TestCitizenIdAndPhone:
    @pytest.mark.parametrize(
        "citizen_id",
        [
            "0451890012345",  # 13 digits: refused, not cut to 12
            "04518900123",
            "０４５１８９００１２３４",  # fullwidth digits
            "٠٤٥١٨٩٠٠١٢٣٤",  # Arabic-Indic digits
            "0451 8900 1234",
        ],
    )
    def test_a_citizen_id_is_twelve_ascii_digits(self, staff_client, cooperative, citizen_id):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-citizen_id": citizen_id}))
        assert codes(response, "citizen_id")[0] in {"invalid_citizen_id", "max_length"}
        assert snapshot() == before

    @pytest.mark.parametrize(
        "phone, stored",
        [
            ("0905123456", "0905123456"),
            ("0905 123 456", "0905123456"),
            ("0905.123.456", "0905123456"),
            ("+84 905 123 456", "0905123456"),
            ("0255 3822 123", "02553822123"),
            ("1900 1234", "19001234"),
        ],
    )
    def test_a_vietnamese_phone_is_stored_in_its_national_form(self, staff_client, cooperative, phone, stored):
        response = add_member(staff_client, cooperative, new_member_data(**{"new-phone": phone}))
        assert response.status_code == 302
        assert Person.objects.get().phone == stored

    @pytest.mark.parametrize("phone", ["abc123", "0905 123 45", "090512345678", "０９０５１２３４５６", "1234567890"])
    def test_what_is_not_a_phone_is_refused(self, staff_client, cooperative, phone):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-phone": phone}))
        assert codes(response, "phone") == ["invalid_phone"]
        assert snapshot() == before


class TestOrganisationDates:
    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"status": Status.DISSOLVED, "status_changed_on": "2019-05-19"}, "status_changed_on"),
            ({"status": Status.SUSPENDED, "status_changed_on": "2010-01-01"}, "status_changed_on"),
            ({"registration_date": "2019-05-01"}, "registration_date"),
            ({"supported_since": "2018-12-31"}, "supported_since"),
        ],
    )
    def test_nothing_happens_to_an_organisation_before_it_is_founded(self, staff_client, commune_a, changes, field):
        response = post_new(
            staff_client, reverse("cooperatives:create"), organisation_form_data(commune=commune_a.pk, **changes)
        )
        assert response.status_code == 200
        [error] = response.context["form"].errors.as_data()[field]
        assert error.code == "before_founding"
        assert "20/05/2019" in error.messages[0]
        assert not Organisation.objects.exists()

    def test_the_same_day_as_founding_is_allowed(self, staff_client, commune_a):
        data = organisation_form_data(
            commune=commune_a.pk, registration_date="2019-05-20", supported_since="2019-05-20"
        )
        assert post_new(staff_client, reverse("cooperatives:create"), data).status_code == 302

    @pytest.mark.parametrize("field", ["registration_date", "status_changed_on", "supported_since"])
    def test_the_database_refuses_a_date_before_founding_written_around_the_forms(self, commune_a, field):
        organisation = OrganisationFactory(commune=commune_a, founded_on=date(2019, 5, 20))
        with pytest.raises(IntegrityError), transaction.atomic():
            Organisation.objects.filter(pk=organisation.pk).update(**{field: date(2019, 5, 19)})


class TestAmounts:
    @pytest.mark.parametrize(
        "typed, dong",
        [("10,000", 10_000), ("10.000", 10_000), ("10 000", 10_000), ("1.000.000.000", 10**9), ("7", 7)],
    )
    def test_thousands_separators_of_either_language(self, typed, dong):
        assert parse_amount(typed) == dong

    @pytest.mark.parametrize("typed", ["10,5", "1.000,5", "1 000.000", "10.0000", ",000", "1..000", "", "9" * 20])
    def test_an_amount_that_could_be_misread_is_refused(self, typed):
        with pytest.raises(ValueError):
            parse_amount(typed)

    def test_the_correct_form_reads_amounts_the_same_way(self, staff_client, cooperative):
        add_member(staff_client, cooperative, new_member_data())
        membership = Membership.objects.get()
        response = staff_client.get(reverse("members:membership_correct", args=[membership.pk]))
        assert 'value="2.000.000"' in response.content.decode()


class TestParticipantIdentity:
    def test_hoa_and_hoa_with_a_tone_mark_are_two_participants(self):
        """Search ignores tone marks; identity does not: Hoa and Hòa are two names (issue 9)."""
        workshop = make_workshop()
        for name in ("Nguyễn Thị Hoa", "Nguyễn Thị Hòa"):
            workshop_services.participant_add(
                workshop=workshop, full_name=name, gender=Gender.FEMALE, organisation_name="HTX Đồng Xuân"
            )
        assert workshop.participants.count() == 2

    def test_a_sign_in_sheet_with_hoa_and_hoa_with_a_tone_mark_imports_both(self):
        workshop = make_workshop()
        text = "Họ và tên\tGiới tính\tĐơn vị\nNguyễn Thị Hoa\tNữ\tHTX Đồng Xuân\nNguyễn Thị Hòa\tNữ\tHTX Đồng Xuân\n"
        workshop_services.participants_import(workshop=workshop, rows=read_sign_in_sheet(text=text))
        assert sorted(workshop.participants.values_list("full_name", flat=True)) == [
            "Nguyễn Thị Hoa",
            "Nguyễn Thị Hòa",
        ]


class TestNul:
    @pytest.mark.parametrize(
        "url, params",
        [
            ("admin:members_person_changelist", {"gender__exact": "\x00"}),
            ("admin:members_person_changelist", {"q": "Hoa\x00"}),
            ("members:list", {"q": "\x00"}),
            ("cooperatives:list", {"\x00": "1"}),
            ("reports:dashboard", {"as_of": "2024-09-26\x00"}),
        ],
    )
    def test_a_nul_in_any_query_parameter_answers_a_page_that_says_why(self, client, administrator, url, params):
        """PostgreSQL cannot compare NUL: anywhere in a query string it was a 500 waiting for a filter to use it."""
        client.force_login(administrator)
        response = client.get(reverse(url), params)
        assert response.status_code == 400
        assert "Không đọc được yêu cầu" in response.content.decode()


TOO_LARGE_ID = "9" * 19


class TestIdsNoDatabaseHolds:
    def test_a_sector_id_too_large_is_an_invalid_choice(self, provincial_staff, commune_a):
        from cooperatives.forms import OrganisationForm

        form = OrganisationForm(
            data=organisation_form_data(commune=commune_a.pk, sectors=[TOO_LARGE_ID]), user=provincial_staff
        )
        assert [error.code for error in form.errors.as_data()["sectors"]] == ["invalid_pk_value"]

    def test_a_theme_id_too_large_is_an_invalid_choice(self, provincial_staff):
        from workshops.forms import WorkshopForm

        data = {
            "title": "Hội thảo",
            "organiser_level": "province",
            "start_date": "2024-09-26",
            "end_date": "2024-09-26",
            "status": "held",
            "themes": [TOO_LARGE_ID],
        }
        form = WorkshopForm(data=data, user=provincial_staff)
        assert [error.code for error in form.errors.as_data()["themes"]] == ["invalid_pk_value"]

    @pytest.mark.parametrize(
        "url, params",
        [
            ("reports:dashboard", {"commune": TOO_LARGE_ID}),
            ("cooperatives:list", {"sector": TOO_LARGE_ID, "commune": TOO_LARGE_ID}),
            ("members:list", {"commune": TOO_LARGE_ID, "organisation": TOO_LARGE_ID}),
        ],
    )
    def test_a_filter_id_too_large_is_no_server_error(self, staff_client, url, params):
        assert staff_client.get(reverse(url), params).status_code in (200, 400)


class TestDatesOfTheRegister:
    @pytest.mark.parametrize("day, code", [("0001-01-01", "before_registers"), ("1899-12-31", "before_registers")])
    def test_a_year_that_is_a_slip_is_refused_on_an_organisation(self, staff_client, commune_a, day, code):
        response = post_new(
            staff_client,
            reverse("cooperatives:create"),
            organisation_form_data(commune=commune_a.pk, founded_on=day, registration_date=day, supported_since=""),
        )
        assert response.status_code == 200
        assert code in [error.code for error in response.context["form"].errors.as_data()["founded_on"]]
        assert not Organisation.objects.exists()

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_a_workshop_in_year_1_or_9999_is_refused(self, provincial_staff, day):
        from workshops.forms import WorkshopForm

        data = {"title": "Hội thảo", "organiser_level": "province", "start_date": day, "end_date": day}
        form = WorkshopForm(data={**data, "status": "planned"}, user=provincial_staff)
        assert not form.is_valid()
        assert {"before_registers", "too_far_ahead"} & {error.code for error in form.errors.as_data()["start_date"]}

    def test_a_workshop_planned_for_next_year_is_accepted(self, provincial_staff):
        from workshops.forms import WorkshopForm

        day = date(date.today().year + 1, 3, 8).isoformat()
        data = {"title": "Hội thảo", "organiser_level": "province", "start_date": day, "end_date": day}
        assert WorkshopForm(data={**data, "status": "planned"}, user=provincial_staff).is_valid()


class TestOneNameWrittenTwoWays:
    def test_the_old_and_the_new_tone_placement_are_one_participant(self):
        workshop = make_workshop()
        workshop_services.participant_add(
            workshop=workshop, full_name="Nguyễn Thị Hòa", gender=Gender.FEMALE, organisation_name="Sở Y tế"
        )
        with pytest.raises(ValidationError) as refusal:
            workshop_services.participant_add(
                workshop=workshop, full_name="Nguyễn Thị Hoà", gender=Gender.FEMALE, organisation_name="Sở Y tế"
            )
        assert refusal.value.error_dict["full_name"][0].code == "participant_already_listed"
        assert identity_key("Thuỷ") == identity_key("Thủy") != identity_key("Thủ")

    def test_an_abbreviated_legal_form_is_the_same_name(self, commune_a):
        from cooperatives.selectors import likely_duplicate_organisations

        existing = OrganisationFactory(name="HTX Thử Nghiệm", commune=commune_a)
        assert likely_duplicate_organisations("Hợp tác xã Thử nghiệm", commune_a) == [existing]
        assert likely_duplicate_organisations("Tổ hợp tác Thử nghiệm", commune_a) == []

    @pytest.mark.parametrize("text", ["\u0301abc", "Hồ \u0301Nga"])
    def test_an_accent_over_nothing_is_refused(self, staff_client, cooperative, text):
        before = snapshot()
        response = add_member(staff_client, cooperative, new_member_data(**{"new-full_name": text}))
        assert codes(response, "full_name") == ["stray_accent"]
        assert snapshot() == before

    def test_a_letter_with_a_mark_unicode_has_no_single_character_for_is_kept(self):
        organisation = OrganisationFactory(name="HTX Bơ̆ng")  # Bahnar: ơ with a breve
        organisation.full_clean()
        assert organisation.name == "HTX Bơ̆ng"


def test_a_nul_in_the_login_name_is_refused_in_vietnamese(client):
    response = client.post(reverse("accounts:login"), {"username": "canbo\x00", "password": "x"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["username"]
    assert "ký tự điều khiển" in message


def test_the_nul_page_is_the_portal_s_own_even_with_debug_on(client, administrator, settings):
    """``make run`` runs with DEBUG on: the answer is still the Vietnamese page, not Django's debug page."""
    settings.DEBUG = True
    client.force_login(administrator)
    response = client.get(reverse("members:list"), {"q": "\x00"})
    assert response.status_code == 400
    assert "Không đọc được yêu cầu" in response.content.decode()


@pytest.mark.parametrize(
    "text, code",
    [("abc\u0301\u0301", "stray_accent"), ("Hồ\x00", "control_character")],
)
def test_django_s_messages_on_these_are_vietnamese_too(text, code):
    from django import forms

    from coopportal.fields import TextLineFormField

    field = TextLineFormField()
    with pytest.raises(ValidationError) as refusal:
        field.clean(text)
    assert [error.code for error in refusal.value.error_list] == [code]
    with pytest.raises(ValidationError) as refusal:
        forms.IntegerField(min_value=1900).clean("1800")
    assert refusal.value.messages == ["Đảm bảo giá trị này lớn hơn hoặc bằng 1900."]
    with pytest.raises(ValidationError) as refusal:
        forms.CharField().clean("a\x00")
    assert refusal.value.messages == ["Không được có ký tự NUL."]
