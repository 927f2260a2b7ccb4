"""Callback addresses: scheme, length, and whether the host is internal or private.

Pure: host names are never resolved, so a public name that resolves to a private address
passes; IP literals in any form ``inet_aton`` reads (``10.0.0.1``, ``0x7f.1``,
``2130706433``) and IPv6 literals are checked.

>>> from ratecard.pricing.rules import CallbackRule
>>> rule = CallbackRule(("https",), 2048, True, "004")
>>> callback_problem("https://hooks.example.com/done", rule) is None
True
>>> callback_problem("http://hooks.example.com/done", rule)
'must use https, not http'
>>> callback_problem("https://10.0.0.1/", rule)
'host 10.0.0.1 is an internal or private address; only public addresses are called back'
>>> is_internal_host("localhost"), is_internal_host("[::1]"), is_internal_host("2130706433")
(True, True, True)
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from ratecard.pricing.rules import CallbackRule

INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa",
                     ".corp", ".private")
"""Name suffixes reserved or customary for private networks."""

_NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$")


def callback_problem(url: str, rule: CallbackRule) -> str | None:
    """What is wrong with ``url`` as a callback under ``rule``, or ``None``."""
    if rule.max_chars is not None and len(url) > rule.max_chars:
        return f"is {len(url)} characters long; at most {rule.max_chars} are accepted"
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in rule.schemes:
        shown = scheme or "no scheme"
        return f"must use {' or '.join(rule.schemes)}, not {shown}"
    if not host:
        return "has no host"
    if rule.public_host_only and is_internal_host(host):
        return (f"host {host} is an internal or private address; only public addresses are "
                "called back")
    return None


def is_internal_host(host: str) -> bool:
    """True for loopback, private, link-local, reserved and other non-global IP literals,
    ``localhost``, names under :data:`INTERNAL_SUFFIXES` and single-label names."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if not name:
        return True
    address = _ip(name)
    if address is not None:
        mapped = getattr(address, "ipv4_mapped", None)
        return not (mapped or address).is_global
    if name == "localhost" or name.endswith(INTERNAL_SUFFIXES):
        return True
    return "." not in name  # a single label only resolves on a local network


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.match(name) and not name.endswith("."):
        try:  # the forms C's inet_aton accepts: 127.1, 0x7f.0.0.1, 2130706433, 0177.0.0.1
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None
