"""Every URL of the portal, tried by each role with the ids of rows it must not reach.

One of everything (organisation, two people, their memberships, a chair's term, a commune workshop
with a participant, a presentation and a proposed solution) is put in Phường Cẩm Thành, the commune
staff's scope, and the same in Xã Sơn Hà, outside it; a provincial report is issued. Each URL
pattern of the portal must say below which row its arguments name, so a pattern added later is
tried too. For each one:
- commune staff get 403 or 404 on the rows of Sơn Hà, by GET and by POST, and nothing changes;
  their lists, searches and downloads leave those rows out;
- officials change nothing, and no page or download (HTML, JSON, CSV, XLSX, PDF) gives them an
  individual's phone, citizen ID, date of birth or ethnic group, or the name of a plain member;
- anonymous POSTs change nothing either, and every POST form carries a CSRF token.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cooperatives.models import AdministrativeUnit, Organisation
from coopportal.accounts.models import Role
from imports.services import import_check, import_upload
from members.merging import person_merge
from members.models import EthnicGroup
from members.roles import Role as ManagementRole
from members.services import membership_add
from reports.selectors import ReportFilters
from reports.services import report_issue
from workshops import services as workshop_services
from workshops.models import DiscussionTheme, OrganiserLevel

from .factories import PASSWORD, OrganisationFactory, PersonFactory, UserFactory, appoint, member
from .imports.workbooks import register_workbook
from .submissions import post_new, with_token
from .test_urls import ALL_PAGES
from .workshops.factories import add_participant, make_workshop, propose

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Rows:
    """The ids of one commune's set of rows, and the words that show them on a page."""

    commune: int
    commune_code: str
    organisation: int
    chair: int
    member: int
    neighbour: int
    membership: int
    position: int
    workshop: int
    participant: int
    presentation: int
    solution: int
    register_import: int
    merge: int
    names: tuple
    chair_name: str
    chair_phone: str
    chair_citizen_id: str
    chair_birth_date: date
    chair_ethnic_group: str
    member_name: str
    member_citizen_id: str

    @property
    def sensitive(self):
        """What officials never receive: individuals' contact details, identity, birth date; the member list."""
        birth = self.chair_birth_date
        return (
            self.chair_phone,
            self.chair_citizen_id,
            self.member_citizen_id,
            birth.strftime("%d/%m/%Y"),
            birth.isoformat(),
            self.member_name,
        )


@dataclass(frozen=True)
class World:
    inside: Rows
    outside: Rows
    issued_report: int


def commune_rows(code, *, organisation, chair, chair_phone, chair_id, chair_birth, member_name, member_id, words):
    """One organisation with a chair and a plain member, and a commune workshop, in commune ``code``."""
    commune = AdministrativeUnit.objects.get(level="commune", scheme="2025", code=code)
    hre, co = EthnicGroup.objects.get(code="19"), EthnicGroup.objects.get(code="30")
    consent = {"ethnicity_consent_on": date(2023, 1, 5), "ethnicity_consent_informed": True}
    coop = OrganisationFactory(name=organisation, commune=commune, phone="0255 3822 111")
    chair_membership = member(
        coop,
        full_name=chair,
        commune=commune,
        phone=chair_phone,
        citizen_id=chair_id,
        birth_year=chair_birth.year,
        birth_date=chair_birth,
        ethnic_group=hre,
        **consent,
    )
    position = appoint(chair_membership, ManagementRole.CHAIR)
    plain = member(coop, full_name=member_name, commune=commune, citizen_id=member_id, ethnic_group=co, **consent)
    # In the commune's register by where she lives, a member of nothing yet.
    neighbour = PersonFactory(full_name=f"Người dân {words}", commune=commune)
    workshop = make_workshop(
        title=f"Hội thảo {words}", organiser_level=OrganiserLevel.COMMUNE, commune=commune, venue="Nhà văn hoá"
    )
    participant = add_participant(workshop, full_name=f"Đại biểu {words}", organisation_name=organisation)
    presentation = workshop_services.presentation_add(
        workshop=workshop, title=f"Tham luận {words}", presenter=f"Báo cáo viên {words}"
    )
    solution = propose(workshop, text=f"Giải pháp {words}", proposed_by=participant)
    # A register import of the commune's, checked, with a refused row (so that its refused rows download).
    register_import = import_check(
        register_import=import_upload(
            user=UserFactory(username=f"importer-{code}", role=Role.ADMINISTRATOR),
            file_name=f"so-dang-ky-{code}.xlsx",
            content=register_workbook(
                organisations=[[f"HTX nhập từ tệp {code}", "HTX", commune.name, None, "1/1/2015", None, None, None, 1]],
                members=[["Người nhập sai", 1980, "X", None, None, f"HTX nhập từ tệp {code}", None, "1/1/2016", None]],
            ),
        )
    )
    assert register_import.errors and list(register_import.communes.all()) == [commune]
    # Two records of one resident, merged by province-wide staff (so that the merge's pages have a row to name).
    merge = person_merge(
        kept=PersonFactory(full_name=f"Người nhập hai lần {words}", commune=commune),
        merged=PersonFactory(full_name=f"Người nhập hai lần {words}", commune=commune),
        user=UserFactory(username=f"merger-{code}", role=Role.STAFF, province_wide=True),
    )
    return Rows(
        commune=commune.pk,
        commune_code=code,
        organisation=coop.pk,
        chair=chair_membership.person_id,
        member=plain.person_id,
        neighbour=neighbour.pk,
        membership=plain.pk,
        position=position.pk,
        workshop=workshop.pk,
        participant=participant.pk,
        presentation=presentation.pk,
        solution=solution.pk,
        register_import=register_import.pk,
        merge=merge.pk,
        names=(
            organisation,
            chair,
            member_name,
            workshop.title,
            participant.full_name,
            presentation.title,
            solution.text,
        ),
        chair_name=chair,
        chair_phone=chair_phone,
        chair_citizen_id=chair_id,
        chair_birth_date=chair_birth,
        chair_ethnic_group=hre.name_vi,
        member_name=member_name,
        member_citizen_id=member_id,
    )


