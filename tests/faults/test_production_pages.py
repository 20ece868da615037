"""The fault suite's processes run under production settings (``DEBUG=false``, see
``Stack.env``): over the real gunicorn, a visitor gets the studio's own error pages with
nothing of the code or the settings, a foreign host is refused, and the cookies and headers
are a deployment's."""

import http.client
from http.cookies import SimpleCookie

import pytest

from .stack import SECRET_KEY

pytestmark = [pytest.mark.faults, pytest.mark.timeout(180)]

LEAKS = ("Traceback", "SECRET_KEY", "DATABASES", "Using the URLconf", "Django Version", SECRET_KEY)


def ask(
    port: int, method: str, path: str, *, host: str = "127.0.0.1", body: str | None = None, cookies: str = ""
) -> tuple[int, http.client.HTTPMessage, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "Host": host,
        "Accept-Language": "en",
        "X-Forwarded-Proto": "https",  # behind the TLS proxy
        "Referer": f"https://{host}/dashboard/login/",
    }
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = cookies
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def set_cookies(headers: http.client.HTTPMessage) -> dict:
    cookies = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return cookies


def test_the_real_web_server_answers_as_a_production_deployment(stack):
    stack.studio("setup")
    port = stack.gunicorn(workers=1, threads=2)

    status, headers, body = ask(port, "GET", "/no-such-page/")
    assert status == 404 and "We could not find that page" in body
    assert not [leak for leak in LEAKS if leak in body]
    assert (headers["X-Content-Type-Options"], headers["X-Frame-Options"], headers["Referrer-Policy"]) == (
        "nosniff",
        "DENY",
        "same-origin",
    )

    status, _, body = ask(port, "GET", "/", host="evil.example")
    assert status == 400 and not [leak for leak in LEAKS if leak in body]

    status, headers, page = ask(port, "GET", "/dashboard/login/")
    cookies = set_cookies(headers)
    assert status == 200 and cookies["csrftoken"]["secure"]
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    status, headers, _ = ask(
        port,
        "POST",
        "/dashboard/login/",
        cookies=f"csrftoken={cookies['csrftoken'].value}",
        body=f"csrfmiddlewaretoken={token}&username=olivia%40studio.test&password=s3cret-pass%21",
    )
    assert status == 302
    session = set_cookies(headers)["sessionid"]
    assert session["secure"] and session["httponly"]
