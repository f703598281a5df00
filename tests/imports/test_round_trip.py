"""The portal's own register downloads, imported into an empty register, give back the same figures.

An office that downloads the organisations and members registers of a day (in either of the
portal's languages), puts both sheets into one workbook and imports it into an empty portal finds
the figures it left: organisations existing, the women-managed ones, their members, women members
and women in management, for each kind of organisation, by commune, sector, legal form, member type
and age band, and the yearly trend up to that day. The expected figures are those the report
selectors give for the register written through the services before the download.

The downloads list what is in force on the chosen day and no identifiers, so the drawn registers
keep to what they can carry back: memberships and terms that have not ended, each term starting on
its holder's joining day (the members register has no term dates, and the import starts a term on
the joining day), every manager a member, people known by a year of birth (no download has the date
of birth), each with a name of her own and in one organisation (without a citizen ID the import
tells people apart by name, year of birth and commune), organisations with names of their own, and
people without a commune of residence (the members register's commune is the organisation's, and the
import reads it as the member's own). The last test shows the register that breaks the last two.

Ethnicity is sensitive personal data and leaves the portal in no list, so the number of
organisations with ethnic-minority members and the figures by ethnic group are not compared: after
the import every member's ethnic group is "not stated".
"""

import io
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import Workbook, load_workbook

from cooperatives.models import AdministrativeUnit, Organisation, Sector
from cooperatives.reference import SECTORS
from cooperatives.services import organisation_register
from coopportal.accounts.models import Role as AccountRole
from imports.models import ImportStatus
from imports.services import import_check, import_save, import_upload
from members.models import ManagementPosition, Membership, Person, member_types_for
from members.roles import SINGLE_HOLDER_ROLES, Role, roles_allowed_for, top_role_for
from members.selectors import women_managed_cooperatives_headline
from members.services import membership_add, person_create, position_appoint
from reports.selectors import statistics
from tests.factories import UserFactory, member

FIRST_FOUNDING = date(2000, 1, 1)  # the last founding is in 2012 and the day drawn by 2023, before any "today"
# Cooperatives twice, so that most drawn registers have some; groups and unions have a governance model too.
KINDS = [
    ("cooperative", "full"),
    ("cooperative", "full"),
    ("cooperative", "simplified"),
    ("cooperative", "simplified"),
    ("group", "full"),
    ("group", "simplified"),
    ("union", "full"),
]
ETHNIC_BREAKDOWNS = {"ethnic_group", "ethnic_group_by_commune"}
NOT_COMPARED = {"as_of", "with_ethnic_minority_members"}

# "top" stands for the organisation's top role, so that many drawn registers have women-managed organisations.
roles = st.lists(st.sampled_from(["top", "top", "top", "top", *sorted(Role.values)]), max_size=2, unique=True)
members = st.lists(
    st.fixed_dictionaries(
        {
            "gender": st.sampled_from(["female", "female", "male"]),
            # Official members are 18 on joining; with a year of birth only, age is the difference of the years.
            "age_on_joining": st.integers(min_value=18, max_value=70),
            "days_after_founding": st.integers(min_value=0, max_value=8 * 365),
            "member_type": st.integers(min_value=0, max_value=2),  # an index into the legal form's member types
            "roles": roles,
        }
    ),
    min_size=1,
    max_size=8,
)
organisations = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(KINDS),
            "commune": st.integers(min_value=0, max_value=10_000),  # an index into the province's communes
            "founded_on": st.integers(min_value=0, max_value=12 * 365).map(
                lambda days: FIRST_FOUNDING + timedelta(days=days)
            ),
            "sectors": st.sets(st.sampled_from([code for code, _vi, _en in SECTORS]), max_size=2),
            # Written as text in the download: a leading zero must survive.
            "registration_number": st.one_of(st.none(), st.from_regex(r"0?[0-9]{8}", fullmatch=True)),
            "members": members,
        }
    ),
    min_size=1,
    max_size=4,
)


def province_communes():
    return list(
        AdministrativeUnit.objects.filter(
            level="commune", scheme="2025", parent__code=django_settings.PORTAL_PROVINCE_CODE
        ).order_by("code")
    )


def register(organisation_rows):
    """Write the drawn register through the services; returns the last joining day.

    A drawn role the organisation's governance does not have, or a single-holder role someone
    already holds, is left out, as the forms would refuse it.
    """
    communes = province_communes()
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    last_joining = FIRST_FOUNDING
    for index, row in enumerate(organisation_rows):
        legal_form, governance = row["kind"]
        commune = communes[row["commune"] % len(communes)]
        registration = row["registration_number"]
        organisation = organisation_register(
            name=f"HTX số {index} {commune.name}",
            legal_form=legal_form,
            governance=governance,
            commune=commune,
            founded_on=row["founded_on"],
            registration_number=f"{registration}{index}" if registration else None,  # unique, as the register requires
            sectors=[sectors[code] for code in sorted(row["sectors"])],
        )
        allowed = roles_allowed_for(legal_form, governance)
        types = member_types_for(legal_form)
        held = set()
        for number, drawn in enumerate(row["members"]):
            joined_on = row["founded_on"] + timedelta(days=drawn["days_after_founding"])
            last_joining = max(last_joining, joined_on)
            person = person_create(
                full_name=f"Thành viên {index}-{number}",
                gender=drawn["gender"],
                birth_year=joined_on.year - drawn["age_on_joining"],
            )
            membership_add(
                person=person,
                organisation=organisation,
                member_type=types[drawn["member_type"] % len(types)],
                joined_on=joined_on,
            )
            for word in drawn["roles"]:
                role = top_role_for(legal_form, governance) if word == "top" else word
                if role not in allowed or role in held & SINGLE_HOLDER_ROLES:
                    continue
                held.add(role)
                position_appoint(person=person, organisation=organisation, role=role, started_on=joined_on)
    return last_joining