def both_communes_rows():
    """One of everything in Cẩm Thành (commune staff's scope) and in Trà Nô (outside it): ``(inside, outside)``."""
    inside = commune_rows(
        "21025",
        organisation="Hợp tác xã Nông nghiệp Cẩm Thành Xanh",
        chair="Trần Thị Ngọc Bích",
        chair_phone="0905111222",
        chair_id="051185000111",
        chair_birth=date(1985, 3, 12),
        member_name="Lê Thị Hồng Nhung",
        member_id="051190000222",
        words="riêng của phường Cẩm Thành",
    )
    outside = commune_rows(
        "21289",
        organisation="Hợp tác xã Mây tre đan Trà Nô",
        chair="Đinh Thị Sương Mai",
        chair_phone="0914333444",
        chair_id="051178000333",
        chair_birth=date(1978, 11, 23),
        member_name="Hồ Thị Mến Thương",
        member_id="051192000444",
        words="riêng của xã bên kia",
    )
    return inside, outside


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Both communes' rows and an issued report, made once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        inside, outside = both_communes_rows()
        issuer = UserFactory(username="issuer", role=Role.ADMINISTRATOR)
        report = report_issue(issued_by=issuer, as_of=date.today(), filters=ReportFilters())
        yield World(inside=inside, outside=outside, issued_report=report.pk)
        transaction.set_rollback(True)


