"""Every form and query endpoint of the portal, fed arbitrary input: never a server error, never a partial write.

Each endpoint below is driven by hypothesis with text (NUL and other control characters, very long
strings, NFD, fullwidth digits, right-to-left marks, emoji, SQL and HTML), numbers (huge, negative,
``10,000``, ``1e9``) and dates (impossible, far past or future, other formats) in each of its fields,
the others keeping a value the page itself offers (a POST form's fields are read from the page that
shows it, hidden fields such as an edit's version token included). After each request:

- the answer is never a server error (the test client re-raises any exception a view lets out);
- when a row of the registers or of their history changed, the answer is a redirect or a success,
  and every row written passes ``full_clean()``;
- otherwise (a form shown again with its message, a 400 for bad report parameters) the row counts
  of every table of the registers and of their history are what they were.

Every URL pattern of the portal is here or named in ``NO_INPUT`` with the reason it takes none.
"""

import csv
import io
import os
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from coopportal.accounts.models import Role
from coopportal.submissions import TOKEN_FIELD, new_token
from reports.selectors import ReportFilters
from reports.services import report_issue

from .factories import UserFactory
from .imports.workbooks import register_workbook
from .test_security import COLLECTION_URLS, OBJECT_URLS, PORTAL_URLS, both_communes_rows

pytestmark = pytest.mark.django_db

REGISTER_APPS = ("cooperatives", "members", "workshops", "reports", "imports")
# FUZZ_SCALE=10 tries ten times as many inputs per endpoint, for a longer hunt than the suite's.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))

# What no form expects: each is tried in every field, alone or inside other text.
NASTY = [
    "\x00",
    "Nguyễn\x00Thị",
    "\x01\x02\x1b[31m\x7f",
    "\u0085\u009f",
    "a\tb\nc\rd",
    "\u202eủơư\u202c",
    "\u200f\u200e\u200b\ufeff",
    "Nguye\u0302\u0303n Thi\u0323 Lan",  # NFD
    "  Nguyễn   Thị  Lan  ",
    "😀👩‍👩‍👧🇻🇳",
    "\ud7ff\ue000\U0010ffff",
    "'; DROP TABLE members_person; --",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://x")',
    "{{ request }}{% debug %}",
    "%s%n%x",
    "../../etc/passwd",
    "１２３４５６７８９０１２",
    "٠١٢٣٤٥٦٧٨٩",
    "NaN",
    "None",
    "null",
    "true",
    "",
    " ",
]
NUMBERS = [
    "0",
    "-1",
    "-0",
    "10,000",
    "10.000",
    "10 000",
    "10.000.000",
    "1e9",
    "1.5",
    "9" * 40,
    "-" + "9" * 40,
    "2147483648",
    "9223372036854775808",
    "１０",
    "Infinity",
]
ODD_DATES = [
    "2024-02-30",
    "2023-02-29",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2024-13-01",
    "2024/09/26",
    "26/09/2024",
    "09/26/2024",
    "26.09.2024",
    "2024-09-26T10:00",
    "２０２４-０９-２６",
    "hôm qua",
]

long_texts = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "ễ", "😀", "1", " ", "\x00", "Nguyễn Thị "]),
    st.integers(100, 3000),
)
nasty = st.sampled_from(NASTY)
# The known troublemakers come often, alone or inside other text; hypothesis' own text covers the rest.
texts = st.one_of(
    nasty,
    nasty,
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=10), nasty, st.text(max_size=10)),
    st.text(max_size=30),
    long_texts,
)
numbers = st.one_of(st.integers(-(10**25), 10**25).map(str), st.sampled_from(NUMBERS))
dates = st.one_of(
    st.dates().map(date.isoformat),
    st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31)).map(date.isoformat),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    st.sampled_from(ODD_DATES),
)
anything = st.one_of(texts, numbers, dates)


# ------------------------------------------------------------------------------------------------
# Forms as the page shows them


