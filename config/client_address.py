"""The address a request comes from, for every guessing limit (team sign-in, gift card codes, allauth).

Behind a proxy every request arrives from the proxy's address, so counting per ``REMOTE_ADDR``
would make all visitors share one count. ``X-Forwarded-For`` is believed only when the request
comes from a proxy named in ``TRUSTED_PROXIES`` (addresses or networks): each trusted proxy
appends the address it received from, so the client is the right-most address that is not one
of our proxies. Anything to its left was written by the client and is never believed.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: str | tuple) -> tuple[Network, ...]:
    names = trusted.split(",") if isinstance(trusted, str) else trusted
    return tuple(ipaddress.ip_network(name.strip(), strict=False) for name in names if name.strip())


def trusted_proxies() -> tuple[Network, ...]:
    trusted = getattr(settings, "TRUSTED_PROXIES", "")
    return _networks(trusted if isinstance(trusted, str) else tuple(trusted))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or the right-most untrusted ``X-Forwarded-For``
    address when the request comes from a trusted proxy. Never empty (``"unknown"`` at worst)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    networks = trusted_proxies()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            return str(remote)  # a hop our proxies did not write: stop at the last one they vouch for
        if not _is_trusted(address, networks):
            return str(address)
        remote = address
    return str(remote)
