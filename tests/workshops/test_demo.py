"""The demo's article workshop, and its PDF report as an official downloads it."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.demo import DEMO_WORKSHOP_DATE
from members.selectors import women_managed_cooperatives_headline
from workshops.demo import ARTICLE_TITLE, EARLIER_TITLE, PLANNED_TITLE
from workshops.models import (
    OrganisationKind,
    Participant,
    Presentation,
    ProposedSolution,
    SolutionStatus,
    SolutionStatusChange,
    Workshop,
    WorkshopStatus,
)

from .test_views import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(seeded):
    return Workshop.objects.get(title=ARTICLE_TITLE)


def test_the_article_workshop_is_held_on_the_registers_day_with_about_forty_participants_of_every_kind(article):
    assert (article.start_date, article.end_date, article.status) == (DEMO_WORKSHOP_DATE, DEMO_WORKSHOP_DATE, "held")
    participants = article.participants.all()
    assert 35 <= participants.count() <= 45
    assert set(participants.values_list("organisation_kind", flat=True)) == set(OrganisationKind.values)
    assert participants.filter(person__isnull=False).count() >= 8  # managers found in the registers
    assert article.presentations.count() == 4
    assert article.themes.count() == 6
    solutions = article.solutions.all()
    assert solutions.count() == 12
    assert set(solutions.values_list("status", flat=True)) == set(SolutionStatus.values)
    assert all(s.status_changes.count() > 0 for s in solutions.exclude(status="proposed"))


def test_an_earlier_and_a_planned_workshop_stand_beside_it(seeded):
    earlier, planned = Workshop.objects.get(title=EARLIER_TITLE), Workshop.objects.get(title=PLANNED_TITLE)
    assert earlier.start_date < DEMO_WORKSHOP_DATE and earlier.status == WorkshopStatus.HELD
    assert planned.status == WorkshopStatus.PLANNED


def test_seeding_again_adds_nothing(seeded):
    models = (Workshop, Participant, Presentation, ProposedSolution, SolutionStatusChange)
    before = [model.objects.count() for model in models]
    call_command("seed_demo", stdout=io.StringIO())
    assert [model.objects.count() for model in models] == before


def test_the_article_workshops_pdf_shows_the_articles_figures_and_attendance(client, official, article):
    """Must show: title with diacritics, 26/09/2024, 16, 145, 48, the 396 members and the attendance."""
    headline = women_managed_cooperatives_headline(DEMO_WORKSHOP_DATE)
    attended = article.participants.filter(attended=True).count()
    client.force_login(official)
    text = pdf_text(client.get(reverse("workshops:report_pdf", args=[article.pk])))
    assert ARTICLE_TITLE in text
    assert "26/09/2024" in text
    assert (headline.organisations, headline.members, headline.women_members, headline.women_in_management) == (
        16,
        396,
        145,
        48,
    )
    assert (
        "Tính đến ngày 26/09/2024, tỉnh có 16 hợp tác xã do phụ nữ quản lý với 396 thành viên, trong đó 145 thành "
        "viên nữ, 48 nữ tham gia ban quản lý; 6/16 hợp tác xã có thành viên là người dân tộc thiểu số."
    ) in text
    assert f"số đại biểu tham dự: {attended}," in text


def test_the_page_shows_the_figures_the_pdf_prints(client, official, article):
    client.force_login(official)
    page = client.get(reverse("workshops:detail", args=[article.pk])).content.decode()
    assert "tỉnh có 16 hợp tác xã do phụ nữ quản lý với 396 thành viên" in " ".join(page.split())
