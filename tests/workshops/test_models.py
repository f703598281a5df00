from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from workshops.models import DiscussionTheme, OrganiserLevel, Workshop
from workshops.reference import THEMES

from .factories import add_participant, make_workshop, propose

pytestmark = pytest.mark.django_db


def test_the_article_themes_and_other_are_loaded_in_order():
    """The six themes the article lists, then "other", are there after migrating."""
    assert list(DiscussionTheme.objects.values_list("code", flat=True)) == [code for code, _, _ in THEMES]
    assert DiscussionTheme.objects.get(code="market_access").name_vi == "Tìm kiếm thị trường tiêu thụ sản phẩm"


def test_a_workshop_cannot_end_before_it_starts():
    """The service refuses it with the field's message, and the database refuses a raw write too."""
    with pytest.raises(ValidationError) as error:
        make_workshop(start_date=date(2024, 9, 26), end_date=date(2024, 9, 25))
    assert error.value.error_dict["__all__"][0].code == "end_before_start"
    assert not Workshop.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.create(
            title="x", start_date=date(2024, 9, 26), end_date=date(2024, 9, 25), organiser_level=OrganiserLevel.PROVINCE
        )


def test_a_commune_unions_workshop_names_its_commune():
    with pytest.raises(ValidationError) as error:
        make_workshop(organiser_level=OrganiserLevel.COMMUNE)
    assert error.value.error_dict["__all__"][0].code == "commune_union_without_commune"


def test_a_workshop_in_the_future_cannot_be_marked_held():
    with pytest.raises(ValidationError) as error:
        next_year = date(date.today().year + 1, 1, 1)
        make_workshop(start_date=next_year, end_date=next_year)
    assert "status" in error.value.message_dict


def test_a_participant_is_found_whatever_the_diacritics():
    """The folded name lets 'dang thi' find 'Đặng Thị'."""
    participant = add_participant(make_workshop(), full_name="Đặng Thị Ngọc Ánh")
    assert participant.search_name == "dang thi ngoc anh"


def test_a_solution_says_who_proposed_it():
    workshop = make_workshop()
    with pytest.raises(ValidationError) as error:
        propose(workshop, proposed_by_organisation="")
    assert error.value.error_dict["__all__"][0].code == "solution_without_proposer"


def test_the_proposer_must_be_a_participant_of_the_same_workshop():
    other = add_participant(make_workshop(title="Hội thảo khác"))
    with pytest.raises(ValidationError) as error:
        propose(make_workshop(), proposed_by=other)
    assert "proposed_by" in error.value.message_dict


def test_a_solution_is_not_due_before_its_workshop():
    with pytest.raises(ValidationError) as error:
        propose(make_workshop(), due_on=date(2024, 9, 25))
    assert "due_on" in error.value.message_dict


def test_overdue_means_due_date_passed_and_neither_done_nor_declined():
    workshop = make_workshop()
    late = propose(workshop, due_on=date(2024, 12, 31))
    assert late.is_overdue_on(date(2025, 1, 1))
    assert not late.is_overdue_on(date(2024, 12, 31))
    assert not propose(workshop).is_overdue_on(date(2030, 1, 1))  # no due date, never overdue
