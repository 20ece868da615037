"""A fresh clone's documents stand alone: no pointer outside the repository, every environment
variable the settings read is in the README, and every relative link leads to a file."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]
SETTING_READ = re.compile(
    r"""\benv(?:iron\.Env\(\))?\.(?:str|bool|int|float|list|json)\(\s*"([A-Z][A-Z0-9_]*)\""""
)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _named(document: Path) -> str:
    return str(document.relative_to(ROOT))


@pytest.mark.parametrize("document", DOCUMENTS, ids=_named)
def test_it_sends_no_reader_outside_the_repository(document):
    text = document.read_text()
    assert "../shared" not in text and "DESIGN.md" not in text


def test_the_readme_names_every_environment_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    read = set(SETTING_READ.findall((ROOT / "config" / "settings.py").read_text()))
    assert {"DEBUG", "DATABASE_URL", "RENDEZ_PORT"} <= read  # the pattern finds them
    assert sorted(name for name in read if f"`{name}`" not in readme) == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=_named)
def test_every_relative_link_leads_to_a_file(document):
    targets = [
        t.split("#")[0]
        for t in LINK.findall(document.read_text())
        if not re.match(r"[a-z]+:", t) and not t.startswith("#")
    ]
    assert [t for t in targets if not (document.parent / t).exists()] == []


def test_the_first_screen_says_how_to_run_and_test():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:30])
    assert "make run" in first_screen and "make test" in first_screen
