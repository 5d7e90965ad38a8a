"""Spanish for patients in the United States: the same MM/DD/YYYY dates and 12-hour times as
the English pages (a Spanish-speaking patient in Texas reads a US appointment card)."""

from portal.formats.en.formats import (  # noqa: F401  # the settings read these names
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
)
