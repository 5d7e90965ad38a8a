"""Shared fixtures: patient alice, her guardian bob, unrelated charlie, a staff member of their
practice and one of another practice (CONVENTIONS.md).

With REQUIRE_SERVICES=1 (as CI sets it) the suite refuses to run on anything less than the real
services: PostgreSQL, Redis and Chromium must all be there, or the tests that need them fail
instead of skipping.
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.db import connection

from accounts.models import PortalAccess, Relationship, User
from portal.models import PatientChart, Practice
from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def service_missing(reason: str) -> None:
    """Skip on a bare machine; fail when the real services are required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url_or_skip() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        service_missing("REDIS_URL is not set")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 2).close()
    except OSError:
        service_missing(f"Redis does not answer at {parsed.hostname}:{parsed.port}")
    return url


def chromium_or_skip() -> str:
    if not shutil.which(CHROMIUM):
        service_missing(f"Chromium is not installed at {CHROMIUM}")
    return CHROMIUM


@pytest.fixture(autouse=True, scope="session")
def _database_is_real(django_db_setup: None, django_db_blocker: object) -> None:
    if REQUIRE_SERVICES and connection.vendor != "postgresql":
        pytest.fail(
            f"REQUIRE_SERVICES=1 but the tests run on {connection.vendor}; set DATABASE_URL "
            "to a PostgreSQL database",
            pytrace=False,
        )


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_audit_trails_truncate_trigger() -> Iterator[None]:
    """Between transactional tests (the browser tests, the Celery worker's) pytest-django empties
    every table with one TRUNCATE on PostgreSQL, which the audit trail's trigger refuses
    (portal/migrations/0002). The flush disables that trigger for its own statement, in the
    same transaction, and enables it again: the tests run as the tables' owner, which may, as
    the application's role in production must not be able to. Nothing else is let through: the
    row trigger (UPDATE, DELETE) stays, and so does the TRUNCATE trigger for the tests' own
    statements."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    migration = importlib.import_module("portal.migrations.0002_auditevent_append_only")
    toggle = f"ALTER TABLE {migration.TABLE} {{}} TRIGGER {migration.TRUNCATE_TRIGGER};"
    sql_flush = DatabaseOperations.sql_flush

    def sql_flush_past_the_trigger(self, style, tables, **kwargs):
        statements = sql_flush(self, style, tables, **kwargs)
        if migration.TABLE not in tables or not statements:
            return statements
        return [toggle.format("DISABLE"), *statements, toggle.format("ENABLE")]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush_past_the_trigger)
        yield


@pytest.fixture(autouse=True)
def _clean_slate() -> None:
    from django.core.cache import cache

    from tests import sms

    cache.clear()
    sms.sent.clear()


@pytest.fixture
def practice(db: None) -> Practice:
    return factories.make_practice("Harbor Family Practice")


@pytest.fixture
def other_practice(db: None) -> Practice:
    return factories.make_practice("Lakeside Clinic", time_zone="America/Chicago")


@dataclass
class Person:
    user: User
    chart: PatientChart | None
    access: PortalAccess | None = None


@pytest.fixture
def alice(practice: Practice) -> Person:
    """An adult patient with her own portal account."""
    chart = factories.make_chart(practice, "Alice", "Archer", zip_code="02139")
    user = factories.make_user("alice-archer", email="alice@example.com")
    factories.add_code_method(user, "alice@example.com")
    return Person(user, chart, factories.grant(user, chart))


@pytest.fixture
def bob(practice: Practice, alice: Person) -> Person:
    """Alice's trusted representative, with his own chart at the same practice."""
    chart = factories.make_chart(practice, "Bob", "Baker")
    user = factories.make_user("bob-baker")
    factories.grant(user, chart)
    access = factories.grant(user, alice.chart, Relationship.TRUSTED_REPRESENTATIVE)
    return Person(user, chart, access)


@pytest.fixture
def charlie(practice: Practice) -> Person:
    """Should have no access to Alice's stuff."""
    chart = factories.make_chart(practice, "Charlie", "Chen")
    user = factories.make_user("charlie-chen")
    return Person(user, chart, factories.grant(user, chart))


@pytest.fixture
def staff(practice: Practice) -> User:
    return factories.make_staff("staff-harbor", practice)


@pytest.fixture
def other_staff(other_practice: Practice) -> User:
    return factories.make_staff("staff-lakeside", other_practice)


def pytest_configure(config: pytest.Config) -> None:
    """The Spanish pages need the compiled catalog; ``make test`` builds it, and so does a plain
    ``pytest`` (only when the .po file is newer than the .mo)."""
    from portal.catalogs import catalogs_compile

    catalogs_compile()
