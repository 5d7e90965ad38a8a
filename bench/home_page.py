"""Home page and switch page under a large practice.

Builds a practice with --charts charts (default 20,000) and a user who may act for --proxies
patients (default 25), then times --requests requests (default 500) of each page through Django's
test client, reporting p50 / p95 latency, requests per second and queries per request.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--charts", type=int, default=20_000)
    parser.add_argument("--proxies", type=int, default=25)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        db_file = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    os.environ["ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import PortalAccess, Relationship, User
    from portal.models import PatientChart, Practice

    call_command("flush", "--noinput", verbosity=0) if _has_tables(connection) else None
    call_command("migrate", verbosity=0)

    practice = Practice.objects.create(name="Bench Practice", slug="bench")
    born = datetime.date(1980, 1, 1)
    PatientChart.objects.bulk_create(
        [
            PatientChart(practice=practice, record_number=f"B{i:07d}", first_name=f"First{i}",
                         last_name=f"Last{i % 997}", date_of_birth=born, zip_code="02139")
            for i in range(args.charts)
        ],
        batch_size=2000,
    )
    charts = list(PatientChart.objects.order_by("pk")[: args.proxies])
    user = User.objects.create(username="bench-user")
    PortalAccess.objects.create(user=user, patient=charts[0], relationship=Relationship.SELF)
    PortalAccess.objects.bulk_create(
        [PortalAccess(user=user, patient=c, relationship=Relationship.GUARDIAN)
         for c in charts[1:]]
    )
    # Other users with accesses, so the access table is not trivially small.
    others = User.objects.bulk_create([User(username=f"bench-{i:06d}") for i in range(2000)])
    chart_ids = list(PatientChart.objects.values_list("pk", flat=True)[args.proxies:])
    PortalAccess.objects.bulk_create(
        [PortalAccess(user=u, patient_id=chart_ids[i % len(chart_ids)],
                      relationship=Relationship.SELF)
         for i, u in enumerate(others)]
    )

    client = Client()
    client.force_login(user)
    print(f"{connection.vendor}: {args.charts} charts, user acting for {args.proxies} patients, "
          f"{args.requests} requests per page")
    for url in ("/", "/account/switch/"):
        client.get(url)
        # Each request resets the query log at its start; begin from an empty one.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        query_count = len(queries)  # read now: later requests reset the query log
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        timings = []
        started = time.perf_counter()
        for _ in range(args.requests):
            t0 = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        total = time.perf_counter() - started
        timings.sort()
        print(f"  {url:<18} p50 {statistics.median(timings):6.2f} ms   "
              f"p95 {timings[int(len(timings) * 0.95)]:6.2f} ms   "
              f"{args.requests / total:7.1f} req/s   {query_count} queries")


def _has_tables(connection: Any) -> bool:
    return "portal_practice" in connection.introspection.table_names()


if __name__ == "__main__":
    main()
