"""Callback addresses: scheme, length, and whether the host is a public address.

A callback URL is read the way the receiving side reads it: with the WHATWG URL standard
(browsers, Node's ``URL``, most webhook senders), through ada-url, a conforming parser.
That settles the host before anything is checked: ``https://127.0.0.1\\@example.com/``
is a URL on host ``127.0.0.1`` (a backslash is a slash in an ``https`` URL), full-width
digits and the ideographic dot are mapped (IDNA, UTS #46), and IPv4 in any numeric form
(``0x7f.1``, ``2130706433``, ``0177.0.0.1``) is normalised to dotted decimal.

Then the host must be a public address: an IP literal must be globally routable unicast
(:func:`address_problem`: no special-purpose block of the IANA registries, no multicast,
and no IPv6 form that embeds an IPv4 address: mapped, compatible, NAT64, 6to4, Teredo,
ISATAP); a name must not be ``localhost``, a single label, or under a suffix reserved for
private or special use (:data:`INTERNAL_SUFFIXES`). Host names are never resolved (this
module is pure), so a public name that resolves to a private address passes: the
receiving side must still refuse to connect to one.

>>> from ratecard.pricing.rules import CallbackRule
>>> rule = CallbackRule(("https",), 2048, True, "004")
>>> callback_problem("https://hooks.example.com/done", rule) is None
True
>>> callback_problem("http://hooks.example.com/done", rule)
'must use https, not http'
>>> print(callback_problem("https://10.0.0.1/", rule))  # doctest: +ELLIPSIS
host 10.0.0.1 is an internal or private address (private-use, RFC 1918); only public ...
>>> print(callback_problem("https://127.0.0.1\\\\@example.com/", rule))  # doctest: +ELLIPSIS
host 127.0.0.1 is an internal or private address (loopback, RFC 1122); only public ...
>>> is_internal_host("localhost"), is_internal_host("[::1]"), is_internal_host("2130706433")
(True, True, True)
"""

from __future__ import annotations

import ipaddress
from typing import Final

from ratecard.errors import brief
from ratecard.pricing.rules import CallbackRule

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

INTERNAL_SUFFIXES: Final = (
    ".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp",
    ".private", ".localdomain", ".test", ".invalid", ".example", ".onion", ".alt", ".arpa",
)
"""Name suffixes reserved for private networks or special use (RFC 6761, RFC 6762, RFC
8375, RFC 9476, ICANN's ``.internal``) or customary on private networks. ``.arpa`` is
infrastructure (``ipv4only.arpa`` names NAT64 addresses), never a webhook."""

_V4: Final[tuple[tuple[str, str], ...]] = (
    ("0.0.0.0/8", "this network, RFC 791"),
    ("10.0.0.0/8", "private-use, RFC 1918"),
    ("100.64.0.0/10", "shared address space, RFC 6598"),
    ("127.0.0.0/8", "loopback, RFC 1122"),
    ("169.254.0.0/16", "link-local, RFC 3927"),
    ("172.16.0.0/12", "private-use, RFC 1918"),
    ("192.0.0.0/24", "IETF protocol assignments, RFC 6890"),
    ("192.0.2.0/24", "documentation, RFC 5737"),
    ("192.31.196.0/24", "AS112, RFC 7535"),
    ("192.52.193.0/24", "AMT, RFC 7450"),
    ("192.88.99.0/24", "6to4 relay anycast, RFC 7526"),
    ("192.168.0.0/16", "private-use, RFC 1918"),
    ("192.175.48.0/24", "AS112 direct delegation, RFC 7534"),
    ("198.18.0.0/15", "benchmarking, RFC 2544"),
    ("198.51.100.0/24", "documentation, RFC 5737"),
    ("203.0.113.0/24", "documentation, RFC 5737"),
    ("224.0.0.0/4", "multicast, RFC 5771"),
    ("255.255.255.255/32", "limited broadcast, RFC 919"),
    ("240.0.0.0/4", "reserved, RFC 1112"),
)
"""Every block of the IANA IPv4 Special-Purpose Address Registry, and multicast: none is
a webhook's address (the few marked globally reachable are anycast infrastructure)."""

_V6: Final[tuple[tuple[str, str], ...]] = (
    ("::/128", "unspecified, RFC 4291"),
    ("::1/128", "loopback, RFC 4291"),
    ("::/96", "IPv4-compatible (deprecated), RFC 4291"),
    ("::ffff:0:0/96", "IPv4-mapped, RFC 4291"),
    ("::ffff:0:0:0/96", "IPv4-translated, RFC 2765"),
    ("64:ff9b::/96", "NAT64, RFC 6052"),
    ("64:ff9b:1::/48", "local-use NAT64, RFC 8215"),
    ("100::/64", "discard-only, RFC 6666"),
    ("2001::/32", "Teredo, RFC 4380"),
    ("2001::/23", "IETF protocol assignments, RFC 2928"),
    ("2001:db8::/32", "documentation, RFC 3849"),
    ("2002::/16", "6to4, RFC 3056"),
    ("2620:4f:8000::/48", "AS112 direct delegation, RFC 7534"),
    ("3fff::/20", "documentation, RFC 9637"),
    ("5f00::/16", "segment routing, RFC 9602"),
    ("fc00::/7", "unique-local, RFC 4193"),
    ("fe80::/10", "link-local, RFC 4291"),
    ("fec0::/10", "site-local (deprecated), RFC 3879"),
    ("ff00::/8", "multicast, RFC 4291"),
)
"""Blocks of the IANA IPv6 Special-Purpose Address Registry, and the forms that embed an
IPv4 address, whose real destination is that IPv4 address behind a translator or tunnel.
Anything outside ``2000::/3``, the global unicast space, is refused as well."""