@dataclass
class FormField:
    name: str
    kind: str  # text, select, checkbox, radio, textarea, hidden, file, …
    values: list = field(default_factory=list)  # what the page sends as it stands
    options: list = field(default_factory=list)  # a select's or radio group's choices
    multiple: bool = False


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict = field(default_factory=dict)

    def data(self):
        """What a browser would post with nothing changed (CSRF aside: the test client does not check it)."""
        posted = {}
        for form_field in self.fields.values():
            if form_field.kind == "file":
                continue
            if form_field.values:
                posted[form_field.name] = form_field.values if form_field.multiple else form_field.values[0]
        posted.pop("csrfmiddlewaretoken", None)
        return posted


class FormsParser(HTMLParser):
    """The forms of a page with their fields, values and choices, as a browser would read them."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.select = None
        self.option = None
        self.textarea = None

    def field(self, name, kind, **kwargs):
        form = self.forms[-1] if self.forms else None
        if form is None or not name:
            return None
        if name not in form.fields:
            form.fields[name] = FormField(name=name, kind=kind, **kwargs)
        return form.fields[name]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(PageForm(method=(attrs.get("method") or "get").lower(), action=attrs.get("action") or ""))
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            form_field = self.field(attrs.get("name"), kind, multiple=kind == "checkbox")
            if form_field is None:
                return
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio"):
                form_field.options.append(value)
                if "checked" in attrs:
                    form_field.values.append(value)
            else:
                form_field.values.append(value)
        elif tag == "select":
            self.select = self.field(attrs.get("name"), "select", multiple="multiple" in attrs)
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "text": "", "selected": "selected" in attrs}
        elif tag == "textarea":
            self.textarea = self.field(attrs.get("name"), "textarea")
            if self.textarea is not None:
                self.textarea.values = [""]

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        elif self.textarea is not None:
            self.textarea.values[0] += data

    def handle_endtag(self, tag):
        if tag == "option" and self.option is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            self.select.options.append(value)
            if self.option["selected"]:
                self.select.values.append(value)
            self.option = None
        elif tag == "select" and self.select is not None:
            if not self.select.values and self.select.options and not self.select.multiple:
                self.select.values.append(self.select.options[0])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # The template's first newline after <textarea> is not part of the value.
            self.textarea.values[0] = self.textarea.values[0].removeprefix("\n")
            self.textarea = None


def page_form(client, url, action):
    """The form of the page at ``url`` that posts to ``action``."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = FormsParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        target = urlsplit(form.action).path or urlsplit(url).path
        if form.method == "post" and target == action:
            return form
    raise AssertionError(f"no form posting to {action} on {url}")


# ------------------------------------------------------------------------------------------------
# The registers' rows before and after


def register_models():
    """Every model of the registers, their history and many-to-many tables included."""
    return [model for app in REGISTER_APPS for model in apps.get_app_config(app).get_models(include_auto_created=True)]


def tally():
    """Each table's row count and highest id."""
    counts = {}
    for model in register_models():
        rows = model._base_manager.all()
        last = rows.order_by("-pk").values_list("pk", flat=True).first()
        counts[model] = (rows.count(), last)
    return counts


def written_rows(before, after):
    """The live rows created or changed between two tallies: new ids, and rows whose history grew."""
    rows = []
    for model, (count, last) in after.items():
        old_count, old_last = before[model]
        if (count, last) == (old_count, old_last):
            continue
        new = model._base_manager.all()
        if old_last is not None:
            new = new.filter(pk__gt=old_last)
        history_of = getattr(model, "instance_type", None)
        if history_of is not None:
            changed_ids = set(new.values_list("id", flat=True))
            rows.extend(history_of._base_manager.filter(pk__in=changed_ids))
        elif not model._meta.auto_created:
            rows.extend(new)
    return rows


