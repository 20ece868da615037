"""The address guessing limits count: X-Forwarded-For is believed only from the proxies we name."""

from django.test import RequestFactory, override_settings

from config.client_address import client_ip


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_it_ignores_x_forwarded_for_when_no_proxy_is_trusted():
    assert client_ip(request_from("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_it_believes_the_address_our_proxy_saw():
    assert client_ip(request_from("10.0.0.1", "203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_it_ignores_what_a_client_wrote_before_our_proxy_added_its_address():
    """nginx appends the address it saw; everything to its left is the client's own words."""
    assert client_ip(request_from("10.0.0.1", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_from("10.0.0.1", "not-an-address, 203.0.113.5")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_it_ignores_x_forwarded_for_from_anyone_who_is_not_our_proxy():
    assert client_ip(request_from("198.51.100.7", "203.0.113.5")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES="10.0.0.0/8, 2001:db8::/32")
def test_it_walks_back_through_a_chain_of_trusted_proxies_named_by_network():
    assert client_ip(request_from("10.0.0.2", "203.0.113.5, 10.1.2.3")) == "203.0.113.5"
    assert client_ip(request_from("2001:db8::1", "2001:db9::5, 2001:db8:1::9")) == "2001:db9::5"
    assert client_ip(request_from("2001:db8::1", "2001:db9::7")) == "2001:db9::7"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_it_keeps_the_proxys_address_when_the_proxy_forwards_nothing():
    assert client_ip(request_from("10.0.0.1")) == "10.0.0.1"
    assert client_ip(request_from("10.0.0.1", "")) == "10.0.0.1"


def test_it_never_answers_an_empty_address():
    assert client_ip(request_from("")) == "unknown"
