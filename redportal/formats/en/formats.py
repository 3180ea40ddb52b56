"""Number and date formats: Indian digit grouping (1,23,45,678.00).

Django's own locale formats set a plain 3-digit grouping that would win over
settings.NUMBER_GROUPING, so the project supplies its own (LIBRARIES.md).
"""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
DATE_FORMAT = "d-m-Y"
SHORT_DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "d-m-Y H:i"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
FIRST_DAY_OF_WEEK = 1
