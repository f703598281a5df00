"""A form that adds rows saves once, however often or however fast it is sent (``coopportal.submissions``).

For every such form of the portal: the page carries a one-time token; posting the filled form twice
(the Back button, a browser's re-send) adds its rows once, and the second POST writes nothing and is
sent to what the first saved, with a message; a POST the form refuses does not use the token up, so
the corrected form saves; a form without a token, or with a forged or expired one, saves nothing and
says so. On PostgreSQL six identical POSTs at once, each with its own connection, add the rows once
and none is a server error.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import AdministrativeUnit, Organisation
from coopportal.accounts.models import Role, SubmittedForm
from coopportal.submissions import MAX_AGE, SALT, TOKEN_FIELD, new_token, read_nonce, token_refused
from imports.models import RegisterImport
from members.models import ManagementPosition, Membership, Person
from members.roles import Role as ManagementRole
from reports.models import IssuedReport
from workshops.models import DiscussionTheme, Participant, Presentation, ProposedSolution, Workshop

from .cooperatives.test_views import organisation_form_data
from .factories import OrganisationFactory, PersonFactory, UserFactory, member
from .imports.workbooks import register_workbook
from .submissions import with_token
from .test_concurrency import race
from .test_fuzz import page_form
from .workshops.factories import make_workshop

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"
AT_ONCE = 6


@dataclass(frozen=True)
class World:
    """One of everything a create form is opened on, in Phường Cẩm Thành."""

    commune: int
    organisation: int
    neighbour: int
    member: int
    workshop: int


def make_world():
    commune = AdministrativeUnit.objects.get(level="commune", scheme="2025", code="21025")
    organisation = OrganisationFactory(name="Hợp tác xã Gửi Một Lần", commune=commune, founded_on=date(2015, 1, 1))
    neighbour = PersonFactory(full_name="Người dân chưa là thành viên", commune=commune)
    plain = member(organisation, full_name="Thành viên được bổ nhiệm", joined_on=date(2016, 1, 1))
    workshop = make_workshop(title="Hội thảo gửi một lần")
    return World(
        commune=commune.pk,
        organisation=organisation.pk,
        neighbour=neighbour.pk,
        member=plain.person_id,
        workshop=workshop.pk,
    )


def register_file():
    return register_workbook(
        organisations=[["HTX nhập một lần", "HTX", "Phường Cẩm Thành", None, "1/1/2015", None, None, None, 1]],
        members=[],
    )


@dataclass(frozen=True)
class CreateForm:
    """A form that adds rows: where it is, what a user fills in, what makes it refused, what it adds."""

    name: str
    filled: Any  # world -> the values typed in, over the page's own
    broken: dict  # what makes the form refuse the save
    rows: Any  # () -> the counts of what the form adds
    args: Any = None  # world -> the URL's arguments
    files: Any = None  # () -> {field: (file name, bytes)}, made afresh for each POST
    who: str = "staff"
    page: Any = None  # world -> the URL of the page holding the form, when not the form's own
    adds: tuple = (1,)  # how many rows of each counted table one save adds
    label: str = ""

    @property
    def id(self):
        return self.label or self.name

    def url(self, world):
        return reverse(self.name, args=self.args(world) if self.args else [])


def count(*models):
    return lambda: tuple(model.objects.count() for model in models)


def on_organisation(world):
    return [world.organisation]


def on_workshop(world):
    return [world.workshop]


FORMS = [
    CreateForm(
        "cooperatives:create",
        filled=lambda world: {
            "legal_form": "cooperative",
            "name": "Hợp tác xã Gửi Hai Lần",
            "governance": "full",
            "status": "active",
            "commune": str(world.commune),
        },
        broken={"name": ""},
        rows=count(Organisation),
    ),
    CreateForm(
        "members:membership_add",
        args=on_organisation,
        filled=lambda world: {
            "who": "existing",
            "person": str(world.neighbour),
            "member_type": "official",
            "joined_on": "2024-01-01",
            "capital_contributed": "0",
        },
        broken={"joined_on": ""},
        rows=count(Membership, Person),
        adds=(1, 0),
        label="membership-add-existing",
    ),
    CreateForm(
        "members:membership_add",
        args=on_organisation,
        filled=lambda world: {
            "who": "new",
            "new-full_name": "Phạm Thị Thu",
            "new-gender": "female",
            "new-birth_year": "1982",
            "new-save_anyway": "on",
            "member_type": "official",
            "joined_on": "2024-01-01",
            "capital_contributed": "0",
        },
        broken={"new-full_name": ""},
        rows=count(Membership, Person),
        adds=(1, 1),
        label="membership-add-new-person",
    ),
    CreateForm(
        "members:position_appoint",
        args=on_organisation,
        filled=lambda world: {
            "person": str(world.member),
            "role": ManagementRole.DIRECTOR,
            "started_on": "2024-01-01",
        },
        broken={"started_on": ""},
        rows=count(ManagementPosition),
    ),
    CreateForm(
        "workshops:create",
        filled=lambda world: {
            "title": "Hội thảo gửi hai lần",
            "organiser_level": "province",
            "start_date": "2024-09-26",
            "end_date": "2024-09-26",
            "status": "held",
        },
        broken={"title": ""},
        rows=count(Workshop),
    ),
    CreateForm(
        "workshops:participant_add",
        args=on_workshop,
        filled=lambda world: {
            "full_name": "Võ Thị Hạnh",
            "gender": "female",
            "organisation_kind": "other",
            "attended": "on",
        },
        broken={"full_name": ""},
        rows=count(Participant),
    ),
    CreateForm(
        "workshops:sign_in_sheet",
        args=on_workshop,
        filled=lambda world: {"text": "Họ và tên\tGiới tính\nNguyễn Thị Lụa\tNữ\nLê Văn Nam\tNam", "attended": "on"},
        broken={"text": "Họ và tên\tGiới tính\nNguyễn Thị Lụa\tkhông rõ"},
        rows=count(Participant),
        adds=(2,),
    ),
    CreateForm(
        "workshops:presentation_add",
        args=on_workshop,
        filled=lambda world: {"title": "Tham luận gửi hai lần", "presenter": "Bà Lan"},
        broken={"title": ""},
        rows=count(Presentation),
    ),
    CreateForm(
        "workshops:solution_add",
        args=on_workshop,
        filled=lambda world: {
            "text": "Giải pháp gửi hai lần",
            "theme": str(DiscussionTheme.objects.values_list("pk", flat=True).first()),
            "proposed_by_organisation": "Hội LHPN tỉnh",
            "responsible_body": "Sở Tài chính",
        },
        broken={"text": ""},
        rows=count(ProposedSolution),
    ),
    CreateForm(
        "imports:upload",
        filled=lambda world: {},
        files=lambda: {"file": ("so-dang-ky.xlsx", register_file())},
        broken={"consent_on": "31/02/2025"},
        rows=count(RegisterImport),
    ),
    CreateForm(
        "reports:issue",
        who="official",
        page=lambda world: reverse("reports:dashboard") + "?as_of=2024-09-26",
        filled=lambda world: {"as_of": "2024-09-26"},
        broken={"as_of": "hôm qua"},
        rows=count(IssuedReport),
    ),
]


@pytest.fixture
def world(db):
    return make_world()


def user_for(create_form):
    if create_form.who == "official":
        return UserFactory(role=Role.OFFICIAL)
    return UserFactory(role=Role.STAFF, province_wide=True)


def logged_in(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def opened_form(client, create_form, world):
    """What a browser sends from the page just opened and filled in: the page's own fields, token included."""
    url = create_form.url(world)
    page = create_form.page(world) if create_form.page else url
    data = {**page_form(client, page, url).data(), **create_form.filled(world)}
    assert data.get(TOKEN_FIELD), f"the form of {page} carries no one-time token"
    return data


