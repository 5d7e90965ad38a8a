"""Security questions (SPEC A6). Answers are kept only as salted hashes of a normalised form, so
"  Main  Street" and "main street" are the same answer."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

QUESTIONS: list[tuple[str, StrOrPromise]] = [
    ("first_street", _("What was the name of the street you grew up on?")),
    ("first_pet", _("What was the name of your first pet?")),
    ("mother_birthplace", _("In what city was your mother born?")),
    ("first_school", _("What was the name of your first school?")),
    ("childhood_friend", _("What is the first name of your childhood best friend?")),
    ("first_car", _("What was the make of your first car?")),
    ("favorite_teacher", _("What was the last name of your favorite teacher?")),
    ("wedding_city", _("In what city did you meet your spouse or partner?")),
]
QUESTION_TEXT = dict(QUESTIONS)


def normalise_answer(answer: str) -> str:
    return " ".join(answer.split()).casefold()


def hash_answer(answer: str) -> str:
    return make_password(normalise_answer(answer))


def answer_matches(answer: str, encoded: str) -> bool:
    return check_password(normalise_answer(answer), encoded)
