"""E-mail frames: a template rendered once for a batch of runs, each run's own values put in by string.

An automation e-mail's template is mostly the same for every run of a batch: the layout, the
business's name and the footer's words in one language. Rendering it whole costs about a
quarter of a run (a burst's runs are that e-mail). So the template is rendered once per
(template, language, time zone, shared values) with a marker in place of each value that
differs from run to run (the ``slots``: subject, body, unsubscribe link…), and a run's e-mail
is the frame's pieces joined with its own values, escaped as the template escapes them.

Before a frame is used it must reproduce a plain rendering of probe values holding every
character HTML escapes: a template that filters or hides a slot (``|upper``, ``|safe`` on
plain text, a slot inside a tag that changes it) makes no frame, and every run is then
rendered whole, as before. The frames live as long as their batch (``RunContext.batch``), so a
change to the business or the templates shows from the next batch; a template that printed the
clock (``{% now %}``) would print the time its batch's frame was made.
"""

import logging

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

logger = logging.getLogger(__name__)

_MARK = "\x00rendez-slot\x00"  # never in a template nor escaped; a slot's marker is _MARK + name + _MARK
_PROBE = "<&\"'probe {}>"  # every character HTML escaping changes


class Frame:
    """A rendered template split at its slots: literal, slot name, literal, …, literal."""

    def __init__(self, rendered: str, *, escape: bool) -> None:
        self.pieces = rendered.split(_MARK)
        self.escape = escape

    def fill(self, values: dict) -> str:
        """The template's text with these slot values, escaped as the template would."""
        pieces = list(self.pieces)
        for index in range(1, len(pieces), 2):
            value = values[pieces[index]]
            pieces[index] = str(conditional_escape(value) if self.escape else value)
        return "".join(pieces)


class Frames:
    """The frames of one batch of runs. ``render`` is ``render_to_string`` for a page whose
    ``slots`` change from run to run and whose other values are the same objects for the batch
    (the business the batch read): those objects are kept here, so the key's ``id()``s stay theirs."""

    def __init__(self) -> None:
        self._frames: dict[tuple, tuple[Frame | None, tuple]] = {}

    def render(self, template_name: str, page: dict, *, slots: frozenset[str], escape: bool) -> str:
        """``render_to_string(template_name, page)``, in the current language and time zone.
        ``escape``: whether the template escapes its values (HTML) or not (text, autoescape off)."""
        shared = tuple(sorted((name, value) for name, value in page.items() if name not in slots))
        key = (
            template_name,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            tuple((name, id(value)) for name, value in shared),
        )
        if key not in self._frames:
            self._frames[key] = (_make_frame(template_name, page, slots=slots, escape=escape), shared)
        frame = self._frames[key][0]
        if frame is None:
            return render_to_string(template_name, page)
        return frame.fill(page)


def _make_frame(template_name: str, page: dict, *, slots: frozenset[str], escape: bool) -> Frame | None:
    """The template rendered with markers in its slots, or None when it does not reproduce the
    plain rendering of probe values (the template does more with a slot than print it)."""
    markers = {name: _keep_kind(page[name], f"{_MARK}{name}{_MARK}") for name in slots}
    frame = Frame(render_to_string(template_name, {**page, **markers}), escape=escape)
    probes = {name: _keep_kind(page[name], _PROBE.format(name)) for name in slots}
    if set(frame.pieces[1::2]) <= slots and frame.fill(probes) == render_to_string(
        template_name, {**page, **probes}
    ):
        return frame
    logger.warning("%s cannot be rendered as a frame; each e-mail is rendered whole", template_name)
    return None


def _keep_kind(value: object, text: str) -> str:
    """``text`` marked safe when the slot's value is (so the template treats both alike)."""
    return mark_safe(text) if isinstance(value, SafeData) else text