_V4_NETS: Final[tuple[tuple[ipaddress.IPv4Network, str], ...]] = tuple(
    (ipaddress.IPv4Network(net), why) for net, why in _V4)
_V6_NETS: Final[tuple[tuple[ipaddress.IPv6Network, str], ...]] = tuple(
    (ipaddress.IPv6Network(net), why) for net, why in _V6)
_GLOBAL_UNICAST: Final = ipaddress.IPv6Network("2000::/3")
_ISATAP: Final = frozenset({0x00005EFE, 0x01005EFE, 0x02005EFE, 0x03005EFE})
"""The upper half of an ISATAP interface identifier (RFC 5214): the lower half is IPv4."""


def callback_problem(url: str, rule: CallbackRule) -> str | None:
    """What is wrong with ``url`` as a callback under ``rule``, or ``None``."""
    if rule.max_chars is not None and len(url) > rule.max_chars:
        return f"is {len(url)} characters long; at most {rule.max_chars} are accepted"
    parts = _parse(url)
    if parts is None:
        return ("is not a valid URL: the WHATWG URL standard (browsers, Node) cannot "
                "parse it")
    scheme, host = parts
    if scheme not in rule.schemes:
        return f"must use {' or '.join(rule.schemes)}, not {_shown(scheme) or 'no scheme'}"
    if not host:
        return "has no host"
    if rule.public_host_only:
        problem = host_problem(host)
        if problem is not None:
            return f"host {_shown(host)} {problem}; only public addresses are called back"
    return None


def _parse(url: str) -> tuple[str, str] | None:
    """(scheme, host) of ``url`` as the WHATWG URL standard reads it (the host is IDNA
    ASCII, IPv4 dotted decimal or bracketed IPv6), or ``None`` if it is not a URL."""
    from ada_url import parse_url  # its C library loads only when a callback is checked

    if "\x00" in url:  # the C library reads a C string
        return None
    try:
        parts = parse_url(url, attributes=("protocol", "hostname"))
    except ValueError:
        return None
    return str(parts["protocol"]).removesuffix(":"), str(parts["hostname"])


def _shown(host: str) -> str:
    return host if len(host) <= 80 else brief(host)


def host_problem(host: str) -> str | None:
    """Why a parsed host is not a public address (``is loopback, RFC 1122``), or ``None``.

    ``host`` is as the WHATWG parser gives it: a bracketed IPv6 literal, an IPv4 literal
    in dotted decimal, or a lower-case ASCII name.

    >>> host_problem("example.com") is None, host_problem("[64:ff9b::7f00:1]")
    (True, 'is an internal or private address (NAT64, RFC 6052, embedding 127.0.0.1)')
    """
    name = host.removeprefix("[").removesuffix("]") if host.startswith("[") else host
    address = _literal(name)
    if address is not None:
        problem = address_problem(address)
        return None if problem is None else f"is an internal or private address ({problem})"
    name = name.removesuffix(".")
    if not name or name.startswith(".") or ".." in name:
        return "is not a host name"
    if name == "localhost" or name.endswith(INTERNAL_SUFFIXES):
        return "is an internal or private name"
    if "." not in name:
        return "is a single label, which only resolves on a local network"
    return None


def _literal(name: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` is not a globally routable unicast address, or ``None``.

    >>> address_problem(ipaddress.ip_address("8.8.8.8")) is None
    True
    >>> address_problem(ipaddress.ip_address("2002:a00:1::"))
    '6to4, RFC 3056, embedding 10.0.0.1'
    """
    if isinstance(address, ipaddress.IPv4Address):
        for net4, why in _V4_NETS:
            if address in net4:
                return why
        return None if address.is_global else "not globally reachable"
    if address.scope_id:
        return "scoped to a local interface"
    for net, why in _V6_NETS:
        if address in net:
            carried = _embedded(address, net)
            return why if carried is None else f"{why}, embedding {carried}"
    if address not in _GLOBAL_UNICAST:
        return "outside the global unicast space 2000::/3"
    if (int(address) >> 32) & 0xFFFFFFFF in _ISATAP:
        embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        return f"ISATAP, RFC 5214, embedding {embedded}"
    return None if address.is_global else "not globally reachable"


def _embedded(address: ipaddress.IPv6Address, net: ipaddress.IPv6Network) -> str | None:
    """The IPv4 address an IPv4-embedding form carries, for the message."""
    value = int(address)
    if net.prefixlen == 96:
        return str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    if address.sixtofour is not None:
        return str(address.sixtofour)
    if address.teredo is not None:
        return f"{address.teredo[1]} via server {address.teredo[0]}"
    return None


def is_internal_host(host: str) -> bool:
    """True when a host (as it appears in a URL: ``[::1]``, ``0x7f.1``, ``LOCALHOST.``)
    is not a public address, read as the WHATWG URL standard reads it."""
    parts = _parse(f"https://{host}/")
    return parts is None or not parts[1] or host_problem(parts[1]) is not None
