"""The client's address as django-axes records it (settings.AXES_CLIENT_IP_CALLABLE).

Without ``settings.TRUSTED_PROXIES`` the address is REMOTE_ADDR, whatever the
request's headers say: anyone can send an X-Forwarded-For header.

With TRUSTED_PROXIES (addresses or networks of our own reverse proxies), and only
when REMOTE_ADDR is one of them, X-Forwarded-For is read from the right: each proxy
appends the address it received the request from, so the right-most entry that is
not a trusted proxy is the client as the outermost trusted proxy saw it. Entries
further left were written by the client and are ignored. When every entry is a
trusted proxy, the left-most one is taken; when that entry is not a valid address
(a misconfigured proxy), REMOTE_ADDR is.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    """The client address of ``request``; the module docstring gives the rule."""
    remote = request.META.get("REMOTE_ADDR")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not remote or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    untrusted = [hop for hop in hops if not _is_trusted(hop, networks)]
    client = untrusted[-1] if untrusted else hops[0]
    return client if _valid(client) else remote
