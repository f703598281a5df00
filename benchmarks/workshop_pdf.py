"""How long the demo article workshop's PDF report takes to render (target: under 2 seconds).

Builds a throwaway test database, loads the demo with `seed_demo`, then renders the report the way
`workshops:report_pdf` does, several times: the first render also pays for loading WeasyPrint and the
fonts, the next ones are what a running server pays.
"""

import io
import statistics
import time

from ._database import throwaway_database

RUNS = 5


def main():
    with throwaway_database():
        from django.core.management import call_command
        from django.utils import timezone, translation

        call_command("seed_demo", stdout=io.StringIO())
        from coopportal.pdf import render_pdf
        from workshops.demo import ARTICLE_TITLE
        from workshops.models import Workshop
        from workshops.selectors import report_heading, workshop_report

        workshop = Workshop.objects.select_related("commune").get(title=ARTICLE_TITLE)
        timings, size = [], 0
        with translation.override("vi"):
            for _ in range(RUNS):
                started = time.perf_counter()
                today = timezone.localdate()
                pdf = render_pdf(
                    "pdf/workshop_report.html",
                    {"report": workshop_report(workshop, today), "document": report_heading(workshop, today)},
                )
                timings.append(time.perf_counter() - started)
                size = len(pdf)
        print(f"workshop report PDF ({workshop.participants.count()} participants, {size / 1024:.0f} KiB)")
        print(f"  first render (loads WeasyPrint and fonts): {timings[0]:.2f} s")
        print(f"  next {RUNS - 1} renders: median {statistics.median(timings[1:]):.2f} s, max {max(timings[1:]):.2f} s")
        print(f"  target: under 2 s -> {'met' if max(timings[1:]) < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