# URLs naming one row: their arguments, from one commune's rows (and the issued report).
OBJECT_URLS = {
    "cooperatives:detail": lambda rows, report: {"pk": rows.organisation},
    "cooperatives:update": lambda rows, report: {"pk": rows.organisation},
    "cooperatives:delete": lambda rows, report: {"pk": rows.organisation},
    "members:detail": lambda rows, report: {"pk": rows.chair},
    "members:update": lambda rows, report: {"pk": rows.chair},
    "members:consent_withdraw": lambda rows, report: {"pk": rows.chair},
    "members:delete": lambda rows, report: {"pk": rows.chair},
    "members:merge": lambda rows, report: {"pk": rows.chair, "other": rows.member},
    "members:merge_detail": lambda rows, report: {"pk": rows.merge},
    "members:merge_undo": lambda rows, report: {"pk": rows.merge},
    "members:membership_add": lambda rows, report: {"pk": rows.organisation},
    "members:position_appoint": lambda rows, report: {"pk": rows.organisation},
    "members:membership_end": lambda rows, report: {"pk": rows.membership},
    "members:position_end": lambda rows, report: {"pk": rows.position},
    "members:membership_correct": lambda rows, report: {"pk": rows.membership},
    "members:position_correct": lambda rows, report: {"pk": rows.position},
    "members:membership_delete": lambda rows, report: {"pk": rows.membership},
    "members:position_delete": lambda rows, report: {"pk": rows.position},
    "workshops:detail": lambda rows, report: {"pk": rows.workshop},
    "workshops:update": lambda rows, report: {"workshop_pk": rows.workshop},
    "workshops:report_pdf": lambda rows, report: {"pk": rows.workshop},
    "workshops:participant_add": lambda rows, report: {"workshop_pk": rows.workshop},
    "workshops:sign_in_sheet": lambda rows, report: {"workshop_pk": rows.workshop},
    "workshops:participant_update": lambda rows, report: {"workshop_pk": rows.workshop, "pk": rows.participant},
    "workshops:participant_remove": lambda rows, report: {"workshop_pk": rows.workshop, "pk": rows.participant},
    "workshops:presentation_add": lambda rows, report: {"workshop_pk": rows.workshop},
    "workshops:presentation_update": lambda rows, report: {"workshop_pk": rows.workshop, "pk": rows.presentation},
    "workshops:solution_add": lambda rows, report: {"workshop_pk": rows.workshop},
    "workshops:solution_update": lambda rows, report: {"workshop_pk": rows.workshop, "pk": rows.solution},
    "workshops:solution_move": lambda rows, report: {"workshop_pk": rows.workshop, "pk": rows.solution},
    "workshops:solution_detail": lambda rows, report: {"pk": rows.solution},
    "imports:detail": lambda rows, report: {"pk": rows.register_import},
    "imports:progress": lambda rows, report: {"pk": rows.register_import},
    "imports:refused_rows": lambda rows, report: {"pk": rows.register_import},
    "imports:remap": lambda rows, report: {"pk": rows.register_import},
    "imports:save": lambda rows, report: {"pk": rows.register_import},
    "imports:undo": lambda rows, report: {"pk": rows.register_import},
    "reports:issued_detail": lambda rows, report: {"pk": report},
    "reports:issued_download": lambda rows, report: {"pk": report},
}

# URLs of lists, searches, forms and downloads: the arguments of each variant tried (none when absent).
COLLECTION_URLS = {
    "cooperatives:export": [{"file_format": "xlsx"}, {"file_format": "csv"}],
    "reports:download": [{"table": "all", "file_format": "xlsx"}, {"table": "headline", "file_format": "csv"}],
    "reports:organisations_download": [{"file_format": "xlsx"}, {"file_format": "csv"}],
    "reports:members_download": [{"file_format": "xlsx"}, {"file_format": "csv"}],
}

# Where a reader of the whole province finds the other commune's rows: the leak checks below must
# therefore be able to see them.
LISTS_OF_ROWS = {
    "cooperatives:list",
    "cooperatives:export",
    "members:list",
    "members:people_search",
    "workshops:list",
    "workshops:solution_list",
    "workshops:person_lookup",
    "workshops:organisation_lookup",
    "reports:organisations_download",
    "reports:members_download",
}

# The only POSTs an official may make that write to the registers: issuing a report is theirs.
OFFICIAL_WRITES = {"reports:issue"}

# A POST that names the other commune's rows wherever a form could take one.
FORGED = {
    "name": "Đã bị sửa trái phép",
    "title": "Đã bị sửa trái phép",
    "full_name": "Đã bị sửa trái phép",
    "text": "Đã bị sửa trái phép",
    "legal_form": "cooperative",
    "governance": "full",
    "status": "active",
    "gender": "female",
    "birth_year": "1980",
    "organiser_level": "commune",
    "start_date": "2024-09-26",
    "end_date": "2024-09-26",
    "on": "2024-12-31",
    "to_status": "adopted",
    "role": ManagementRole.CHAIR,
    "who": "existing",
    "member_type": "official",
    "joined_on": "2024-01-01",
    "started_on": "2024-01-01",
    "capital_contributed": "0",
    "organisation_kind": "other",
    "presenter": "Đã bị sửa trái phép",
    "responsible_body": "Đã bị sửa trái phép",
    "sheet": "Họ và tên,Giới tính\nĐã bị sửa trái phép,Nữ\n",
    "old_password": "x",
    "new_password1": "x",
    "new_password2": "x",
}