def assert_no_error_and_no_partial_write(client, method, url, data, files=None):
    """One request: no server error; either a success whose rows are valid, or nothing written."""
    before = tally()
    if method == "get":
        response = client.get(url, data)
    else:
        response = client.post(url, {**data, **(files or {})})
    assert response.status_code < 500, (url, data, response.status_code)
    after = tally()
    if before == after:
        return response
    assert response.status_code in (200, 302, 303), (url, data, response.status_code)
    if response.status_code == 200:
        # A page that shows a form again has written nothing; a JSON or file answer may have.
        assert (
            not response.get("Content-Type", "").startswith("text/html")
            or method == "post"
            and (b"is-invalid" not in response.content and b"invalid-feedback" not in response.content)
        ), (url, data, "a refused form wrote rows")
    for row in written_rows(before, after):
        row.full_clean()
    return response


# ------------------------------------------------------------------------------------------------
# The portal's rows and users


@dataclass(frozen=True)
class World:
    inside: object
    outside: object
    issued_report: int


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A commune in commune staff's scope and one outside it, each with one of everything, made once."""
    with django_db_blocker.unblock(), transaction.atomic():
        inside, outside = both_communes_rows()
        issuer = UserFactory(username="fuzz-issuer", role=Role.ADMINISTRATOR)
        report = report_issue(issued_by=issuer, as_of=date.today(), filters=ReportFilters())
        yield World(inside=inside, outside=outside, issued_report=report.pk)
        transaction.set_rollback(True)


USERS = {
    "province": {"role": Role.STAFF, "province_wide": True},
    "commune": {"role": Role.STAFF, "province_wide": False},
    "official": {"role": Role.OFFICIAL},
    "admin": {"role": Role.ADMINISTRATOR},
}


def client_for(who, world):
    """A client logged in as ``who`` (None: nobody); any exception a view lets out fails the test."""
    client = Client(raise_request_exception=True)
    if who is not None:
        fields = dict(USERS[who])
        if who == "commune":
            fields["scope_communes"] = [world.inside.commune]
        client.force_login(UserFactory(username=f"fuzz-{who}", **fields))
    return client


# ------------------------------------------------------------------------------------------------
# The endpoints


@dataclass(frozen=True)
class Endpoint:
    name: str
    who: str | None = "province"
    kwargs: object = None  # world -> URL kwargs (the object ones come from test_security's table)
    params: tuple = ()  # a GET's query parameters
    form_page: str | None = ""  # a POST's form is read from this URL name ("" : the endpoint itself; None: none)
    defaults: object = field(default_factory=dict)  # values a create form needs to save at all (or world -> them)
    extra: tuple = ()  # fields a forged POST may add, beyond the page's
    files: tuple = ()
    examples: int = 40
    label: str = ""

    @property
    def id(self):
        return self.label or f"{self.name}-{self.who}"

    def url_kwargs(self, world):
        if self.kwargs is not None:
            return self.kwargs(world)
        if self.name in OBJECT_URLS:
            return OBJECT_URLS[self.name](world.inside, world.issued_report)
        variants = COLLECTION_URLS.get(self.name)
        return variants[0] if variants else {}


ORGANISATION_FILTERS = ("q", "commune", "legal_form", "sector", "status", "women_managed", "ordering", "page")
REPORT_PARAMETERS = ("as_of", "commune", "legal_form", "sector")
ORGANISATION = {
    "legal_form": "cooperative",
    "name": "Hợp tác xã Thử nghiệm",
    "governance": "full",
    "status": "active",
}
WORKSHOP = {
    "title": "Hội thảo thử",
    "organiser_level": "commune",
    "start_date": "2024-09-26",
    "end_date": "2024-09-26",
    "status": "held",
}
NEW_PERSON = {"who": "new", "new-full_name": "Phạm Thị Thu", "new-gender": "female", "new-birth_year": "1982"}


