"""accounts 0003 gives every existing account its canonical username. Two accounts that were
allowed before as different usernames but are one username now (full-width letters, ß and ss,
the long s) cannot both keep it: the oldest does, the others get their own number added."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.lookalikes import LONG_S, full_width

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0002_initial")]
AFTER = [("accounts", "0003_username_canonical")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_accounts_get_their_canonical_username_and_look_alikes_a_number():
    old = migrate(BEFORE).get_model("accounts", "User")
    first = old.objects.create(username="Jess-Stone")
    wide = old.objects.create(username=full_width("jess-stone"))
    long_s = old.objects.create(username=f"je{LONG_S}s-{LONG_S}tone")
    other = old.objects.create(username="Straße-7")
    try:
        new = migrate(AFTER).get_model("accounts", "User")
        rows = dict(new.objects.values_list("pk", "username"))
        canonical = dict(new.objects.values_list("pk", "username_canonical"))
        assert rows[first.pk] == "Jess-Stone" and canonical[first.pk] == "jess-stone"
        assert rows[wide.pk] == full_width("jess-stone") + f"-{wide.pk}"
        assert canonical[wide.pk] == f"jess-stone-{wide.pk}"
        assert rows[long_s.pk] == f"je{LONG_S}s-{LONG_S}tone-{long_s.pk}"
        assert canonical[other.pk] == "strasse-7"
    finally:
        # Back to the latest schema (not only 0003): the tests after this one need it all.
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
