"""Free slots through the cache, for the public pages that every visitor asks the same question.

An answer is kept under the availability version's token (``core/availability_version.py``:
database triggers give it a new value in the transaction of any write free slots would see)
and the current minute:

- **Writes.** The token is read before anything is computed, so an answer stored under a token
  never predates that token's data; a later commit changes the token, and nobody asks for the
  old key again. A missing version row (a database just flushed) turns the cache off.
- **Time.** Minimum notice and the booking window move with the clock. An answer is worked out
  for a whole minute and holds what is free throughout it: the minimum notice counted from the
  minute's end, the booking window from its start. A time is shown at most a minute after it
  first became bookable and never once it no longer is, so the booking service does not refuse
  a shown time for the clock's sake.
- **Failures.** A cache that refuses or hangs (Redis, bounded by ``REDIS_TIMEOUT`` and its
  cool-off) costs the page nothing but the computing.

The booking services never read through here: they check a slot afresh inside their
transaction (``availability.is_slot_free``).
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from ..core.availability_version import current_token
from ..core.release import release_fingerprint
from ..models import Business, Service, StaffMember
from . import availability

CACHE = "availability"
MINUTE = timedelta(minutes=1)

logger = logging.getLogger(__name__)

Starts = list[tuple[int, int]]  # (start in UTC seconds, staff id), sorted


_NEAR_PAGES = LocMemCache("rendez-kept-pages", {"TIMEOUT": 120, "OPTIONS": {"MAX_ENTRIES": 300}})


def _near_pages() -> LocMemCache | None:
    """Kept pages in this process's memory, in front of a cache of another process (Redis): a
    kept page is then served without a round trip. As correct as the shared cache, since the
    key carries the token read from the database. None when the cache is local memory already."""
    return None if isinstance(caches[CACHE], LocMemCache) else _NEAR_PAGES


def forget_everything() -> None:
    """Empty the cache and this process's kept pages (tests)."""
    _NEAR_PAGES.clear()
    caches[CACHE].clear()


def current_time() -> datetime:
    """The clock the minute is read from (tests hold it still)."""
    return timezone.now()


@dataclass(frozen=True)
class CachedAvailability:
    """The availability as of one version token and one minute; build it with ``read()``."""

    token: str | None
    minute: datetime  # the minute's start, UTC

    @classmethod
    def read(cls, *, now: datetime | None = None) -> "CachedAvailability":
        moment = (now or current_time()).astimezone(UTC)
        return cls(token=current_token(), minute=moment.replace(second=0, microsecond=0))

    def etag(self, *parts: str) -> str | None:
        """A weak ETag for a page made of this availability and ``parts`` (the address, the
        language, the zone…); None when nothing may be cached."""
        if self.token is None:
            return None
        digest = hashlib.sha256(
            "\n".join([release_fingerprint(), self.token, self.minute.isoformat(), *parts]).encode()
        )
        return f'W/"{digest.hexdigest()[:32]}"'

    def free_slots(
        self,
        *,
        service: Service,
        start_date: date,
        end_date: date,
        tz: ZoneInfo,
        staff: StaffMember | None,
        business: Business,
    ) -> list[availability.Slot]:
        """``availability.free_slots`` for the whole minute (see the module's docstring)."""
        key = self._key("slots", service, start_date, end_date, tz, staff)
        cached = self._get(key)
        if cached is None:
            cached = self._compute(service, start_date, end_date, tz, staff, business)
            self._set(key, cached)
        duration, starts = cached
        return availability.as_slots(starts, duration, tz)

    def available_days(
        self,
        *,
        service: Service,
        start_date: date,
        end_date: date,
        tz: ZoneInfo,
        staff: StaffMember | None,
        business: Business,
    ) -> set[date]:
        """The dates in [start_date, end_date] (in ``tz``) with a free time, for the month calendar."""
        key = self._key("days", service, start_date, end_date, tz, staff)
        days = self._get(key)
        if days is None:
            duration, starts = self._compute(service, start_date, end_date, tz, staff, business)
            days = {datetime.fromtimestamp(start, tz).date() for start, _ in starts}
            self._set(key, days)
        return days

    def page(self, key: str) -> bytes | None:
        """A fragment or page kept whole under ``key`` (an ``etag()``), or None: from this
        process's memory, else from the shared cache (then remembered here too)."""
        near = _near_pages()
        content = near.get(f"page:{key}") if near else None
        if content is None:
            content = self._get(f"page:{key}")
            if near and content is not None:
                near.set(f"page:{key}", content)
        return content

    def keep_page(self, key: str, content: bytes) -> None:
        if near := _near_pages():
            near.set(f"page:{key}", content)
        self._set(f"page:{key}", content)

    def _compute(
        self,
        service: Service,
        start_date: date,
        end_date: date,
        tz: ZoneInfo,
        staff: StaffMember | None,
        business: Business,
    ) -> tuple[int, Starts]:
        """Free starts throughout the minute, from the service and business as they are now,
        after the token was read (the caller's copies may be older than the token)."""
        if self.token is not None:
            service = Service.objects.filter(pk=service.pk).first() or service
            business = Business.objects.filter(pk=business.pk).first() or business
        slots = availability.free_slots(
            service=service,
            start_date=start_date,
            end_date=end_date,
            tz=tz,
            staff=staff,
            now=self.minute + MINUTE,
            business=business,
        )
        latest = (self.minute + timedelta(days=business.max_advance_days)).timestamp()
        starts = [(int(slot.start.timestamp()), slot.staff_id) for slot in slots]
        return service.duration_minutes * 60, [(start, who) for start, who in starts if start <= latest]

    def _key(
        self,
        kind: str,
        service: Service,
        start_date: date,
        end_date: date,
        tz: ZoneInfo,
        staff: StaffMember | None,
    ) -> str | None:
        if self.token is None:
            return None
        minute = int(self.minute.timestamp()) // 60
        who = staff.pk if staff else "all"
        release = release_fingerprint()
        return f"{kind}:{release}:{self.token}:{minute}:{service.pk}:{who}:{start_date}:{end_date}:{tz}"

    def _get(self, key: str | None):
        if key is None:
            return None
        try:
            return caches[CACHE].get(key)
        except Exception:  # a cache that refuses or hangs: compute instead
            logger.warning("The availability cache did not answer a read; computing.", exc_info=True)
            return None

    def _set(self, key: str | None, value) -> None:
        if key is None:
            return
        try:
            caches[CACHE].set(key, value)
        except Exception:
            logger.warning("The availability cache did not take a write.", exc_info=True)
