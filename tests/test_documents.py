from datetime import date

import pytest

from coopportal.documents import DocumentHeading


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 9, 26), "Quảng Ngãi, ngày 26 tháng 9 năm 2024"),
        (date(2025, 2, 5), "Quảng Ngãi, ngày 05 tháng 02 năm 2025"),
        (date(2025, 11, 30), "Quảng Ngãi, ngày 30 tháng 11 năm 2025"),
    ],
)
def test_documents_are_dated_as_administrative_documents_write_it(day, expected):
    """Days below 10 and the months January and February take a leading zero."""
    assert DocumentHeading("", "", "Quảng Ngãi", day).place_and_date == expected
