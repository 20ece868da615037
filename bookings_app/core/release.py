"""Which code this process runs: a fingerprint of the project's Python sources, templates and
compiled translations, read once per process.

What is kept across processes (free slots, whole public pages, in the shared cache) carries it
in its key, so after a deploy no process serves what the previous code computed or rendered,
while the old processes still running keep to their own."""

import hashlib
from functools import lru_cache
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
FOLDERS = ("bookings_app", "loyalty", "automations", "config", "templates", "locale")
SUFFIXES = {".py", ".html", ".txt", ".mo"}


@lru_cache(maxsize=1)
def release_fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in FOLDERS:
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.suffix in SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
