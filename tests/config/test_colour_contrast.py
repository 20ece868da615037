"""Every badge is readable: its text on its background has WCAG contrast of at least 4.5:1
(axe-core's `color-contrast` rule for normal-size text). Colours are read from the stylesheets'
custom properties, so a new badge or a changed colour is checked without touching this test."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css"
MINIMUM = 4.5
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
DECLARATION = re.compile(r"([\w-]+)\s*:\s*([^;]+)")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _rules(path: Path) -> list[tuple[str, str]]:
    return RULE.findall(COMMENT.sub("", path.read_text()))


def _declarations(body: str) -> dict[str, str]:
    return {name.strip(): value.strip() for name, value in DECLARATION.findall(body)}


def _custom_properties() -> dict[str, str]:
    found = {}
    for selector, body in _rules(CSS / "rendez.css"):
        if selector.strip() == ":root":
            found |= {name: value for name, value in _declarations(body).items() if name.startswith("--")}
    return found


def _colour(value: str, properties: dict[str, str]) -> str:
    while variable := re.fullmatch(r"var\((--[\w-]+)\)", value.strip()):
        value = properties[variable.group(1)]
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), f"cannot read the colour {value!r}"
    return value


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _badges() -> list[tuple[str, str, str]]:
    """(selector, text colour, background) of every badge rule that sets both."""
    properties = _custom_properties()
    badges = []
    for path in sorted(CSS.glob("*.css")):
        for selectors, body in _rules(path):
            declared = _declarations(body)
            for selector in selectors.split(","):
                selector = selector.strip()
                if (
                    re.fullmatch(r"\.badge(--[\w-]+)?", selector)
                    and {"color", "background"} <= declared.keys()
                ):
                    badges.append(
                        (
                            selector,
                            _colour(declared["color"], properties),
                            _colour(declared["background"], properties),
                        )
                    )
    return badges


def test_it_finds_the_badges():
    assert {".badge", ".badge--ok", ".badge--warn", ".badge--danger"} <= {
        selector for selector, _, _ in _badges()
    }


@pytest.mark.parametrize(("selector", "text", "background"), _badges())
def test_it_makes_every_badge_readable(selector, text, background):
    ratio = contrast(text, background)
    assert ratio >= MINIMUM, f"{selector}: {text} on {background} is {ratio:.2f}:1, needs {MINIMUM}:1"


def test_it_measures_contrast_as_wcag_does():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert 3.85 <= contrast("#1f8a4c", "#e3f5ea") < 3.86  # axe-core reported 3.85:1
