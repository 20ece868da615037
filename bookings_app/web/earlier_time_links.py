"""The signed link of an "earlier time" notice: in its e-mail, it opens the page that moves the
booking there."""

from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

from ..display.client_zone import TZ_PARAM, email_zone
from ..models import Business, EarlierTimeNotice
from .links import absolute_url

_SALT = "rendez.earlier_time.notice"


def notice_token(notice: EarlierTimeNotice) -> str:
    return signing.Signer(salt=_SALT).sign(str(notice.pk))


def notice_for_token(token: str) -> EarlierTimeNotice | None:
    """The notice behind a link, or None for a tampered or unknown one."""
    try:
        pk = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        EarlierTimeNotice.objects.select_related(
            "staff", "service", "request__client", "request__booking__session__staff"
        )
        .filter(pk=int(pk))
        .first()
    )


def notice_path(notice: EarlierTimeNotice) -> str:
    return reverse("public:earlier_time", args=[notice_token(notice)])


def notice_url(notice: EarlierTimeNotice) -> str:
    """Absolute, in the zone the e-mail is written in."""
    client = notice.request.client
    zone = client.tz or email_zone(client, Business.current())
    return absolute_url(f"{notice_path(notice)}?{urlencode({TZ_PARAM: zone.key})}")