def portal_url_names(resolver=None, namespace=""):
    """The names of the portal's URL patterns with their arguments (the admin is tested on its own)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from portal_url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, set(entry.pattern.regex.groupindex)


PORTAL_URLS = dict(portal_url_names())
COLLECTIONS = sorted(name for name in PORTAL_URLS if name not in OBJECT_URLS)


def collection_urls(name):
    return [reverse(name, kwargs=kwargs) for kwargs in COLLECTION_URLS.get(name, [{}])]


def object_url(name, world, rows):
    return reverse(name, kwargs=OBJECT_URLS[name](rows, world.issued_report))


def snapshot():
    """Every row of the portal's own tables (history and many-to-many tables included)."""
    return {
        model._meta.label: [repr(row) for row in model._base_manager.order_by("pk").values_list()]
        for app in ("accounts", "cooperatives", "members", "workshops", "reports", "imports")
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
        # The access log records reading, by design: it is tested on its own (tests/test_access_log.py).
        if model._meta.label != "accounts.AccessLogEntry"
    }


def readable_text(response):
    """What a person receiving ``response`` can read in it, whatever the format."""
    content_type = response.get("Content-Type", "")
    body = response.content
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    if content_type.startswith("text/csv"):
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if content_type.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return body.decode("utf-8")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_url_pattern_of_the_portal_is_tried():
    """A pattern with arguments must name its rows above, or these tests would not reach it."""
    with_arguments = {name for name, arguments in PORTAL_URLS.items() if arguments}
    assert with_arguments <= set(OBJECT_URLS) | set(COLLECTION_URLS)
    assert set(OBJECT_URLS) | set(COLLECTION_URLS) <= set(PORTAL_URLS)
    assert len(OBJECT_URLS) + len(COLLECTIONS) == len(PORTAL_URLS) > 40


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_commune_staff_cannot_reach_or_change_a_row_of_another_commune(world, name, commune_staff, provincial_staff):
    """403 or 404 by GET and by forged POST, and nothing written; province-wide staff reach the same URL."""
    url = object_url(name, world, world.outside)
    assert logged_in(provincial_staff).get(url).status_code in (200, 405), f"{url} does not name a real row"
    client = logged_in(commune_staff)
    before = snapshot()
    forged = {**FORGED, "commune": world.outside.commune, "person": world.outside.member}
    answers = {client.get(url).status_code, client.post(url, forged).status_code}
    # A view takes GET, POST or both; whichever it takes refuses (405 only for the method it has not).
    assert answers <= {403, 404, 405} and answers != {405}, (url, answers)
    assert snapshot() == before


@pytest.mark.parametrize("name", COLLECTIONS)
def test_lists_searches_and_downloads_leave_out_the_rows_of_other_communes(
    world, name, commune_staff, provincial_staff
):
    """What province-wide staff find there, commune staff of another commune do not, in any format."""
    for url in collection_urls(name):
        seen_by_province = readable_text(logged_in(provincial_staff).get(url))
        if name in LISTS_OF_ROWS:
            assert any(word in seen_by_province for word in world.outside.names), f"{url} lists nothing"
        response = logged_in(commune_staff).get(url)
        assert response.status_code in (200, 302, 403, 405), url
        if response.status_code == 200:
            shown = readable_text(response)
            assert not [word for word in world.outside.names if word in shown], url


def test_a_commune_filter_outside_the_scope_is_refused_not_obeyed(world, client, commune_staff):
    """Asking the reports for the other commune by its code gives no figure of it."""
    client.force_login(commune_staff)
    query = {"commune": world.outside.commune_code}
    assert client.get(reverse("reports:stats_json"), query).status_code == 400
    assert client.get(reverse("reports:summary_pdf"), query).status_code == 400
    assert client.get(reverse("reports:organisations_download", args=["csv"]), query).status_code == 400


# What the creation forms need besides a commune: the forged creations below are otherwise valid.
CREATIONS = {
    "cooperatives:create": {"name": "Hợp tác xã lập trái phép", "status": "active"},
    "workshops:create": {"title": "Hội thảo lập trái phép", "status": "planned"},
}


@pytest.mark.parametrize("name", COLLECTIONS)
def test_commune_staff_cannot_create_anything_in_another_commune(world, name, commune_staff):
    """A forged POST naming the other commune writes nothing (the test below shows it is otherwise valid)."""
    client = logged_in(commune_staff)
    before = snapshot()
    for url in collection_urls(name):
        client.post(url, {**FORGED, **CREATIONS.get(name, {}), "commune": world.outside.commune})
    assert snapshot() == before


