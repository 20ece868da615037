"""Busy times from outside calendars: a staff member's Google, Outlook or Apple calendar, read
from its secret iCalendar address, blocks their availability as time off does."""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .staff import StaffMember

# Why the last fetch failed: stored as a code (``too_big:2.0``) and worded when shown, so that
# each person reads it in their language.
FETCH_ERRORS = {
    "refused": _("The address points into a private network or its host cannot be found."),
    "status": _("The calendar's server answered with error %(detail)s."),
    "timeout": _("The calendar's server did not answer in time."),
    "unreachable": _("The calendar's server could not be reached."),
    "too_big": _("The calendar file is larger than %(detail)s MB; it was not read."),
    "redirects": _("The calendar's server redirected too many times, or to an address that cannot be read."),
    "not_calendar": _("The file is not a calendar that can be read."),
    "too_many": _(
        "The calendar repeats its events more than %(detail)s times in the booking window; it was not read."
    ),
}


def fetch_error_message(stored: str) -> str:
    """The stored error code, in words."""
    code, _colon, detail = stored.partition(":")
    message = FETCH_ERRORS.get(code)
    return str(message) % {"detail": detail} if message is not None else stored


class OutsideCalendar(models.Model):
    """One secret iCalendar address of a staff member's outside calendar.

    The address is a password in all but name (whoever has it reads the calendar): it is never
    shown again in full after saving, only its host (``shown_address``). ``etag`` and
    ``last_modified`` make the next fetch conditional; a failed fetch records its error and
    keeps the busy times of the last good one."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="outside_calendars")
    name = models.CharField(_("name"), max_length=80)
    url = models.CharField(_("secret iCal address"), max_length=2000)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    etag = models.CharField(max_length=200, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_success_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    # How far ahead the stored busy times reach: a 304 keeps them, but once the booking window
    # has moved a day past this, the next fetch asks for the whole file again.
    expanded_until = models.DateTimeField(null=True, blank=True)
    fetch_requested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outside calendar")
        verbose_name_plural = _("outside calendars")
        ordering = ["staff", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.staff} {self.name}"

    @property
    def shown_address(self) -> str:
        """The host and an ellipsis: enough to recognise the calendar, not to read it."""
        return f"{urlsplit(self.url).hostname or ''}/…"

    @property
    def error_message(self) -> str:
        return fetch_error_message(self.last_error) if self.last_error else ""

    @property
    def is_failing(self) -> bool:
        """The last attempt failed (there may be an older good copy still in use)."""
        return self.last_error_at is not None and (
            self.last_success_at is None or self.last_error_at > self.last_success_at
        )

    @property
    def fetch_is_queued(self) -> bool:
        """ "Fetch now" was asked for and no attempt has ended since."""
        latest = max(filter(None, (self.last_success_at, self.last_error_at)), default=None)
        return self.fetch_requested_at is not None and (latest is None or self.fetch_requested_at > latest)


class BusyTime(models.Model):
    """A span when the staff member is busy in an outside calendar. The rows of one calendar
    are replaced together by each successful fetch; nobody edits them by hand."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="busy_times")
    calendar = models.ForeignKey(OutsideCalendar, on_delete=models.CASCADE, related_name="busy_times")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        verbose_name = _("busy time")
        verbose_name_plural = _("busy times")
        ordering = ["staff", "start"]
        indexes = [models.Index(fields=["start", "end"], name="busy_time_span_idx")]
        constraints = [
            # A busy span ends after it starts, like time off (zero-length events are dropped).
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="busy_time_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M}"
