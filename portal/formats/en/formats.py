"""One date format everywhere (issue 10, item 7): the portal serves practices in the United
States, so dates read MM/DD/YYYY in English and in Spanish alike (FORMAT_MODULE_PATH)."""

DATE_FORMAT = "m/d/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "m/d/Y g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
TIME_FORMAT = "g:i A"
DATE_INPUT_FORMATS = ["%m/%d/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
]
FIRST_DAY_OF_WEEK = 0  # Sunday
