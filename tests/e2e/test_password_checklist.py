"""The live checklist agrees with the server on every rule, for every password typed.

The checklist is rendered by the same template tags the pages use, its script is the shipped
file, and each mark is compared with accounts.password_policy's verdict. No server is needed:
the rendered HTML is loaded straight into Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import engines

from accounts import password_policy
from accounts.models import User
from tests.lookalikes import CYRILLIC_A, full_width

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "password-checklist.js"

PAGE = """{% load password_policy %}<!doctype html><html lang="en"><body><form>
<input id="id_username" value="{{ username }}"><input id="id_email" value="{{ email }}">
{{ form.password1 }}{{ form.password2 }}
{% password_checklist form.password1 form.password2 user=user username=un email=em %}
{% username_checklist un %}
</form></body></html>"""


class PasswordForm(forms.Form):
    username = forms.CharField()
    email = forms.CharField()
    password1 = forms.CharField(widget=forms.PasswordInput)
    password2 = forms.CharField(widget=forms.PasswordInput)


# (password, username typed on the form, details the server already knows about the account)
CASES = [
    ("Blue-Harbor-42", "alice.archer", ("", "", "")),
    ("Alice.Archer1", "alice.archer", ("", "", "")),  # the old drift: ticked, then refused
    ("Archer!2024x", "alice.archer", ("", "", "")),
    ("xArcher-Alice9", "alice.archer", ("", "", "")),
    ("Pondsworth-1", "river-song", ("Melody", "Pondsworth", "")),
    ("Melody@example.org1", "river-song", ("", "", "melody@example.org")),
    ("Correct-Horse-Battery-Staple-9-and-much-longer", "ab", ("", "", "")),
    ("Sh0rt!", "river-song", ("", "", "")),
    ("x" * 199 + "A1!", "river-song", ("", "", "")),
    ("Ⓑlue-harbor-42", "river-song", ("", "", "")),
    ("Blue harbor 42", "river-song", ("", "", "")),
    ("Blue-Harbor-٤٢", "river-song", ("", "", "")),
    ("Ünïcödé-Straße-7", "strasse-7", ("Jürgen", "Straße", "")),
    ("😀😀😀Aa1!", "river-song", ("", "", "")),
    ("", "", ("", "", "")),
]


@pytest.fixture
def checklist(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, errors
    context.close()


def _marks(page, list_id: str) -> dict[str, bool]:
    return page.eval_on_selector_all(
        f"#{list_id} li[data-rule]",
        "items => Object.fromEntries(items.map(li => "
        "[li.dataset.rule, li.classList.contains('rule-met')]))",
    )


@pytest.mark.browser
@pytest.mark.parametrize(("password", "username", "known"), CASES)
def test_every_mark_agrees_with_the_server(checklist, password, username, known):
    page, errors = checklist
    first_name, last_name, email = known
    user = User(username="", first_name=first_name, last_name=last_name, email=email)
    form = PasswordForm()
    html = engines["django"].from_string(PAGE).render({
        "form": form, "un": form["username"], "em": form["email"],
        "user": user, "username": username, "email": "",
    })
    page.set_content(html)
    page.add_script_tag(path=str(SCRIPT))
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)

    marks = _marks(page, "password-rules")
    personal = [username, *password_policy.personal_values(user)]
    expected = password_policy.password_rule_results(password, personal)
    expected["match"] = password != ""
    assert marks == expected

    username_marks = _marks(page, "username-rules")
    assert username_marks == password_policy.username_rule_results(username)

    # The server's own validator refuses exactly when a rule is unmet.
    server_user = User(username=username, first_name=first_name, last_name=last_name,
                       email=email)
    server_refuses = any(not ok for code, ok in expected.items() if code != "match")
    try:
        password_policy.PortalPasswordPolicy().validate(password, server_user)
    except Exception:
        refused = True
    else:
        refused = False
    assert refused == server_refuses
    assert errors == []


USERNAMES = [
    "alice.archer",
    "ab",
    "has space",
    "x" * 51,
    "émile.dupont@home",
    "jean_luc-picard.1",
    "émile+family",
    full_width("Alice.Archer"),  # the ordinary letters once normalised (NFKC)
    "jose\u0301-garcia",  # a combining accent, composed by NFKC
    "alice\u200barcher",  # zero-width space
    "alice\u200darcher",  # zero-width joiner
    "alice\u00adarcher",  # soft hyphen
    "alice\u034farcher",  # combining grapheme joiner
    "alice\u202earcher",  # right-to-left override
    "alice\u3164archer",  # Hangul filler
    "alice\ufe0farcher",  # variation selector
    f"{CYRILLIC_A}lice.archer",  # the characters are fine, the mix is the server's to refuse
    "\u043f\u0430\u0446\u0438\u0435\u043d\u0442",
    "\u5c71\u7530\u592a\u90ce\u305f\u308d\u3046",
    "\u0661\u0662\u0663\u0664\u0665\u0666",  # Arabic-Indic digits
    full_width("123456"),  # 123456 once normalised
    "alice\u2460archer",  # a circled digit one: NFKC makes it 1
    "😀😀😀😀😀😀",
    "",
]


@pytest.mark.browser
@pytest.mark.parametrize("username", USERNAMES)
def test_every_username_mark_agrees_with_the_server(checklist, username):
    page, errors = checklist
    form = PasswordForm()
    html = engines["django"].from_string(PAGE).render({
        "form": form, "un": form["username"], "em": form["email"], "user": None,
        "username": "", "email": "",
    })
    page.set_content(html)
    page.add_script_tag(path=str(SCRIPT))
    page.fill("#id_username", username)
    marks = _marks(page, "username-rules")
    assert marks == password_policy.username_rule_results(username)
    # The server's own validators refuse whenever a mark is unmet, and with every mark met
    # refuse only by a rule the page lists as checked on submitting (no mark).
    refusals = set()
    for validate in password_policy.username_validators:
        try:
            validate(password_policy.username_normalised(username))
        except ValidationError as error:
            refusals.add(error.code)
    if all(marks.values()):
        assert refusals <= {rule.code.replace("-", "_")
                            for rule, _ in password_policy.USERNAME_SERVER_RULES}
    else:
        assert refusals
    assert errors == []
