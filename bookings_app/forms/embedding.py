"""The owner's embedding settings: which websites may frame the booking pages."""

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_ORIGINS = 20
MAX_LINE_LENGTH = 200
MAX_TEXT_LENGTH = 5000
MAX_ERRORS_SHOWN = 10
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})*$")
_LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


class OriginError(ValueError):
    pass


def parse_origin(text: str) -> str:
    """``text`` as one origin, ``scheme://host[:port]`` in lower case, or OriginError saying why.

    https only (http for localhost and 127.0.0.1 while DEBUG is on, to try it out), no path,
    query or user name; a ``*.`` before the host admits its subdomains, as CSP reads it.
    """
    if len(text) > MAX_LINE_LENGTH:
        raise OriginError(_("too long"))
    try:
        parts = urlsplit(text.strip().lower())
        port = parts.port
    except ValueError:
        raise OriginError(_("not a web address")) from None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise OriginError(_("write it as https://example.com"))
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise OriginError(_("only the scheme, the host and the port: nothing else"))
    if parts.path not in ("", "/"):
        raise OriginError(_("only the site, without a path"))
    if not _HOST.match(host) or (host.startswith("*.") and host.count(".") < 2):
        raise OriginError(_("not a valid host name"))
    if parts.scheme == "http" and not (settings.DEBUG and host in _LOOPBACK_HOSTS):
        raise OriginError(_("use https"))
    if port is not None and not 0 < port < 65536:
        raise OriginError(_("not a valid port"))
    default_port = {"http": 80, "https": 443}[parts.scheme]
    return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default_port) else "")


def _isolated(text: str) -> str:
    """``text`` kept left to right inside a right-to-left sentence (Unicode first-strong isolate)."""
    return f"\u2068{text}\u2069"


class EmbeddingForm(forms.Form):
    origins = forms.CharField(
        label=_("Websites that may show the booking pages"),
        help_text=_("One per line, such as https://www.example.com. Leave empty to allow none."),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr", "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_origins(self) -> list[str]:
        """Every line checked: one error per bad line, so the owner sees all of them at once."""
        lines = [line.strip() for line in self.cleaned_data["origins"].splitlines()]
        origins, errors = [], []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            try:
                origin = parse_origin(line)
            except OriginError as error:
                errors.append(
                    forms.ValidationError(
                        _("Line %(number)s (%(line)s): %(reason)s."),
                        params={"number": number, "line": _isolated(line[:60]), "reason": error.args[0]},
                    )
                )
                continue
            if origin not in origins:
                origins.append(origin)
        if len(errors) > MAX_ERRORS_SHOWN:
            more = len(errors) - MAX_ERRORS_SHOWN
            errors = errors[:MAX_ERRORS_SHOWN] + [
                forms.ValidationError(_("Other lines to correct: %(count)s."), params={"count": more})
            ]
        if errors:
            raise forms.ValidationError(errors)
        if len(origins) > MAX_ORIGINS:
            raise forms.ValidationError(_("At most %(limit)s websites."), params={"limit": MAX_ORIGINS})
        return origins
