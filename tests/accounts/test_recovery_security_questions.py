"""Forgot password? without an email: username + the two security questions, three tries each,
then Reset Password and the home page (SPEC A3b, A6)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client

from accounts.models import DecoySecurityAnswer, SecurityAnswer
from accounts.security_questions import QUESTION_TEXT
from portal.models import AuditAction, AuditEvent
from tests.accounts.recovery_support import (
    DANA_MOBILE,
    NEW_PASSWORD,
    dana_fixture,  # noqa: F401  (the "dana" fixture)
    outbox,
    page,
    then_the_sign_in_code,
)
from tests.lookalikes import DOTLESS_I, full_width
from tests.pages import assert_not_found, assert_page, assert_redirect

pytestmark = pytest.mark.django_db

START = "/account/recovery/security-questions/"
ANSWERS = "/account/recovery/security-questions/answers/"
RESET = "/account/recovery/reset-password/"
RIGHT = {"answer1": "Biscuit", "answer2": "Lincoln Elementary"}
WRONG = {"answer1": "Rex", "answer2": "Roosevelt High"}


def start(client, username):
    response = client.post(START, {"username": username})
    assert_redirect(response, ANSWERS)
    answers = client.get(ANSWERS)
    assert_page(answers, "accounts/recovery/security_questions.html")
    return answers


def questions_on(response) -> list[str]:
    return re.findall(r'<label for="id_answer\d">([^<]+)</label>', response.content.decode())


def without_questions(response) -> str:
    body = page(response)
    for text in QUESTION_TEXT.values():
        body = body.replace(str(text), "QUESTION")
    return body


def test_it_asks_the_account_own_questions(client, dana):
    assert questions_on(start(client, "DANA-DUNN")) == [
        QUESTION_TEXT["first_pet"], QUESTION_TEXT["first_school"]]


def test_right_answers_in_any_case_and_spacing_lead_to_reset_password_then_home(client, dana):
    start(client, "dana-dunn")
    response = client.post(ANSWERS, {"answer1": "  BISCUIT ", "answer2": "lincoln   elementary"})
    assert response["Location"] == RESET
    assert b"<h1>Reset Password</h1>" in client.get(RESET).content
    response = client.post(RESET, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # The one-time code is still asked for: answers alone never sign anyone in.
    assert then_the_sign_in_code(client, response)["Location"] == "/"
    assert_page(client.get("/"), "portal/home.html", "Welcome, Dana")
    dana.user.refresh_from_db()
    assert dana.user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(dana.user.pk)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert (event.actor, event.subject_user, event.extra["method"]) == (
        None, dana.user, "security_questions")
    passed = AuditEvent.objects.get(action=AuditAction.SECURITY_ANSWERS_PASSED)
    assert (passed.actor, passed.subject_user) == (None, dana.user)


def test_the_new_password_is_typed_twice_and_follows_the_policy(client, dana):
    start(client, "dana-dunn")
    client.post(ANSWERS, RIGHT)
    mismatch = client.post(RESET, {"new_password1": NEW_PASSWORD, "new_password2": "Other-1!x"})
    weak = client.post(RESET, {"new_password1": "password1", "new_password2": "password1"})
    for response in (mismatch, weak):
        assert_page(response, "accounts/recovery/reset_password.html", "field-error")
    dana.user.refresh_from_db()
    assert not dana.user.check_password("password1")
    assert '<label for="id_new_password1">New password' in weak.content.decode()


WRONG_ANSWERS = "One or both answers do not match. Check them and try again."


def comparable(response) -> str:
    """The page without what changes on every page (the CSRF token) or what the person typed."""
    body = assert_page(response, "accounts/recovery/security_questions.html", WRONG_ANSWERS)
    return re.sub(r'value="[^"]*"', 'value=""', body)


def test_a_wrong_answer_gets_one_message_that_does_not_say_which(client, dana):
    start(client, "dana-dunn")
    second_wrong = comparable(client.post(ANSWERS, {"answer1": "Biscuit",
                                                    "answer2": "Roosevelt High"}))
    first_wrong = comparable(client.post(ANSWERS, {"answer1": "Rex",
                                                   "answer2": "Lincoln Elementary"}))
    both_wrong = comparable(client.post(ANSWERS, WRONG))
    # Nothing tells which answer was right, nor how many tries each question has left.
    assert second_wrong == first_wrong == both_wrong
    assert second_wrong.count("field-error") == 0
    failed = AuditEvent.objects.filter(action=AuditAction.SECURITY_ANSWER_FAILED).earliest("pk")
    assert (failed.actor, failed.subject_user, failed.extra) == (
        None, dana.user, {"question": "first_school"})


def test_the_third_wrong_answer_to_a_question_locks_recovery(client, dana):
    start(client, "dana-dunn")
    client.post(ANSWERS, WRONG)
    assert WRONG_ANSWERS in comparable(client.post(ANSWERS, WRONG))
    locked = client.post(ANSWERS, WRONG)
    assert_page(locked, "accounts/recovery/locked.html", "Please contact your practice")
    dana.user.refresh_from_db()
    assert dana.user.recovery_locked_at is not None
    locked = AuditEvent.objects.get(action=AuditAction.RECOVERY_LOCKED)
    assert (locked.actor, locked.subject_user) == (None, dana.user)


def test_each_question_has_its_own_three_tries(client, dana):
    start(client, "dana-dunn")
    client.post(ANSWERS, {"answer1": "Rex", "answer2": "Lincoln Elementary"})
    client.post(ANSWERS, {"answer1": "Rex", "answer2": "Lincoln Elementary"})
    client.post(ANSWERS, {"answer1": "Biscuit", "answer2": "Roosevelt"})
    comparable(client.post(ANSWERS, {"answer1": "Biscuit", "answer2": "Roosevelt"}))
    assert failures_of(dana.user) == {"first_pet": 2, "first_school": 2}
    dana.user.refresh_from_db()
    assert dana.user.recovery_locked_at is None
    client.post(ANSWERS, {"answer1": "Biscuit", "answer2": "Roosevelt"})
    dana.user.refresh_from_db()
    assert dana.user.recovery_locked_at is not None


def test_after_the_lock_nothing_more_can_be_tried(client, dana):
    start(client, "dana-dunn")
    for _ in range(3):
        client.post(ANSWERS, WRONG)
    other_browser = Client()
    start(other_browser, "dana-dunn")
    response = other_browser.post(ANSWERS, RIGHT)
    assert b"Please contact your practice" in response.content
    assert other_browser.get(RESET)["Location"] == "/account/password/reset/"
    dana.user.refresh_from_db()
    assert not dana.user.check_password(NEW_PASSWORD)


def test_right_answers_start_the_count_again(client, dana):
    start(client, "dana-dunn")
    client.post(ANSWERS, WRONG)
    client.post(ANSWERS, WRONG)
    assert client.post(ANSWERS, RIGHT)["Location"] == RESET
    other_browser = Client()
    start(other_browser, "dana-dunn")
    comparable(other_browser.post(ANSWERS, WRONG))
    assert failures_of(dana.user) == {"first_pet": 1, "first_school": 1}


def test_an_unknown_username_gets_the_same_made_up_questions_every_time(client, dana):
    first = questions_on(start(client, "nobody-here"))
    assert len(set(first)) == 2 and set(first) <= set(QUESTION_TEXT.values())
    assert questions_on(start(Client(), "NOBODY-HERE")) == first


def test_an_unknown_username_fails_the_way_an_account_does(client, dana):
    known, unknown = Client(), Client()
    assert without_questions(start(known, "dana-dunn")) == without_questions(
        start(unknown, "nobody-here"))
    for _ in range(2):
        assert without_questions(known.post(ANSWERS, WRONG)) == without_questions(
            unknown.post(ANSWERS, WRONG))
    known_locked, unknown_locked = known.post(ANSWERS, WRONG), unknown.post(ANSWERS, WRONG)
    assert_page(known_locked, "accounts/recovery/locked.html", "Please contact your practice")
    assert page(known_locked) == page(unknown_locked)
    # And it stays locked, as an account would.
    start(unknown, "nobody-here")
    assert page(unknown.post(ANSWERS, WRONG)) == page(known_locked)


def test_an_account_without_security_questions_gets_made_up_ones(client, alice):
    questions = questions_on(start(client, "alice-archer"))
    assert len(questions) == 2
    comparable(client.post(ANSWERS, {"answer1": "x", "answer2": "y"}))


def test_the_lock_is_flagged_on_the_chart_for_staff(client, dana, staff):
    start(client, "dana-dunn")
    for _ in range(3):
        client.post(ANSWERS, WRONG)
    console = Client()
    console.force_login(staff)
    chart_page = console.get(f"/staff/portal/patientchart/{dana.chart.pk}/change/")
    assert chart_page.status_code == 200
    assert "Password recovery is locked for the portal account “dana-dunn”" in (
        chart_page.content.decode())
    assert b"Issue password reset token" in chart_page.content


def test_an_unlocked_chart_has_no_flag(dana, staff):
    console = Client()
    console.force_login(staff)
    chart_page = console.get(f"/staff/portal/patientchart/{dana.chart.pk}/change/")
    body = assert_page(chart_page, "admin/change_form.html", "Issue password reset token",
                       "MRN-DANA-1")
    assert "Password recovery is locked" not in body


def test_other_sessions_end_and_a_text_says_the_password_changed(client, dana):
    phone = Client()
    phone.force_login(dana.user)
    start(client, "dana-dunn")
    client.post(ANSWERS, RIGHT)
    response = client.post(RESET, {"new_password1": NEW_PASSWORD,
                                    "new_password2": NEW_PASSWORD})
    then_the_sign_in_code(client, response)
    assert_page(client.get("/"), "portal/home.html", "Welcome, Dana")
    assert_redirect(phone.get("/"), "/account/login/")
    notice = outbox("security-notice").get()
    assert (notice.channel, notice.recipient) == ("sms", DANA_MOBILE)
    assert "password was changed" in notice.body_text
    for detail in ["Dunn", dana.chart.record_number, "1985", "Harbor"]:
        assert detail not in notice.body_text


def test_reset_password_needs_the_answers_first(client, dana):
    response = client.get(RESET)
    assert response["Location"] == "/account/password/reset/"
    start(client, "dana-dunn")  # a username alone proves nothing
    assert client.get(RESET)["Location"] == "/account/password/reset/"


def test_the_proof_lasts_only_a_few_minutes(client, dana):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
                             tick=False) as traveller:
        start(client, "dana-dunn")
        client.post(ANSWERS, RIGHT)
        traveller.shift(datetime.timedelta(minutes=16))
        assert client.get(RESET)["Location"] == "/account/password/reset/"


def test_answers_are_throttled_per_device_then_allowed_again(dana):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
                             tick=False) as traveller:
        for n in range(20):
            browser = Client()
            start(browser, f"guess-{n:03d}")
            browser.post(ANSWERS, WRONG)
        browser = Client()
        start(browser, "dana-dunn")
        refused = browser.post(ANSWERS, RIGHT)
        assert b"Too many attempts" in refused.content
        traveller.shift(datetime.timedelta(minutes=61))
        assert browser.post(ANSWERS, RIGHT)["Location"] == RESET


def test_another_practice_never_sees_the_chart_or_its_flag(client, dana, other_staff):
    start(client, "dana-dunn")
    for _ in range(3):
        client.post(ANSWERS, WRONG)
    console = Client()
    console.force_login(other_staff)
    assert_not_found(console.get(f"/staff/portal/patientchart/{dana.chart.pk}/change/"),
                     "admin:portal_patientchart_change")
    index = assert_page(console.get("/staff/"), "admin/index.html", "Staff console")
    assert "dana-dunn" not in index  # nor a message left behind


def test_tries_at_an_unknown_username_while_signed_in_count_against_that_name_only(dana):
    browser = Client()
    browser.force_login(dana.user)
    start(browser, "nobody-here")
    for _ in range(3):
        browser.post(ANSWERS, WRONG)
    dana.user.refresh_from_db()
    assert dana.user.recovery_locked_at is None
    other = Client()
    start(other, "nobody-here")
    assert b"Please contact your practice" in other.post(ANSWERS, WRONG).content
    start(other, "dana-dunn")
    assert other.post(ANSWERS, RIGHT)["Location"] == RESET


# Where the count is kept: with the answers, never read back from the audit trail ---------------


def failures_of(user) -> dict[str, int]:
    return dict(SecurityAnswer.objects.filter(user=user).values_list("question",
                                                                     "failed_attempts"))


def test_wrong_answers_are_counted_on_the_accounts_own_questions(client, dana):
    assert failures_of(dana.user) == {"first_pet": 0, "first_school": 0}
    start(client, "dana-dunn")
    client.post(ANSWERS, {"answer1": "Biscuit", "answer2": "Roosevelt High"})
    client.post(ANSWERS, WRONG)
    assert failures_of(dana.user) == {"first_pet": 1, "first_school": 2}
    client.post(ANSWERS, RIGHT)
    assert failures_of(dana.user) == {"first_pet": 0, "first_school": 0}


def test_a_password_reset_of_any_kind_starts_the_count_again(client, dana):
    from accounts.recovery_reset import ResetMethod, password_reset_complete

    start(client, "dana-dunn")
    client.post(ANSWERS, WRONG)
    client.post(ANSWERS, WRONG)
    password_reset_complete(user=dana.user, password=NEW_PASSWORD, method=ResetMethod.EMAIL_LINK)
    assert failures_of(dana.user) == {"first_pet": 0, "first_school": 0}
    start(client, "dana-dunn")
    comparable(client.post(ANSWERS, WRONG))
    assert failures_of(dana.user) == {"first_pet": 1, "first_school": 1}


def test_an_unknown_usernames_count_is_kept_without_the_name(client, dana):
    start(client, "Nobody-Here")
    client.post(ANSWERS, WRONG)
    client.post(ANSWERS, {"answer1": "x", "answer2": "y"})
    kept = list(DecoySecurityAnswer.objects.values_list("subject", "question",
                                                        "failed_attempts"))
    assert len(kept) == 2 and {count for _, _, count in kept} == {2}
    assert len({subject for subject, _, _ in kept}) == 1
    assert "nobody" not in kept[0][0].casefold()
    start(Client(), "NOBODY-HERE")  # the same name, in any case, is the same subject
    assert DecoySecurityAnswer.objects.count() == 2
    assert failures_of(dana.user) == {"first_pet": 0, "first_school": 0}


def test_a_look_alike_username_gets_made_up_questions(client, dana):
    own = [QUESTION_TEXT["first_pet"], QUESTION_TEXT["first_school"]]
    assert questions_on(start(Client(), full_width("DANA-DUNN"))) == own  # dana's own
    # Another username: a case-insensitive lookup (UPPER) on PostgreSQL found dana-dunn.
    start(client, f"dana-dun{DOTLESS_I}")
    response = client.post(ANSWERS, RIGHT)
    assert_page(response, "accounts/recovery/security_questions.html")
    assert not AuditEvent.objects.filter(action=AuditAction.SECURITY_ANSWERS_PASSED).exists()