def figures(day):
    """Every figure of the report on ``day`` but the ethnic ones, as plain values to compare."""
    report = statistics(as_of=day)

    def headline(figures):
        return {name: value for name, value in figures.as_dict().items() if name not in NOT_COMPARED}

    return {
        "headline": [
            (row.key, row.existing, row.in_management, headline(row.women_managed)) for row in report.headline
        ],
        "breakdowns": {
            key: [(row.label, row.cells) for row in breakdown.rows]
            for key, breakdown in report.breakdowns.items()
            if key not in ETHNIC_BREAKDOWNS
        },
        "trend": [
            (point.day, point.women_managed_organisations, headline(point.cooperatives)) for point in report.trend
        ],
    }


def downloaded_workbook(user, day, language="vi"):
    """The organisations and members registers on ``day`` as downloaded, their sheets put into one workbook."""
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language  # as the language switcher sets it
    workbook = Workbook()
    workbook.remove(workbook.active)
    for url_name in ("reports:organisations_download", "reports:members_download"):
        # The request activates the cookie's language; the test goes on in its own.
        with translation.override(translation.get_language()):
            response = client.get(reverse(url_name, args=["xlsx"]), {"as_of": day.isoformat()})
        assert response.status_code == 200, response.content[:500]
        for downloaded in load_workbook(io.BytesIO(response.content)).worksheets:
            sheet = workbook.create_sheet(downloaded.title)
            for row in downloaded.iter_rows(values_only=True):
                sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cells(content):
    """``{sheet title: rows of values}`` of a workbook."""
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def empty_the_register():
    """The register goes, as in a new portal; reference data and accounts stay."""
    ManagementPosition.objects.all().delete()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()


def imported(content, user):
    """The workbook checked and saved; returns the check's refused rows (nothing is saved when there are any)."""
    checked = import_check(register_import=import_upload(user=user, file_name="dang-ky.xlsx", content=content))
    if checked.errors:
        return checked.errors
    assert import_save(register_import=checked, user=user).status == ImportStatus.SAVED
    return []


def headline_sentence(day):
    headline = women_managed_cooperatives_headline(day)
    return headline.organisations, headline.members, headline.women_members, headline.women_in_management


class DownloadsImportedBack(TestCase):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        organisation_rows=organisations,
        days_after_last_joining=st.integers(min_value=0, max_value=3 * 365),
        language=st.sampled_from(["vi", "en"]),
    )
    def test_a_days_downloads_imported_into_an_empty_register_give_that_days_figures(
        self, organisation_rows, days_after_last_joining, language
    ):
        """Whatever the register, the day and the language, its two downloads imported into an empty portal give
        its figures back, and download again unchanged."""
        staff = UserFactory(role=AccountRole.STAFF, province_wide=True)
        administrator = UserFactory(role=AccountRole.ADMINISTRATOR)
        day = register(organisation_rows) + timedelta(days=days_after_last_joining)
        sentence, expected = headline_sentence(day), figures(day)
        # `pytest --hypothesis-show-statistics` shows how often the drawn registers had something to count.
        event(f"women-managed cooperatives: {min(sentence[0], 2)}")
        content = downloaded_workbook(staff, day, language)

        empty_the_register()
        self.assertEqual(headline_sentence(day), (0, 0, 0, 0))
        self.assertEqual(imported(content, administrator), [])

        self.assertEqual(headline_sentence(day), sentence)
        self.assertEqual(figures(day), expected)
        # Every column carried back: the imported register downloads as the file it came from.
        self.assertEqual(cells(downloaded_workbook(staff, day, language)), cells(content))


@pytest.mark.django_db
def test_two_organisations_with_one_name_come_back_with_their_members_where_they_live(
    provincial_staff, administrator, commune_a, commune_b
):
    """Two cooperatives called "HTX Nông nghiệp", in two communes, each chaired by a woman who lives in the other
    commune, come back with their figures, and the women still live where they did."""
    day = date(2024, 6, 30)
    for commune, home in ((commune_a, commune_b), (commune_b, commune_a)):
        organisation = organisation_register(
            name="HTX Nông nghiệp", legal_form="cooperative", commune=commune, founded_on=date(2015, 1, 1)
        )
        chair = member(organisation, joined_on=date(2016, 1, 1), full_name=f"Chủ tịch {commune.name}", commune=home)
        position_appoint(person=chair.person, organisation=organisation, role="chair", started_on=date(2016, 1, 1))
    sentence, expected = headline_sentence(day), figures(day)
    assert sentence == (2, 2, 2, 2)
    homes = dict(Person.objects.values_list("full_name", "commune__code"))
    content = downloaded_workbook(provincial_staff, day)

    empty_the_register()
    assert imported(content, administrator) == []
    assert headline_sentence(day) == sentence
    assert figures(day) == expected
    assert dict(Person.objects.values_list("full_name", "commune__code")) == homes
