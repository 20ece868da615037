"""English as the business's clients read it: day before month, 24-hour unless the owner chooses
12-hour (``bookings_app.display.display_time`` applies that choice). Input formats stay Django's."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