def post(client, create_form, world, data):
    files = {name: SimpleUploadedFile(*upload) for name, upload in (create_form.files or dict)().items()}
    return client.post(create_form.url(world), {**data, **files})


def said(response, text):
    return any(text in str(message) for message in get_messages(response.wsgi_request))


def already_saved():
    return _("This form has already been saved; it was not saved a second time.")


def added(before, after):
    return tuple(b - a for a, b in zip(before, after, strict=True))


@pytest.mark.parametrize("create_form", FORMS, ids=lambda create_form: create_form.id)
def test_a_form_sent_twice_saves_once_and_the_second_is_told_and_sent_to_what_was_saved(create_form, world):
    client = logged_in(user_for(create_form))
    data = opened_form(client, create_form, world)
    before = create_form.rows()

    first = post(client, create_form, world, data)
    assert first.status_code == 302, first.context and first.context.get("form") and first.context["form"].errors
    once = create_form.rows()
    assert added(before, once) == create_form.adds

    second = post(client, create_form, world, data)
    assert second.status_code == 302
    assert second["Location"] == first["Location"]
    assert said(second, already_saved())
    assert create_form.rows() == once
    assert SubmittedForm.objects.count() == 1


@pytest.mark.parametrize("create_form", FORMS, ids=lambda create_form: create_form.id)
def test_a_refused_form_keeps_its_token_and_the_corrected_form_saves(create_form, world):
    client = logged_in(user_for(create_form))
    data = opened_form(client, create_form, world)
    before = create_form.rows()

    refused = post(client, create_form, world, {**data, **create_form.broken})
    assert refused.status_code in (200, 302)
    if refused.status_code == 200:
        # The page shown again carries the same token: the first POST did not use it up.
        assert f'value="{data[TOKEN_FIELD]}"' in refused.content.decode()
    assert create_form.rows() == before
    assert not SubmittedForm.objects.exists()

    corrected = post(client, create_form, world, data)
    assert corrected.status_code == 302
    assert not said(corrected, already_saved())
    assert added(before, create_form.rows()) == create_form.adds