@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_the_forged_creation_is_otherwise_valid(world, name, commune_staff):
    """The check above can fail: with their own commune, the very same POST is saved."""
    client = logged_in(commune_staff)
    response = post_new(client, reverse(name), {**FORGED, **CREATIONS[name], "commune": world.inside.commune})
    assert response.status_code == 302, response.context["form"].errors if response.context else response


@pytest.mark.parametrize(
    ("name", "field", "payload"),
    [
        ("members:membership_add", "person", {"who": "existing", "member_type": "official"}),
        ("members:position_appoint", "person", {"role": ManagementRole.DIRECTOR}),
        ("workshops:participant_add", "person", {"full_name": "Đại biểu mới", "organisation_kind": "other"}),
        ("workshops:participant_add", "organisation", {"full_name": "Đại biểu mới", "organisation_kind": "other"}),
        ("workshops:solution_add", "proposed_by", {"text": "Giải pháp mới", "priority": "medium"}),
    ],
)
def test_a_form_on_an_own_row_cannot_link_a_row_of_another_commune(world, name, field, payload, commune_staff):
    """The forms of their own rows refuse the other commune's person, organisation or participant."""
    client = logged_in(commune_staff)
    url = object_url(name, world, world.inside)
    linked = {
        "person": (world.outside.neighbour, world.inside.neighbour),
        "organisation": (world.outside.organisation, world.inside.organisation),
        "proposed_by": (world.outside.participant, world.inside.participant),
    }[field]
    common = {
        "gender": "female",
        "joined_on": "2024-01-01",
        "started_on": "2024-01-01",
        "capital_contributed": "0",
        "theme": DiscussionTheme.objects.values_list("pk", flat=True).first(),
        "responsible_body": "Sở Công Thương",
        "attended": "on",
        **payload,
    }
    # A form the page has just given: its one-time token stays usable after the refusal below.
    common = with_token(client, url, common)
    before = snapshot()
    response = client.post(url, {**common, field: linked[0]})
    assert response.status_code == 200, url
    assert snapshot() == before
    # The same form with their own commune's row goes through: the refusal was about the row.
    response = client.post(url, {**common, field: linked[1]})
    assert response.status_code == 302, response.context["form"].errors if response.context else response


PROTECTED_PAGES = sorted(OBJECT_URLS) + COLLECTIONS


@pytest.mark.parametrize("name", PROTECTED_PAGES)
def test_officials_change_nothing_and_receive_no_individual_data(world, name, official):
    """Whatever they open or post, in any format: no phone, citizen ID, birth date or plain member."""
    client = logged_in(official)
    for rows in (world.inside, world.outside):
        urls = [object_url(name, world, rows)] if name in OBJECT_URLS else collection_urls(name)
        for url in urls:
            before = snapshot()
            response = client.get(url)
            assert response.status_code in (200, 302, 403, 404, 405), url
            if response.status_code == 200:
                shown = readable_text(response)
                sensitive = world.inside.sensitive + world.outside.sensitive
                assert not [value for value in sensitive if value in shown], url
                for person in (world.inside, world.outside):
                    if person.chair_name in shown:
                        assert person.chair_ethnic_group not in shown, url
            if name in OFFICIAL_WRITES:
                continue
            client.post(url, {**FORGED, "commune": rows.commune, "person": rows.member})
            assert snapshot() == before, url
            client.force_login(official)  # a POST to the logout URL ends the session


def test_the_sensitive_values_are_written_as_the_pages_show_them(world, client, administrator):
    """The officials' check above can fail: staff see those very strings on the person's page."""
    client.force_login(administrator)
    outside = world.outside
    shown = readable_text(client.get(reverse("members:detail", args=[outside.chair])))
    for value in (outside.chair_phone, outside.chair_citizen_id, outside.chair_birth_date.strftime("%d/%m/%Y")):
        assert value in shown
    assert outside.chair_ethnic_group in shown
    organisation = readable_text(client.get(reverse("cooperatives:detail", args=[outside.organisation])))
    assert outside.member_name in organisation
    register = readable_text(client.get(reverse("reports:members_download", args=["csv"])))
    assert outside.member_name in register


def test_officials_see_the_chair_of_an_organisation_but_not_her_ethnic_group(world, client, official):
    client.force_login(official)
    shown = readable_text(client.get(reverse("cooperatives:detail", args=[world.outside.organisation])))
    assert world.outside.chair_name in shown
    assert world.outside.chair_ethnic_group not in shown


