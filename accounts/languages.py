"""Which language to write to a person in, and the person's choice of it (issue 10, item 14).

Pages follow the request (``accounts.middleware.UserLanguageMiddleware``); emails and texts,
sent when the person is not looking, follow this: the language saved on the account, else the
default of the practice whose record they use, else the site's (``LANGUAGE_CODE``). A message the
person asked for on the page they are reading (a sign-in code, a username reminder) is written in
that page's language when the account has none saved.

The choice is made on the sign-in page (a cookie, saved on the account at sign-in when the
account has none) or in Account Settings (saved on the account, audited).
"""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.models import User
from portal.audit import audit_record
from portal.models import AuditAction, Practice

SameSite = Literal["Lax", "Strict", "None"]


def supported(language: str | None) -> bool:
    return language in {code for code, _ in settings.LANGUAGES}


def practice_language(practice: Practice | None) -> str:
    """The language for someone known only through ``practice`` (an invitee, a requester)."""
    return practice.default_language if practice is not None else settings.LANGUAGE_CODE


def user_language(user: User) -> str:
    """The language to write to ``user`` in."""
    if user.language:
        return user.language
    practice = (
        Practice.objects.filter(patients__portal_accesses__user=user)
        .order_by("patients__portal_accesses__pk").first()
    )
    return practice_language(practice)


def page_language() -> str:
    """The language of the page being answered (LocaleMiddleware's choice)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def asked_language(users: list[User], page: str | None = None) -> str:
    """For a message asked for on a page, about ``users`` (a sign-in code, a username reminder,
    a reset link): the language saved on those accounts when they agree on one, else the
    language of the page it was asked for on (``page``; by default the current request's)."""
    saved = {user.language for user in users if user.language}
    if len(saved) == 1:
        return saved.pop()
    return page if supported(page) and page else page_language()


def chosen_on_sign_in_page(request: HttpRequest) -> str | None:
    """The language chosen with the sign-in page's buttons in this browser (its cookie)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if supported(chosen) else None


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """Remember ``language`` in this browser, as Django's own ``set_language`` view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )


def language_save(*, user: User, language: str, request: HttpRequest | None) -> bool:
    """Save ``language`` on the account (Account Settings), audited as a change of the
    account's preferences. Returns whether anything changed."""
    if not supported(language) or user.language == language:
        return False
    old = user.language
    user.language = language
    user.save(update_fields=["language"])
    audit_record(action=AuditAction.PREFERENCES_CHANGED, request=request, actor=user,
                 extra={"language": language, "old_language": old or None})
    return True


def language_keep_at_sign_in(*, user: User, request: HttpRequest) -> None:
    """At sign-in: a language chosen on the sign-in page becomes the account's when the account
    has none saved (a saved choice is changed only in Account Settings)."""
    chosen = chosen_on_sign_in_page(request)
    if chosen and not user.language:
        language_save(user=user, language=chosen, request=request)
