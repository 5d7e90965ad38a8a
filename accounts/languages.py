"""Which language to write to a person in (issue 10, item 14).

Pages follow the request (``accounts.middleware.UserLanguageMiddleware``); emails and texts,
sent when the person is not looking, follow this: the language saved on the account, else the
default of the practice whose record they use, else the site's (``LANGUAGE_CODE``).
"""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from portal.models import Practice


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
