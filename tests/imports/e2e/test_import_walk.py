"""An office's register workbook imported through the pages, from the navigation to the dashboard's figures."""

import re
import unicodedata
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cooperatives.models import Organisation
from imports.models import RegisterImport
from imports.tasks import save_register_import
from tests.conftest import log_in
from tests.imports.workbooks import demo_rows, register_workbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROGRESS = "**/progress/"


def key(text):
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def expected_from_the_workbook(organisations, members):
    """What the workbook says, counted by hand from its rows.

    Each organisation's row names the holder of its top role (the Chair, or the Director where
    there is no board, or the group leader), whose gender is on her member row; every member joined
    before today; every role written on a member row is a management role, "A kiêm B" being two.
    """
    cooperatives = {key(row[0]) for row in organisations if key(row[1]) in {"htx", "hợp tác xã"}}
    gender = {(key(row[5]), key(row[0])): key(row[2]) for row in members}
    women_managed = {
        key(row[0])
        for row in organisations
        if key(row[0]) in cooperatives and gender[(key(row[0]), key(row[6]))] == "nữ"
    }
    their_members = [row for row in members if key(row[5]) in women_managed]
    return {
        "counts": {
            "organisations": len(organisations),
            "people": len(members),
            "memberships": len(members),
            "positions": sum(len(re.split(r"\s+kiêm\s+", row[8])) for row in members if row[8]),
        },
        "women_managed_cooperatives": len(women_managed),
        "members": len(their_members),
        "women_members": sum(1 for row in their_members if key(row[2]) == "nữ"),
        "women_in_management": sum(1 for row in their_members if key(row[2]) == "nữ" and row[8]),
    }


def wait_for(found, page, seconds=15):
    """Let the browser run until ``found`` (a list its handlers fill) holds something."""
    for _tenth in range(seconds * 10):
        if found:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page did not ask for the progress")


def created(page, entity):
    return page.locator(f'#import-counts tr[data-entity="{entity}"] td[data-action="create"]')


def test_staff_import_a_workbook_correct_a_column_save_it_and_find_its_cooperatives_on_the_dashboard(
    page, provincial_staff, tmp_path, monkeypatch
):
    """Provincial staff upload the office's workbook, leave its sectors column out, read the preview, save,
    watch the save's progress until it is saved, and find its women-managed cooperatives on the dashboard.

    The worker that saves is held back (the test settings would save inside the request) so that the page
    shows the progress bar; the test then does the worker's job while the bar's polls wait.
    """
    organisations, members = demo_rows()
    workbook = tmp_path / "so-dang-ky-htx.xlsx"
    workbook.write_bytes(register_workbook(organisations=organisations, members=members))
    expected = expected_from_the_workbook(organisations, members)
    assert expected["women_managed_cooperatives"] == 2  # the demo's two cooperatives, both chaired or run by a woman
    enqueued = []
    monkeypatch.setattr(
        "imports.views.save_register_import", SimpleNamespace(enqueue=lambda *args: enqueued.append(args))
    )
    log_in(page, provincial_staff.username)

    page.locator(f'#mainnav a[href="{reverse("imports:list")}"]').click()
    page.locator(f'main a[href="{reverse("imports:upload")}"]').click()
    page.set_input_files('#import-upload input[name="file"]', workbook)
    page.locator('#import-upload button[type="submit"]').click()

    expect(page.locator('#import-status [data-status="checked"]')).to_be_visible()
    register_import = RegisterImport.objects.get()
    expect(page).to_have_url(re.compile(re.escape(reverse("imports:detail", args=[register_import.pk])) + "$"))
    sectors = page.locator("#sheet-0").get_by_label("Ngành nghề", exact=True)
    expect(sectors).to_have_value("sectors")
    sectors.select_option("")
    page.locator('#import-mapping button[type="submit"]').click()

    expect(page.locator('#import-status [data-status="checked"]')).to_be_visible()
    expect(page.locator("#sheet-0").get_by_label("Ngành nghề", exact=True)).to_have_value("")
    expect(page.locator("#refused-rows")).to_have_count(0)
    for entity, count in expected["counts"].items():
        expect(created(page, entity)).to_have_text(str(count))

    held_polls = []

    def hold(route):
        held_polls.append(route)

    page.route(PROGRESS, hold)
    page.locator('#import-save button[type="submit"]').click()
    bar = page.locator("#import-progress")
    expect(bar).to_have_attribute("aria-valuenow", "0")
    expect(page.locator('#import-status [data-status="saving"]')).to_be_visible()
    wait_for(held_polls, page)  # the bar asks how far the save has got; its question waits until the worker is done
    ((register_import_pk, user_pk),) = enqueued
    save_register_import.call(register_import_pk, user_pk)
    answer = held_polls[0].fetch()  # the question reaches the server now; the test reads the answer the bar gets
    progress = answer.json()
    held_polls[0].fulfill(response=answer)
    page.unroute(PROGRESS)
    rows = len(organisations) + len(members)
    assert (progress["status"], progress["busy"], progress["percent"]) == ("saved", False, 100)
    assert (progress["done"], progress["total"]) == (rows, rows)
    expect(page.locator('#import-status [data-status="saved"]')).to_be_visible()
    expect(bar).to_have_count(0)
    for entity, count in expected["counts"].items():
        expect(created(page, entity)).to_have_text(str(count))
    assert not Organisation.objects.filter(sectors__isnull=False).exists()

    page.locator(f'#mainnav a[href="{reverse("reports:dashboard")}"]').click()
    expect(page).to_have_url(re.compile(re.escape(reverse("reports:dashboard")) + "$"))
    for name in ("women_managed_cooperatives", "members", "women_members", "women_in_management"):
        expect(page.locator(f'[data-figure="{name}"]')).to_have_text(str(expected[name]))
