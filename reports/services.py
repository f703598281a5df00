"""Issuing a summary report: the only write the reports app makes."""

import hashlib

from django.db import transaction

from .models import IssuedReport
from .rendering import summary_pdf
from .selectors import statistics, statistics_json


@transaction.atomic
def report_issue(*, issued_by, as_of, filters) -> IssuedReport:
    """Compute the figures for ``issued_by``'s scope, render the PDF once and keep both as issued."""
    figures = statistics(as_of=as_of, user=issued_by, filters=filters)
    pdf = summary_pdf(figures)
    report = IssuedReport(
        as_of=as_of,
        filters=filters.as_dict(),
        filters_description="\n".join(filters.describe()),
        figures=statistics_json(figures),
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by=issued_by,
    )
    report.full_clean()
    report.save()
    return report
