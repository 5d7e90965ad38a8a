"""The password rules are printed once wherever a new password is chosen (issue 10, item 7):
the live checklist, not also Django's list of the same rules; and the username's rules once.

The checklist takes the place of the password field's hint, under the hint's id, so the input
is still described by it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts

from accounts import password_policy
from tests.enrollment.conftest import sign_up_path_from_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_details_page(client, emailed_invitation):
    client.get(sign_up_path_from_outbox("nora@example.com"))
    client.post("/enroll/identify/", {"zip_code": "02139", "date_of_birth": "06/15/1985"})
    return client.get("/enroll/security-details/").content.decode()


@pytest.fixture
def password_change_page(client, alice):
    client.force_login(alice.user)
    response = client.get("/account/password/change/")
    assert response.status_code == 200
    return response.content.decode()


def _described_by(body: str, field_id: str) -> list[str]:
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', body).group(0)
    return re.search(r'aria-describedby="([^"]+)"', tag).group(1).split()


def _assert_rules_once(body: str, password_id: str) -> None:
    for help_text in password_validators_help_texts():  # Django's list: not printed
        assert help_text.replace("'", "&#x27;") not in body and help_text not in body, help_text
    for rule, _ in password_policy.PASSWORD_RULES:
        assert body.count(f">{rule.text}<") == 1, rule.text
    assert body.count('id="password-rules"') == 1
    # The input is described by the checklist, which stands where the hint would be.
    hint = f"{password_id}_help"
    assert hint in _described_by(body, password_id)
    assert re.search(rf'<div id="{hint}" class="field-rules">\s*<script[^>]*>[^<]*</script>\s*'
                     r'<ul id="password-rules"', body)


def test_create_security_details_prints_the_password_rules_once(security_details_page):
    _assert_rules_once(security_details_page, "id_password1")


def test_create_security_details_prints_the_username_rules_once(security_details_page):
    body = security_details_page
    assert str(password_policy.USERNAME_HELP_TEXT) not in body
    for rule, _ in password_policy.USERNAME_RULES:
        assert body.count(f">{rule.text}<") == 1, rule.text
    assert "id_username_help" in _described_by(body, "id_username")
    assert re.search(r'<div id="id_username_help" class="field-rules">\s*<ul id="username-rules"',
                     body)


def test_changing_the_password_prints_the_rules_once(password_change_page):
    _assert_rules_once(password_change_page, "id_password1")


def test_the_checklist_script_gets_its_words_from_the_page(security_details_page):
    rules = re.search(r'<ul id="password-rules"[^>]*>', security_details_page).group(0)
    assert 'data-word-done="done"' in rules and 'data-word-not-met="not met yet"' in rules
    assert 'data-word-some-met="Password: {met} of {total} requirements met."' in rules
    script = Path(password_policy.__file__).parents[1] / "static/js/password-checklist.js"
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script.read_text(), flags=re.S)  # no comments
    literals = [re.sub(r"\$\{[^}]*\}", "", a or b)  # the text of a template, not its code
                for a, b in re.findall(r"'([^'\n]*)'|`([^`]*)`", code)]
    assert literals  # the pattern finds the script's strings
    for literal in literals:
        assert not re.search(r"done|not met|requirements|Password|Username", literal), literal
