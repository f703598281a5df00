"""A staff member finds two records of one person, merges them, sees the kept record, and undoes the merge.

Locators use the pages' links and forms rather than their words, which the translators may still change.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from coopportal.accounts.models import Role
from members.models import Person, PersonMerge
from tests.conftest import log_in
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, member

pytestmark = pytest.mark.e2e


def test_find_the_pair_merge_it_and_undo(page):
    organisation = OrganisationFactory(name="Hợp tác xã Nông nghiệp Đồng Xuân")
    kept = member(organisation, full_name="Trần Thị Mai", birth_year=1985, phone="0905111222").person
    merged = PersonFactory(full_name="Tran Thi Mai", birth_year=1985, birth_date=date(1985, 3, 12))
    UserFactory(username="hong", role=Role.STAFF, province_wide=True)
    log_in(page, "hong")

    page.goto("/members/")
    page.locator('a[href="/members/duplicates/"]').click()
    pair = page.locator("[data-pair]")
    expect(pair).to_have_count(1)
    expect(pair).to_contain_text("Tran Thi Mai")
    pair.locator(f'a[href="/members/{kept.pk}/merge/{merged.pk}/"]').click()

    page.locator(f'#person-merge input[name="keep"][value="{kept.pk}"]').check()
    page.locator('#person-merge button[type="submit"]').click()
    expect(page).to_have_url(f"{page.url.split('/members/')[0]}/members/{kept.pk}/")
    expect(page.locator("h1")).to_have_text("Trần Thị Mai")
    expect(page.locator("body")).to_contain_text("12/03/1985")  # her date of birth, from the merged record
    assert not Person.objects.filter(pk=merged.pk).exists()

    page.locator("#merges a").click()
    page.locator('form[action$="/undo/"] button[type="submit"]').click()
    expect(page.locator("h1")).to_have_text("Tran Thi Mai")
    assert Person.objects.filter(pk=merged.pk).exists()
    assert PersonMerge.objects.get().undone_at is not None
    kept.refresh_from_db()
    assert kept.birth_date is None
