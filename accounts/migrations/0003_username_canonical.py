"""Usernames unique and looked up by their canonical form (NFKC, case-folded) instead of
LOWER(username), and the safe repertoire for new usernames.

Existing accounts get their canonical form here. Two accounts that the old rule let in as
different usernames but that are one username now (full-width letters, ß and ss, the long s)
cannot both keep theirs: the oldest does; each later one gets "-<its id>" added, which the
audit trail records (staff see it; the person finds the new name with "Forgot username?").
"""

import unicodedata

import django.core.validators
from django.db import migrations, models

import accounts.password_policy

MAX_LENGTH = 50


def canonical(value):
    # accounts.password_policy.username_canonical as of this migration.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    taken = set()
    for user in User.objects.order_by("pk").only("pk", "username"):
        username = user.username
        if canonical(username) in taken:
            suffix = f"-{user.pk}"
            username = username[: MAX_LENGTH - len(suffix)] + suffix
            while canonical(username) in taken:
                suffix = f"-{suffix}"
                username = user.username[: MAX_LENGTH - len(suffix)] + suffix
            AuditEvent.objects.create(
                action="account.username_changed", subject_user_id=user.pk,
                extra={"old": user.username, "why": "one username with an older account's"})
        taken.add(canonical(username))
        User.objects.filter(pk=user.pk).update(username=username,
                                               username_canonical=canonical(username))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_initial"),
        ("portal", "0002_auditevent_append_only"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="user",
            name="user_username_ci_unique",
        ),
        migrations.AddField(
            model_name="user",
            name="username_canonical",
            field=models.TextField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_canonical",
            field=models.TextField(
                editable=False,
                error_messages={"unique": "That username is taken. Please choose another."},
                help_text="The username in NFKC, case-folded: how it is told apart from others.",
                unique=True, verbose_name="canonical username"),
        ),
        migrations.AlterField(
            model_name="user",
            name="username",
            field=models.CharField(
                error_messages={"unique": "That username is taken. Please choose another."},
                help_text="6 to 50 letters (from one alphabet), numbers or . - _ @. Not case "
                "sensitive.",
                max_length=50, unique=True,
                validators=[
                    django.core.validators.MinLengthValidator(6),
                    django.core.validators.MaxLengthValidator(50),
                    django.core.validators.RegexValidator(
                        code="username_whitespace",
                        message="A username cannot contain spaces or other whitespace.",
                        regex="^\\S+\\Z"),
                    accounts.password_policy.safe_characters,
                    accounts.password_policy.one_script,
                ],
                verbose_name="username"),
        ),
    ]