ENDPOINTS = [
    # Query endpoints: lists with filters, searches, reports and downloads.
    Endpoint("cooperatives:list", params=ORGANISATION_FILTERS),
    Endpoint("cooperatives:list", who="commune", params=ORGANISATION_FILTERS),
    Endpoint("cooperatives:export", params=ORGANISATION_FILTERS, examples=25, label="export-xlsx"),
    Endpoint(
        "cooperatives:export",
        kwargs=lambda world: {"file_format": "csv"},
        params=ORGANISATION_FILTERS,
        examples=25,
        label="export-csv",
    ),
    Endpoint("members:list", params=("q", "gender", "commune", "organisation", "member_type", "standing", "page")),
    Endpoint("members:duplicates", params=("page",), examples=10),
    Endpoint("members:people_search", params=("q",)),
    Endpoint("members:people_search", who="commune", params=("q",)),
    Endpoint("members:membership_add", params=("q",), label="membership-add-search"),
    Endpoint("members:position_appoint", params=("q",), label="position-appoint-search"),
    Endpoint("workshops:list", params=("page",), examples=15),
    Endpoint("workshops:solution_list", params=("status", "theme", "responsible_body", "overdue", "page")),
    Endpoint("workshops:person_lookup", params=("q",)),
    Endpoint("workshops:organisation_lookup", params=("q",)),
    Endpoint("reports:dashboard", who="official", params=REPORT_PARAMETERS, examples=30),
    Endpoint("reports:dashboard", who="commune", params=REPORT_PARAMETERS, examples=20),
    Endpoint("reports:stats_json", params=REPORT_PARAMETERS, examples=30),
    Endpoint("reports:summary_pdf", who="official", params=REPORT_PARAMETERS, examples=10),
    Endpoint("reports:download", params=REPORT_PARAMETERS, examples=15),
    Endpoint("reports:organisations_download", params=REPORT_PARAMETERS, examples=15),
    Endpoint("reports:members_download", params=REPORT_PARAMETERS, examples=15),
    Endpoint("reports:issued_list", who="official", params=("page",), examples=10),
    Endpoint("imports:list", params=("page",), examples=10),
    # The administrators' own pages: searches and filters of the register's lists.
    Endpoint("admin:members_person_changelist", who="admin", params=("q", "o", "p", "gender__exact"), examples=20),
    Endpoint("admin:cooperatives_organisation_changelist", who="admin", params=("q", "o", "p"), examples=20),
    Endpoint("admin:accounts_user_changelist", who="admin", params=("q", "role__exact"), examples=15),
    # Forms.
    Endpoint("accounts:login", who=None, extra=("username", "password"), defaults={"username": "fuzz-province"}),
    Endpoint(
        "admin:login", who=None, extra=("username", "password"), defaults={"username": "fuzz-province"}, examples=20
    ),
    Endpoint("accounts:password_change", examples=20),
    Endpoint("set_language", form_page=None, extra=("language", "next"), examples=15),
    Endpoint("cooperatives:create", defaults={**ORGANISATION}, extra=("commune",)),
    Endpoint("cooperatives:create", who="commune", defaults={**ORGANISATION}, extra=("commune",)),
    Endpoint("cooperatives:update"),
    Endpoint("members:update"),
    Endpoint("members:update", who="commune"),
    Endpoint("members:consent_withdraw", form_page="members:detail", examples=25),
    Endpoint("members:merge", examples=20),
    Endpoint("members:merge_undo", form_page=None, examples=5),
    Endpoint("members:delete", form_page=None, examples=5),
    Endpoint("members:membership_delete", form_page=None, extra=("back",), examples=5),
    Endpoint("members:position_delete", form_page=None, extra=("back",), examples=5),
    Endpoint("cooperatives:delete", form_page=None, examples=5),
    Endpoint(
        "members:membership_add",
        defaults=lambda world: {
            "who": "existing",
            "person": str(world.inside.neighbour),
            "joined_on": "2024-01-01",
            "member_type": "official",
        },
        extra=("person",),
        label="membership-add-existing",
    ),
    Endpoint(
        "members:membership_add",
        defaults={**NEW_PERSON, "joined_on": "2024-01-01", "member_type": "official"},
        label="membership-add-new",
    ),
    Endpoint("members:membership_correct"),
    Endpoint("members:membership_end", examples=25),
    Endpoint("members:position_appoint", defaults={"started_on": "2024-01-01"}, extra=("person",)),
    Endpoint("members:position_correct"),
    Endpoint("members:position_end", examples=25),
    Endpoint("workshops:create", defaults={**WORKSHOP}, extra=("commune",)),
    Endpoint("workshops:create", who="commune", defaults={**WORKSHOP}, extra=("commune",)),
    Endpoint("workshops:update"),
    Endpoint("workshops:participant_add", defaults={"full_name": "Võ Thị Hạnh", "gender": "female"}),
    Endpoint("workshops:participant_update"),
    Endpoint("workshops:participant_remove", examples=5),
    Endpoint("workshops:sign_in_sheet", files=("sheet",)),
    Endpoint("workshops:presentation_add", defaults={"title": "Tham luận", "presenter": "Bà Lan"}),
    Endpoint("workshops:presentation_update"),
    Endpoint("workshops:solution_add", defaults={"text": "Giải pháp thử", "responsible_body": "Sở Tài chính"}),
    Endpoint("workshops:solution_update"),
    Endpoint("workshops:solution_move", form_page="workshops:solution_detail"),
    Endpoint("imports:upload", who="admin", files=("file",), examples=25),
    Endpoint("imports:remap", who="admin", form_page="imports:detail", examples=25),
    Endpoint("imports:save", who="admin", form_page=None, examples=5),
    Endpoint("imports:undo", who="admin", form_page=None, examples=5),
    Endpoint(
        "reports:issue",
        who="official",
        form_page=None,
        defaults=lambda world: {TOKEN_FIELD: new_token()},
        extra=REPORT_PARAMETERS,
        examples=15,
    ),
]

