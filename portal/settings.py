"""Settings for the patient portal, all of them read from the environment.

Every value has a default that runs on a bare machine (SQLite, tasks in-process, the development
outbox); production sets ``DEBUG=0`` and the variables listed in the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import dj_email_url
import django_stubs_ext
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from accounts.password_policy import USERNAME_MIN_LENGTH

BASE_DIR = Path(__file__).resolve().parent.parent

# Lets the code write the generic types mypy checks (forms.ModelForm[User]) at run time too.
django_stubs_ext.monkeypatch()


def envbool(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DEBUG-mode"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# Absolute links in emails and texts are built from this, never from the request's Host header.
# The default is where `make run` serves (its SITE_URL follows PORT, 8000 by default).
SITE_URL = (os.environ.get("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
# The practice whose name (and logo) the public pages show, by its slug; unset: the only
# practice, if there is just one, else "Patient Portal" (accounts/public_practice.py).
PORTAL_PRACTICE = os.environ.get("PORTAL_PRACTICE", "")
# Optional: a logo among the static files (a path such as "img/practice-logo.png").
PORTAL_LOGO = os.environ.get("PORTAL_LOGO", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "staffadmin.apps.StaffConsoleConfig",
    "allauth",
    "allauth.account",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "phonenumber_field",
    "csp",
    "portal",
    "accounts",
    "records",
    "enrollment",
    "messaging",
    "billing",
    "scheduling",
    "staffadmin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # No copy of a signed-in person's pages in any cache (DESIGN invariant 3).
    "accounts.middleware.SignedInPagesNotStoredMiddleware",
    # Audits allauth's 429 "too many requests" refusals.
    "accounts.middleware.TooManyRequestsAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "staffadmin.middleware.StaffConsoleStylePolicy",
    "allauth.account.middleware.AccountMiddleware",
    # Signs out idle and too-old sessions (SPEC A5): after the session, auth and message ones.
    "accounts.idle_timeout.IdleTimeoutMiddleware",
    "accounts.middleware.PracticeTimeZoneMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
                "portal.frame.frame",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'portal.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Permissions, from the staff member's role in the practice at hand (and nothing else: it
    # refuses what its table does not grant, so the two after it are asked only to sign in).
    "accounts.roles.StaffRoleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The rules themselves are written once, in accounts/password_policy.py (the live checklist is
# rendered from them); Django's common-password list is the one check the checklist cannot run.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_policy.PortalPasswordPolicy"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {"login": "enrollment.sign_in.PortalLoginForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USERNAME_MIN_LENGTH = USERNAME_MIN_LENGTH
ACCOUNT_USERNAME_VALIDATORS = "accounts.password_policy.username_validators"
ACCOUNT_PREVENT_ENUMERATION = True
# Families may share one address (SPEC E8); usernames stay unique.
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# allauth's own security emails stay off: the portal sends its own notice for each change, in
# the person's language (accounts.notices; the adapter refuses allauth's whatever this says).
ACCOUNT_EMAIL_NOTIFICATIONS = False
# Account Settings asks for the password again once the last full authentication is older
# than this. allauth (65.22+) counts only the methods listed below: "password" (the "Confirm
# it's you" page) and "one_time_code", which the sign-in code stage records
# (accounts.login_code.REAUTHENTICATION_METHOD). allauth's own "code" (a sign-in code it emails
# itself) and "mfa" (allauth.mfa, not installed) are left out, so the only way to confirm is
# the password page.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "one_time_code")
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # "key" is the account's canonical username (accounts.adapters), never the Host header;
    # the Welcome page's sign-in and the printed temporary credentials count here too.
    "login_failed": "10/m/ip,5/5m/key",
    # "Is this username free?" on Create Security Details and Account Settings: per address and
    # per browser session ("key"), far below what the sign-in page allows.
    "username_check": "20/h/ip,5/h/key",
    # Enrollment guesses from one address; each invitation also locks after 5 wrong answers.
    "enroll_identity": "20/h/ip",
    "enroll_token": "10/15m/ip",
    "enroll_request": "10/h/ip",
    # Account recovery (SPEC A2, A3). "key" is what was typed: an address, a username.
    "username_reminder": "10/h/ip,3/h/key",
    "reset_password": "10/h/ip,3/h/key",
    "recovery_answers": "20/h/ip",
    "reset_token": "10/15m/ip,5/15m/key",
    # Every one-time code typed anywhere (accounts.code_check): sign-in, enrollment, settings.
    "one_time_code": "30/15m/ip,10/15m/user",
    # Every one-time code sent (accounts.services.code_send), beside each device's 30-second
    # cool-down: per address, per account, per destination ("key": the email or number), and
    # per browser session ("key": the session). Against SMS and email pumping; a person needs
    # one or two codes to sign in or enroll.
    "code_send": "20/15m/ip,5/15m/user,5/15m/key",
    "code_send_session": "5/15m/key",
    "representative_invite": "10/h/user",
}
# Account recovery (SPEC A3): allauth's "Forgot password?" also takes a username, and the
# link it sends works for an hour. It works once: the token covers the password hash, so setting
# a new password spends it. Addresses without an account get no email at all.
ACCOUNT_FORMS = {
    **ACCOUNT_FORMS,
    "reset_password": "accounts.recovery_forms.PasswordResetRequestForm",
    "reset_password_from_key": "accounts.recovery_forms.PasswordResetFromLinkForm",
    # allauth's own forms in the portal's words (accounts.account_forms.PortalPasswordWords).
    "change_password": "accounts.account_forms.PasswordChangeForm",
    "reauthenticate": "accounts.account_forms.PasswordConfirmForm",
}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
PASSWORD_RESET_TIMEOUT = 60 * 60
# One-time codes: a wrong code doubles the wait before the next try (1, 2, 4… seconds); a new
# code can be asked for every 30 seconds.
OTP_CODE_THROTTLE_FACTOR = 1
OTP_CODE_COOLDOWN_SECONDS = 30
# The console never shows an authenticator app's secret (its key and QR code), not even to an
# operator: whoever sees it can make that person's codes. (django-otp's own pages for it also
# looked the device up unchecked: a 500 for any id that is not one.)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions and cookies -----------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 12 * 60 * 60)  # absolute lifetime
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form sent without its token gets a page in the portal's layout saying to reload and retry.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
SESSION_COOKIE_SECURE = not DEBUG and envbool("SECURE_COOKIES", "1")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_NAME = "portal_session"

# Security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = not DEBUG and envbool("SECURE_SSL_REDIRECT", "1")
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# The preload flag only allows submitting the domain to browsers' preload list; nothing is
# submitted automatically.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "0" if DEBUG else "1")
if envbool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Internationalisation and time --------------------------------------------------------------
# English and Spanish (issue 10): the .po files in locale/ are the source, compiled by
# portal/catalogs.py. A signed-in person's saved language wins, then the choice made on the
# sign-in page (cookie), then the browser's, then LANGUAGE_CODE.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
# One date format everywhere, in both languages: MM/DD/YYYY (portal/formats/).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Email and text messages --------------------------------------------------------------------
# EMAIL_URL takes a URL (smtp://user:pass@host:587/?tls=True) or one of the names "outbox"
# (the development outbox only: nothing leaves the machine) and "console".
_EMAIL_BACKEND_NAMES = {
    "outbox": "portal.delivery.DevOutboxEmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_URL = os.environ.get("EMAIL_URL", "outbox")
if EMAIL_URL in _EMAIL_BACKEND_NAMES:
    EMAIL_BACKEND = _EMAIL_BACKEND_NAMES[EMAIL_URL]
else:
    vars().update(dj_email_url.parse(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Patient Portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SMS_BACKEND is a dotted path to a class with send(to, body); see portal/delivery.py.
_SMS_BACKEND_NAMES = {
    "outbox": "portal.delivery.DevOutboxSMSBackend",
    "console": "portal.delivery.ConsoleSMSBackend",
}
SMS_BACKEND = _SMS_BACKEND_NAMES.get(
    os.environ.get("SMS_BACKEND", "outbox"), os.environ.get("SMS_BACKEND", "outbox")
)
SMS_FROM = os.environ.get("SMS_FROM", "")

PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONENUMBER_DEFAULT_REGION", "US")
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# Celery ---------------------------------------------------------------------------------------
# Without REDIS_URL, tasks run in-process (eagerly) so a first look needs no services.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "resend-pending-outbox": {
        "task": "portal.tasks.resend_pending_outbox",
        "schedule": crontab(minute="*"),
    },
    "expire-invitations": {
        "task": "enrollment.tasks.expire_invitations",
        "schedule": crontab(minute="*/15"),
    },
    "unenroll-inactive-accounts": {
        "task": "accounts.tasks.unenroll_inactive_accounts",
        "schedule": crontab(hour=7, minute=30),  # daily, 07:30 UTC: night-time in the US
    },
    "age-out-guardian-accesses": {
        "task": "enrollment.tasks.age_out_guardian_accesses",
        # Daily, 10:30 UTC: past midnight in every practice time zone (Honolulu is UTC-10).
        "schedule": crontab(hour=10, minute=30),
    },
}
# A message still pending this long after it was written is handed to the workers again.
OUTBOX_RETRY_AFTER_SECONDS = envint("OUTBOX_RETRY_AFTER_SECONDS", 60)
OUTBOX_MAX_ATTEMPTS = envint("OUTBOX_MAX_ATTEMPTS", 10)

# Logging: no health details in logs; request bodies are never logged. ----------------------------
# Every record goes through the one console handler, whose filter redacts the keys of links that
# travel in the path (portal/log_redaction.py): Django logs a 4xx or 5xx as "Not Found: <path>",
# runserver logs every request line. Django's own handlers for "django" and "django.server"
# (its DEFAULT_LOGGING) are replaced, so nothing writes those records unfiltered.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secret_paths": {"()": "portal.log_redaction.SecretPathFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "filters": ["secret_paths"]},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Scanners probing with other Host headers; each already gets a 400.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}

ADMIN_SITE_HEADER = "Staff console"

# Set when a trusted reverse proxy in front of the portal appends X-Forwarded-For. The one
# setting for the client's address everywhere: the audit trail's (portal.audit.client_ip), which
# the account adapter hands to allauth's rate limits, and allauth's own reading of the header.
USE_X_FORWARDED_FOR = envbool("USE_X_FORWARDED_FOR")
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if USE_X_FORWARDED_FOR else 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None

# With DEBUG on, whitenoise serves straight from the app and project static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
