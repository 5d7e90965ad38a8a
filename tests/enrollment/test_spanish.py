"""Enrollment in Spanish (issue 10, item 14): its pages and emails have no English sentence of
their own left, and emails go out in the recipient's language.

"English left" is measured against the catalog: every message of the enrollment files that the
English page shows must be gone from the Spanish one (names, addresses and numbers may stay)."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import timezone

from portal.outbox import outbox_email, outbox_text
from tests.enrollment.conftest import GOOD_DETAILS, sign_up_path_from_outbox

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
ENROLLMENT_FILES = re.compile(
    r"^(enrollment/|templates/enrollment/|templates/includes/|portal/forms\.py|"
    r"templates/portal/no_(record|right)\.html|templates/texts/invitation\.txt|"
    r"templates/emails/(invitation|self-registration|enrollment-approved|enrollment-rejected|"
    r"guardian-access-ended|representative-accepted)-)")


def _english_messages() -> list[str]:
    """The enrollment files' messages (those with a placeholder: the text around it)."""
    found = []
    for entry in polib.pofile(str(CATALOG)):
        if any(ENROLLMENT_FILES.match(path) for path, _ in entry.occurrences):
            found += [part.strip() for part in re.split(r"%\(\w+\)s|\{\w+\}|<[^>]+>",
                                                        entry.msgid)]
    # Three words or more: a phrase of ours, not a word Spanish shares ("Error:", "Email") nor
    # two words that other areas' texts use too ("patient portal", "email address").
    return sorted({part for part in found if len(part.split()) >= 3})


ENGLISH = _english_messages()


def _text(markup: str) -> str:
    main = markup.split('<main', 1)[-1].split("</main>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _english_left(spanish: str, english: str) -> list[str]:
    english, spanish = " ".join(english.split()), " ".join(spanish.split())
    return [m for m in ENGLISH if m in english and m in spanish]


def test_the_catalog_has_the_enrollment_messages():
    assert len(ENGLISH) > 100


# Pages ------------------------------------------------------------------------------------------

@pytest.fixture
def at_security_details(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    client.post("/enroll/identify/", {"zip_code": "02139", "date_of_birth": "06/15/1985"})
    return client


def _both(client, method: str, path: str, data: dict | None = None) -> tuple[str, str]:
    call = getattr(client, method)
    english = call(path, data or {}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = call(path, data or {}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    return _text(english), _text(spanish)


def test_create_security_details_in_spanish(at_security_details):
    english, spanish = _both(at_security_details, "get", "/enroll/security-details/")
    assert "Crear datos de seguridad" in spanish and "Continuar" in spanish
    assert _english_left(spanish, english) == []


def test_its_error_summary_and_messages_in_spanish(at_security_details):
    english, spanish = _both(at_security_details, "post", "/enroll/security-details/",
                             {"code_channel": "email"})
    assert "Hay un problema" in spanish and "Elija un nombre de usuario." in spanish
    assert "Escriba un correo electrónico para recibir su código por correo." in spanish
    assert _english_left(spanish, english) == []


@pytest.mark.parametrize("path", ["/enroll/token/", "/enroll/new-account/", "/enroll/request/",
                                  "/enroll/request/sent/", "/enroll/verify/"])
def test_the_pages_before_an_account_in_spanish(client, practice, path):
    english, spanish = _both(client, "get", path)
    assert _english_left(spanish, english) == []
    english, spanish = _both(client, "post", path) if path != "/enroll/request/sent/" else (
        english, spanish)
    assert _english_left(spanish, english) == []


def test_welcome_in_spanish(client, alice, staff):
    from accounts.models import Relationship
    from enrollment.models import InvitationKind
    from enrollment.services import invitation_issue_and_send

    issued = invitation_issue_and_send(
        patient=alice.chart, kind=InvitationKind.LINK, created_by=staff,
        relationship=Relationship.TRUSTED_REPRESENTATIVE, first_name="Dana", last_name="Diaz",
        email="dana@example.com")
    client.get(f"/enroll/sign-up/{issued.secret}/")
    client.post("/enroll/identify/", {"zip_code": "02139", "date_of_birth": "06/15/1985"})
    english, spanish = _both(client, "get", "/enroll/welcome/")
    assert "Soy nuevo aquí" in spanish and "Ya tengo una cuenta" in spanish
    assert _english_left(spanish, english) == []
    english, spanish = _both(client, "get", "/enroll/welcome/?account=existing")
    assert _english_left(spanish, english) == []


def test_a_pending_request_in_spanish(client, practice):
    from tests.enrollment.conftest import latest_code

    client.post("/enroll/new-account/", {
        "practice": practice.pk, "first_name": "Nobody", "last_name": "Known",
        "date_of_birth": "06/15/1985", "zip_code": "02139", "email": "nobody@example.com"})
    client.post("/enroll/security-details/", {**GOOD_DETAILS, "email": "nobody@example.com"})
    client.post("/enroll/verify/", {"code": latest_code("nobody@example.com")})
    english, spanish = _both(client, "get", "/")
    assert "Qué pasa ahora" in spanish
    assert _english_left(spanish, english) == []


# Emails and texts -------------------------------------------------------------------------------

CONTEXT = {
    "practice_name": "Harbor Family Practice", "first_name": "Dana", "url": "https://x.example/u/",
    "expires_at": timezone.now() + datetime.timedelta(days=5),
    "practice_time_zone": "America/New_York", "as_proxy": True,
    "relationship": "trusted representative", "patient_name": "Nora N.",
    "inviter_name": "Nora N.", "inviter_is_patient": True, "representative_name": "Dana D.",
    "manage_url": "https://x.example/account/representatives/", "practice_phone": "",
    "reason": "No match.",
}
TEMPLATES = ["invitation", "self-registration", "enrollment-approved",
             "enrollment-approved-account", "enrollment-rejected", "guardian-access-ended",
             "representative-accepted"]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("variant", [{}, {"inviter_is_patient": False},
                                     {"inviter_name": "", "inviter_is_patient": False},
                                     {"as_proxy": False}, {"practice_phone": "(617) 555-0100"},
                                     {"manage_url": "", "first_name": ""}])
def test_every_email_in_spanish(template, variant):
    context = {**CONTEXT, **variant}
    english = outbox_email(to="x@example.com", template=template, context=context,
                           language="en")
    spanish = outbox_email(to="x@example.com", template=template, context=context,
                           language="es")
    assert spanish.subject != english.subject
    for part in ("subject", "body_text", "body_html"):
        mine, theirs = getattr(spanish, part), getattr(english, part)
        if part == "body_html":
            mine, theirs = _text("<main>" + mine + "</main>"), _text("<main>" + theirs + "</main>")
        assert _english_left(mine, theirs) == [], part


@pytest.mark.parametrize("variant", [{}, {"inviter_name": ""}, {"as_proxy": False}])
def test_the_invitation_text_in_spanish(variant):
    context = {**CONTEXT, **variant}
    english = outbox_text(to="+16175550123", template="invitation", context=context,
                          language="en")
    spanish = outbox_text(to="+16175550123", template="invitation", context=context,
                          language="es")
    assert "Regístrese" in spanish.body_text
    assert _english_left(spanish.body_text, english.body_text) == []