@pytest.mark.parametrize("create_form", FORMS, ids=lambda create_form: create_form.id)
@pytest.mark.parametrize(
    "token", [None, "", "made-up", "x" * 500, "\x00"], ids=["missing", "empty", "forged", "long", "nul"]
)
def test_a_form_without_a_token_of_the_portal_saves_nothing_and_says_so(create_form, world, token):
    client = logged_in(user_for(create_form))
    data = opened_form(client, create_form, world)
    if token is None:
        del data[TOKEN_FIELD]
    else:
        data[TOKEN_FIELD] = token
    before = create_form.rows()
    response = post(client, create_form, world, data)
    assert create_form.rows() == before
    assert not SubmittedForm.objects.exists()
    refusal = token_refused().messages[0]
    if response.status_code == 302:  # issuing a report answers on the dashboard
        assert said(response, refusal)
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert refusal in page
    # The page shown again has a fresh token: saving it again works.
    fresh = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', page).group(1)
    assert post(client, create_form, world, {**data, TOKEN_FIELD: fresh}).status_code == 302
    assert added(before, create_form.rows()) == create_form.adds


class LongAgo(signing.TimestampSigner):
    """Signs as the portal did when the page was opened, a minute more than a token may live ago."""

    def timestamp(self):
        return signing.b62_encode(int((timezone.now() - MAX_AGE - timedelta(minutes=1)).timestamp()))


def test_a_token_older_than_its_lifetime_is_refused_and_old_claims_are_deleted(world):
    """A form left open longer than ``MAX_AGE`` saves nothing; each save deletes claims that old."""
    create_form = FORMS[0]
    client = logged_in(user_for(create_form))
    data = opened_form(client, create_form, world)
    stale = SubmittedForm.objects.create(
        token="stale", user=UserFactory(), path="/", created_at=timezone.now() - MAX_AGE - timedelta(minutes=1)
    )
    kept = SubmittedForm.objects.create(token="recent", user=UserFactory(), path="/")
    response = post(client, create_form, world, {**data, TOKEN_FIELD: LongAgo(salt=SALT).sign("opened-long-ago")})
    assert token_refused().messages[0] in response.content.decode()
    assert not Organisation.objects.filter(name="Hợp tác xã Gửi Hai Lần").exists()
    assert post(client, create_form, world, data).status_code == 302
    assert not SubmittedForm.objects.filter(pk=stale.pk).exists()
    assert SubmittedForm.objects.filter(pk=kept.pk).exists()


def test_the_token_is_signed_by_the_portal():
    """A token made with another key, or for another purpose, is not one of the portal's forms."""
    assert read_nonce(new_token())
    assert read_nonce(signing.TimestampSigner(salt="another purpose").sign("abc")) is None
    assert read_nonce(signing.TimestampSigner(key="another key", salt=SALT).sign("abc")) is None


def test_a_token_claimed_by_someone_else_saves_nothing_and_shows_nothing_of_theirs(world):
    """A token copied from another user's form: nothing saved, and no "already saved" pointing to her record.

    The token was made for the first account: to the second it is no token of hers.
    """
    create_form = FORMS[0]
    first, second = logged_in(user_for(create_form)), logged_in(user_for(create_form))
    data = opened_form(first, create_form, world)
    saved = post(first, create_form, world, data)
    response = post(second, create_form, world, data)
    assert response.status_code == 200
    assert saved.status_code == 302
    # Her form page again (here with the namesake warning her record now raises), not "already saved".
    assert already_saved() not in response.content.decode()
    assert Organisation.objects.filter(name="Hợp tác xã Gửi Hai Lần").count() == 1


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite serialises transactions: the sequential tests above cover it")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("create_form", FORMS, ids=lambda create_form: create_form.id)
def test_six_identical_posts_at_once_save_once_and_none_is_a_server_error(create_form, reference_data):
    world = make_world()
    user = user_for(create_form)
    clients = [logged_in(user) for _ in range(AT_ONCE)]
    data = opened_form(clients[0], create_form, world)
    before = create_form.rows()
    responses = race(*(lambda client=client: post(client, create_form, world, data) for client in clients))
    errors = [response for response in responses if isinstance(response, Exception) or response.status_code >= 500]
    assert errors == []
    assert [response.status_code for response in responses] == [302] * AT_ONCE
    assert len({response["Location"] for response in responses}) == 1
    assert sum(said(response, already_saved()) for response in responses) == AT_ONCE - 1
    assert added(before, create_form.rows()) == create_form.adds
    assert SubmittedForm.objects.count() == 1


def test_a_token_made_for_one_account_saves_nothing_for_another_and_stays_hers(client, provincial_staff, commune_a):
    """A copied or leaked token: the other account's POST is refused, and hers still saves once."""
    client.force_login(provincial_staff)
    url = reverse("cooperatives:create")
    data = with_token(client, url, organisation_form_data(commune=commune_a.pk))
    other = Client()
    other.force_login(UserFactory(role=Role.STAFF, province_wide=True))
    refused = other.post(url, data)
    assert refused.status_code == 200
    assert [error.code for error in refused.context["form"].non_field_errors().as_data()] == ["submission_token"]
    assert not Organisation.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Organisation.objects.count() == 1
