"""How fast the reports dashboard answers an official with the demo province (target: under 300 ms).

Run with `.venv/bin/python -m benchmarks.dashboard`: it seeds the demo into a throwaway test
database, opens the dashboard through Django's test client as the demo official, and prints the
median and 95th percentile of the response times, then the same for the summary PDF.
"""

import io
import statistics
import time

from ._database import throwaway_database

REQUESTS = 30
PDF_REQUESTS = 3
TARGET_MS = 300


def timed(client, url, params, repeat):
    durations = []
    for _index in range(repeat):
        start = time.perf_counter()
        response = client.get(url, params)
        durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return durations


def summary(label, durations):
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{label}: median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms over {len(ordered)} requests"


def main():
    with throwaway_database() as connection:
        from django.core.management import call_command  # noqa: PLC0415
        from django.test import Client  # noqa: PLC0415
        from django.urls import reverse  # noqa: PLC0415

        from coopportal.accounts.models import Role, User  # noqa: PLC0415
        from members.demo import DEMO_WORKSHOP_DATE  # noqa: PLC0415

        call_command("seed_demo", stdout=io.StringIO())
        client = Client()
        client.force_login(User.objects.filter(role=Role.OFFICIAL).first())
        url = reverse("reports:dashboard")
        timed(client, url, {}, 2)  # warm caches: templates, translations, first connection
        print(summary("dashboard, today", timed(client, url, {}, REQUESTS)))
        on_the_day = timed(client, url, {"as_of": DEMO_WORKSHOP_DATE.isoformat()}, REQUESTS)
        print(summary("dashboard, workshop day", on_the_day))
        print(summary("summary PDF", timed(client, reverse("reports:summary_pdf"), {}, PDF_REQUESTS)))
        verdict = "met" if statistics.median(on_the_day) < TARGET_MS else "NOT met"
        print(f"target {TARGET_MS} ms for the dashboard: {verdict} ({connection.vendor})")


if __name__ == "__main__":
    main()
