"""Against a running `make run`: time from a public class booking to its e-mail in var/mail.

    RENDEZ_PORT=8000 RENDEZ_VAR_DIR=var .venv/bin/python bench/first_email.py [--bookings 3]

Books a seat in the next "Morning pilates" class of the demo through the public form (as a
phone would), pays on the test provider's page when the class is paid online (the time then
runs from the payment), then watches the e-mail folder (``EMAIL_URL`` unset) for the confirmation. Not
part of `make bench`: it needs the site, its worker and beat running.
"""

import argparse
import http.cookiejar
import json
import os
import re
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def _fields(page: str) -> dict[str, str]:
    return {
        name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
        for name in ("csrfmiddlewaretoken", "request_key")
    }


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _files(mail: Path) -> set[Path]:
    """The e-mail files so far: none before the first e-mail makes the folder."""
    return set(mail.iterdir()) if mail.is_dir() else set()


def book_and_wait(site: str, mail: Path, number: int) -> float:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    today = datetime.now(UTC).date()
    query = f"start={today}&end={today + timedelta(days=13)}"
    sessions = json.load(opener.open(f"{site}/api/availability/morning-pilates?{query}"))["sessions"]
    session = next(s for s in sessions if s["seats_left"] > 0)
    url = f"{site}/s/morning-pilates/sessions/{session['session_id']}/book/"
    form = _fields(opener.open(url).read().decode())
    address = f"bench-{os.getpid()}-{number}@client.test"
    body = urllib.parse.urlencode(
        {**form, "first_name": "Bench", "last_name": "Client", "email": address}
    ).encode()
    seen = _files(mail)
    booked = time.monotonic()
    answer = opener.open(urllib.request.Request(url, body, headers={"Referer": url}))
    page = answer.read().decode()
    if "/pay/" in answer.geturl():  # paid online: the test provider's page, paid at once
        booked = time.monotonic()  # the confirmation leaves once the payment is in
        paid = urllib.parse.urlencode({"csrfmiddlewaretoken": _token(page), "action": "pay"}).encode()
        opener.open(
            urllib.request.Request(answer.geturl(), paid, headers={"Referer": answer.geturl()})
        ).read()
    while time.monotonic() - booked < 120:
        for file in _files(mail) - seen:
            if address in file.read_text(errors="replace"):
                return time.monotonic() - booked
        time.sleep(0.01)
    raise SystemExit(f"no e-mail to {address} within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=3)
    args = parser.parse_args()
    site = f"http://127.0.0.1:{os.environ.get('RENDEZ_PORT', '8000')}"
    mail = Path(os.environ.get("RENDEZ_VAR_DIR") or PROJECT / "var") / "mail"
    for number in range(args.bookings):
        print(
            f"booking {number + 1}: e-mail filed {book_and_wait(site, mail, number):.2f} s"
            " after the form was sent"
        )


if __name__ == "__main__":
    main()