# URL patterns that read no input (a page, a download or a JSON answer naming one row, a logout),
# each with why it is not fuzzed.
NO_INPUT = {
    "home": "a page without parameters",
    "accounts:logout": "a POST without fields",
    "accounts:password_change_done": "a page without parameters",
    "cooperatives:detail": "one row by its id (test_security tries forged ids)",
    "members:detail": "one row by its id",
    "members:merge_detail": "one row by its id",
    "workshops:detail": "one row by its id",
    "workshops:report_pdf": "one row by its id",
    "workshops:solution_detail": "one row by its id",
    "imports:detail": "one row by its id",
    "imports:progress": "one row by its id",
    "imports:refused_rows": "one row by its id",
    "imports:template": "a fixed workbook",
    "imports:help": "a page without parameters",
    "reports:issued_detail": "one row by its id",
    "reports:issued_download": "one row by its id",
}


def test_every_url_pattern_is_fuzzed_or_reads_no_input():
    """A URL pattern added later must be added here: fuzzed, or said to take no input."""
    fuzzed = {endpoint.name for endpoint in ENDPOINTS}
    assert set(PORTAL_URLS) - fuzzed - set(NO_INPUT) == set()
    assert fuzzed & set(NO_INPUT) == set()
    assert sum(endpoint.examples for endpoint in ENDPOINTS) >= 1000


# ------------------------------------------------------------------------------------------------
# Values


def field_values(form_field):
    """What may be sent in a field: what the page offers, or anything at all."""
    offered = [*form_field.options, *form_field.values]
    valid = st.sampled_from(offered) if offered else st.just("")
    if form_field.multiple:
        valid = st.lists(st.sampled_from(offered), max_size=3, unique=True) if offered else st.just([])
        return st.one_of(valid, valid, st.lists(anything, max_size=3))
    return st.one_of(valid, valid, anything)


def in_a_workbook(rows):
    """Rows as a workbook can hold them: a worksheet refuses control characters."""
    return [[ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row] for row in rows]