@pytest.mark.parametrize(("path", "name"), ALL_PAGES)
def test_anonymous_posts_change_nothing(world, client, path, name):
    before = snapshot()
    response = client.post(path, {**FORGED, "commune": world.outside.commune, "username": "", "password": ""})
    assert response.status_code in (200, 302, 405)
    assert snapshot() == before


# The admin's own login and logout pages answer anyone; they show no data.
ADMIN_PAGES = [page for page in ALL_PAGES if page.values[0].startswith("/admin/")]
ADMIN_DOORS = {"admin:login", "admin:logout"}


@pytest.mark.parametrize(("path", "name"), [page for page in ADMIN_PAGES if page.values[1] not in ADMIN_DOORS])
@pytest.mark.parametrize("role", ["commune_staff", "provincial_staff", "official"])
def test_only_administrators_get_into_the_admin(request, path, name, role):
    """The Django admin sends everyone else to its login page, for GET and POST alike."""
    client = logged_in(request.getfixturevalue(role))
    before = snapshot()
    for response in (client.get(path), client.post(path, {"name": "Đã bị sửa trái phép"})):
        assert response.status_code in (302, 404), path
        if response.status_code == 302:
            assert response["Location"].startswith((reverse("admin:login"), reverse(settings.LOGIN_URL)))
    assert snapshot() == before


def callbacks(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from callbacks(entry)
        else:
            yield entry.pattern.describe(), entry.callback


def test_no_view_is_exempt_from_csrf_checks():
    """Every POST, the admin's too, needs the token: no view opts out."""
    found = list(callbacks())
    assert len(found) > 50
    assert [pattern for pattern, callback in found if getattr(callback, "csrf_exempt", False)] == []


@pytest.mark.parametrize("name", PROTECTED_PAGES)
def test_every_post_form_carries_a_csrf_token(world, name, administrator):
    client = logged_in(administrator)
    urls = [object_url(name, world, world.inside)] if name in OBJECT_URLS else collection_urls(name)
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        forms = re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.S | re.I)
        posting = [form for form in forms if re.search(r"method=[\"']?post", form[:200], flags=re.I)]
        assert all('name="csrfmiddlewaretoken"' in form for form in posting), url


def test_a_post_without_the_csrf_token_is_refused(world, administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    before = snapshot()
    response = client.post(reverse("cooperatives:update", args=[world.inside.organisation]), FORGED)
    assert response.status_code == 403
    assert client.post(reverse("accounts:logout")).status_code == 403
    assert snapshot() == before


def test_logging_out_takes_a_post(client, commune_staff):
    """A link or an image cannot log someone out: GET is refused and the session stays."""
    client.force_login(commune_staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    home = client.get(reverse("home")).content.decode()
    assert re.search(
        r'<form method="post" action="/accounts/logout/">\s*<input type="hidden" name="csrfmiddlewaretoken"', home
    )


def test_logging_in_gives_a_new_session_behind_an_http_only_cookie(client, commune_staff):
    """A session id planted before login is worthless after it, and scripts cannot read the new one."""
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    response = client.post(reverse("accounts:login"), {"username": commune_staff.username, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value != planted
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_session_ends_with_the_browser_and_after_a_working_day(client, commune_staff):
    """On a shared office computer, closing the browser logs out; an open one is logged out within 10 hours."""
    response = client.post(reverse("accounts:login"), {"username": commune_staff.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["max-age"], cookie["expires"]) == ("", "")
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 10 * 60 * 60


def test_the_person_lookup_names_only_organisations_in_scope(world, client, commune_staff):
    """A resident of the staff's commune who is also a member in another commune: only her own
    commune's organisation is named, or the lookup would reveal the other commune's register."""
    outside_organisation = Organisation.objects.get(pk=world.outside.organisation)
    both = member(Organisation.objects.get(pk=world.inside.organisation), full_name="Phan Thị Hai Nơi").person
    membership_add(person=both, organisation=outside_organisation, member_type="official", joined_on=date(2021, 1, 1))
    client.force_login(commune_staff)
    found = client.get(reverse("workshops:person_lookup"), {"q": "phan thi hai noi"}).json()["results"]
    assert [[organisation["id"] for organisation in person["organisations"]] for person in found] == [
        [world.inside.organisation]
    ]
