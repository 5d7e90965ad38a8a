import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    """Each practice's rule for the record numbers of charts the portal creates (a prefix and
    the next number, portal/record_numbers.py)."""

    dependencies = [
        ("portal", "0003_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="practice",
            name="record_number_next",
            field=models.PositiveIntegerField(
                default=1,
                help_text="The number the next chart created in the portal gets; numbers "
                "already in use are skipped.",
                validators=[django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(999999999)],
                verbose_name="next record number",
            ),
        ),
        migrations.AddField(
            model_name="practice",
            name="record_number_prefix",
            field=models.CharField(
                blank=True,
                help_text='Put in front of the number of each chart created in the portal, '
                'like "DFM-" for DFM-000417.',
                max_length=10,
                validators=[django.core.validators.RegexValidator(
                    "^[A-Za-z0-9-]*\\Z", "Use only letters, numbers and hyphens.")],
                verbose_name="record number prefix",
            ),
        ),
    ]