def sheet_files(name):
    """Uploads: bytes of anything, CSV of arbitrary cells, and register workbooks of arbitrary cells."""
    rows = st.lists(st.lists(st.one_of(texts, numbers, dates), min_size=1, max_size=5), min_size=1, max_size=4)

    def as_csv(cells, header, encoding):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(cells)
        try:
            return buffer.getvalue().encode(encoding)
        except UnicodeEncodeError:
            return buffer.getvalue().encode("utf-8", "surrogatepass")

    csv_files = st.builds(
        as_csv,
        rows,
        st.sampled_from(
            [
                ["Họ và tên", "Giới tính", "Đơn vị", "Loại đơn vị", "Chức vụ"],
                ["Tên HTX", "Loại hình", "Xã/phường", "Số ĐKKD", "Ngày thành lập"],
                ["Họ tên", "Năm sinh", "Giới tính", "Dân tộc", "CCCD", "Tên HTX", "Loại thành viên", "Ngày vào"],
            ]
        ),
        st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1258"]),
    )
    workbooks = st.builds(
        lambda organisations, members: register_workbook(
            organisations=in_a_workbook(organisations), members=in_a_workbook(members)
        ),
        st.lists(st.lists(st.one_of(texts, numbers, dates), min_size=9, max_size=9), max_size=2),
        st.lists(st.lists(st.one_of(texts, numbers, dates), min_size=9, max_size=9), max_size=2),
    )
    contents = st.one_of(
        st.builds(lambda content: ("sheet.csv", content), csv_files),
        st.builds(lambda content: ("so-dang-ky.xlsx", content), workbooks),
        st.builds(
            lambda content, file_name: (file_name, content),
            st.binary(max_size=200),
            st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt", "\x00.csv", "ễ" * 300 + ".csv", "no-extension"]),
        ),
    )
    return st.one_of(st.just(None), contents)


def fuzzed_fields(names_and_values):
    """Some fields changed, the others as they were; a field may also be left out altogether."""
    keep, drop = object(), object()
    return st.fixed_dictionaries(
        {name: st.one_of(st.just(keep), st.just(keep), st.just(drop), values) for name, values in names_and_values}
    ).map(
        lambda chosen: (
            {n: v for n, v in chosen.items() if v is not keep and v is not drop},
            [n for n, v in chosen.items() if v is drop],
        )
    )


# ------------------------------------------------------------------------------------------------
# The test


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_no_input_gives_a_server_error_or_a_partial_write(endpoint, world):
    """Arbitrary input in every field of the endpoint: a message or a valid save, never a 500 or half a save."""
    client = client_for(endpoint.who, world)
    if endpoint.name == "accounts:login":
        UserFactory(username="fuzz-province", role=Role.STAFF, province_wide=True)
    url = reverse(endpoint.name, kwargs=endpoint.url_kwargs(world))
    defaults = endpoint.defaults(world) if callable(endpoint.defaults) else endpoint.defaults
    if endpoint.params:
        fields = [(name, st.one_of(anything, st.lists(anything, min_size=2, max_size=3))) for name in endpoint.params]
        page = PageForm(method="get", action=url)
        method = "get"
    else:
        method = "post"
        if endpoint.form_page is None:
            page = PageForm(method="post", action=url)
        else:
            form_url = url
            if endpoint.form_page:
                form_url = reverse(
                    endpoint.form_page, kwargs=OBJECT_URLS[endpoint.form_page](world.inside, world.issued_report)
                )
            page = page_form(client, form_url, url)
        fields = [(form_field.name, field_values(form_field)) for form_field in page.fields.values()]
        fields += [(name, anything) for name in endpoint.extra if name not in page.fields]
        fields += [(name, anything) for name in defaults if name not in page.fields and name not in endpoint.extra]
    fields = [(name, values) for name, values in fields if name != "csrfmiddlewaretoken" and name not in endpoint.files]
    base = {**page.data(), **defaults}
    if not fields:
        fields = [("unexpected", anything)]
    uploads = {name: sheet_files(name) for name in endpoint.files}

    @settings(
        max_examples=max(1, round(endpoint.examples * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(changes=fuzzed_fields(fields), files=st.fixed_dictionaries(uploads))
    def run(changes, files):
        changed, dropped = changes
        data = {name: value for name, value in {**base, **changed}.items() if name not in dropped}
        if data.get(TOKEN_FIELD) == base.get(TOKEN_FIELD, object()):
            # Each example is a form just opened: the page's one-time token serves one save only.
            data[TOKEN_FIELD] = new_token()
        posted = {
            name: SimpleUploadedFile(upload[0], upload[1]) for name, upload in files.items() if upload is not None
        }
        assert_no_error_and_no_partial_write(client, method, url, data, posted)

    run()
