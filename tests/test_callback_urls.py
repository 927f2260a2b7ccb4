"""Callback URLs are read as the WHATWG URL standard reads them, and only public addresses
pass.

Oracles: the expected host of each tricky URL is what the WHATWG URL standard says a
browser makes of it (written here as a literal), and the example addresses come from the
RFCs that define each IPv4-embedding IPv6 form (RFC 6052 NAT64, RFC 3056 6to4, RFC 4380
Teredo, RFC 5214 ISATAP).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ratecard
from ratecard.payloads.callback import callback_problem, is_internal_host
from ratecard.pricing.rules import CallbackRule
from tests.budget import examples

CARD = ratecard.load()
I2V = {"model": "kling-v3-image-to-video", "image_start": "https://cdn.example.com/a.jpg"}
RULE = CallbackRule(("https",), 2048, True, "test")
UNLIMITED = CallbackRule(("https",), None, True, "test")


def codes(url: str) -> list[tuple[str, str]]:
    return [(v.code, v.path) for v in CARD.check_payload("evolink", {**I2V, "callback_url": url})]


INTERNAL = [
    # the userinfo trick: in an https URL a backslash is a slash, so the host is 127.0.0.1
    ("https://127.0.0.1\\@example.com/", "loopback"),
    ("https:\\\\127.0.0.1\\x", "loopback"),
    ("https:127.0.0.1/", "loopback"),
    ("https://example.com@127.0.0.1/", "loopback"),
    ("https://\t127.0.0.1\n/", "loopback"),
    ("HTTPS://127.0.0.1/", "loopback"),
    # full-width digits, the ideographic and full-width full stops (UTS #46 maps them)
    ("https://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "loopback"),
    ("https://127\u30020\u30020\u30021/", "loopback"),
    ("https://10\uff0e0\uff0e0\uff0e1/", "private-use"),
    ("https://192\uff61168\uff611\uff611/", "private-use"),
    ("https://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/", "internal or private name"),
    # IPv4 in every numeric form the standard reads
    ("https://0177.0.0.1/", "loopback"),
    ("https://0x7f000001/", "loopback"),
    ("https://127.1/", "loopback"),
    ("https://2130706433/", "loopback"),
    ("https://0x7f.1/", "loopback"),
    # IPv6 forms that embed an IPv4 address
    ("https://[::127.0.0.1]/", "IPv4-compatible"),
    ("https://[::8.8.8.8]/", "IPv4-compatible"),
    ("https://[::ffff:127.0.0.1]/", "IPv4-mapped"),
    ("https://[::ffff:8.8.8.8]/", "IPv4-mapped"),
    ("https://[::ffff:0:10.0.0.1]/", "IPv4-translated"),
    ("https://[64:ff9b::192.0.2.33]/", "NAT64"),  # RFC 6052 section 2.4
    ("https://[64:ff9b::127.0.0.1]/", "NAT64"),
    ("https://[64:ff9b:1::a00:1]/", "local-use NAT64"),
    ("https://[2002:c000:204::1]/", "6to4"),  # RFC 3056: 192.0.2.4
    ("https://[2002:7f00:1::]/", "6to4"),
    ("https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),  # RFC 4380 example
    ("https://[2606:4700:1::5efe:a00:1]/", "ISATAP"),
    ("https://[2606:4700:1::200:5efe:808:808]/", "ISATAP"),
    # other IPv6 that is not global unicast
    ("https://[::1]/", "loopback"),
    ("https://[::]/", "unspecified"),
    ("https://[fe80::1]/", "link-local"),
    ("https://[fc00::1]/", "unique-local"),
    ("https://[fd12:3456::1]/", "unique-local"),
    ("https://[fec0::1]/", "site-local"),
    ("https://[ff02::1]/", "multicast"),
    ("https://[2001:db8::1]/", "documentation"),
    ("https://[3fff::1]/", "documentation"),
    ("https://[100::1]/", "discard-only"),
    ("https://[4000::1]/", "global unicast space"),
    # IPv4 that is not global unicast
    ("https://0.0.0.0/", "this network"),
    ("https://100.64.0.1/", "shared address space"),
    ("https://169.254.169.254/latest", "link-local"),
    ("https://172.31.255.255/", "private-use"),
    ("https://192.0.0.9/", "IETF protocol assignments"),
    ("https://192.0.2.1/", "documentation"),
    ("https://192.88.99.1/", "6to4 relay"),
    ("https://198.18.0.1/", "benchmarking"),
    ("https://203.0.113.5/", "documentation"),
    ("https://224.0.0.1/", "multicast"),
    ("https://239.255.255.250/", "multicast"),
    ("https://240.0.0.1/", "reserved"),
    ("https://255.255.255.255/", "limited broadcast"),
    # names
    ("https://localhost%2e/", "internal or private name"),
    ("https://LocalHost./", "internal or private name"),
    ("https://api.localhost/", "internal or private name"),
    ("https://metadata.google.internal/", "internal or private name"),
    ("https://hooks.test/", "internal or private name"),
    ("https://4.3.2.1.in-addr.arpa/", "internal or private name"),
    ("https://intranet/", "single label"),
    ("https:///intranet", "single label"),
    ("https://./", "not a host name"),
    ("https://a..b.com/", "not a host name"),
]


@pytest.mark.parametrize(("url", "why"), INTERNAL, ids=[u for u, _ in INTERNAL])
def test_internal_addresses_are_refused_in_every_spelling(url: str, why: str) -> None:
    assert codes(url) == [("INVALID_CALLBACK_URL", "callback_url")]
    problem = callback_problem(url, RULE)
    assert problem is not None
    assert why in problem, problem


def test_the_message_names_the_host_the_receiver_would_call() -> None:
    problem = callback_problem("https://127.0.0.1\\@example.com/", RULE)
    assert problem is not None
    assert problem.startswith("host 127.0.0.1 is ")
    problem = callback_problem("https://[64:ff9b::127.0.0.1]/", RULE)
    assert problem is not None
    assert "embedding 127.0.0.1" in problem


PUBLIC = [
    "https://hooks.example.com/done",
    "https://8.8.8.8/cb",
    "https://1.1.1.1:8443/a?b=c#d",
    "https://[2606:4700:4700::1111]/cb",
    "https://[2001:4860:4860::8888]/cb",
    "https://hooks.\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com/",  # full-width letters
    "https://b\u00fccher.example.com/",
    "https://xn--bcher-kva.example.com/",
    "https://user:secret@hooks.example.com/",
    "https://127.0.0.1.example.com/",   # a name: not resolved here
    "https://hooks.example.com./done",  # a fully qualified name
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_addresses_pass(url: str) -> None:
    assert codes(url) == []


@pytest.mark.parametrize("url", [
    "https://[bad/", "https://exa mple.com/", "https://1.2.3.4.5/", "https://256.0.0.1/",
    "https://[::1%25eth0]/", "https://ex\x00ample.com/", "/relative/path", "",
    "https://127.0.0.1:99999/", "hooks.example.com/done",
])
def test_what_the_standard_cannot_parse_is_refused(url: str) -> None:
    problem = callback_problem(url, RULE)
    assert problem is not None
    assert codes(url) == [("INVALID_CALLBACK_URL", "callback_url")]


@pytest.mark.parametrize(("url", "scheme"), [
    ("http://hooks.example.com/", "http"), ("ftp://hooks.example.com/", "ftp"),
    ("javascript:alert(1)", "javascript"), ("HtTp://hooks.example.com/", "http"),
])
def test_only_the_declared_schemes_pass(url: str, scheme: str) -> None:
    assert callback_problem(url, RULE) == f"must use https, not {scheme}"


def test_a_megabyte_host_makes_a_short_message() -> None:
    problem = callback_problem("https://" + "a" * 1_000_000 + "/", UNLIMITED)
    assert problem is not None
    assert len(problem) < 300


@pytest.mark.parametrize(("host", "internal"), [
    ("localhost", True), ("[::1]", True), ("2130706433", True), ("0x7f.1", True),
    ("LOCALHOST.", True), ("\uff11\uff12\uff17.0.0.1", True), ("[::ffff:8.8.8.8]", True),
    ("8.8.8.8", False), ("hooks.example.com", False), ("[2606:4700::1111]", False),
])
def test_is_internal_host_reads_hosts_as_urls_do(host: str, internal: bool) -> None:
    assert is_internal_host(host) is internal


@settings(max_examples=examples(300), deadline=None)
@given(st.one_of(
    st.text(max_size=200),
    st.builds(lambda host, tail: f"https://{host}/{tail}", st.text(max_size=60),
              st.text(max_size=20)),
    st.builds(lambda a, b, c, d: f"https://{a}.{b}.{c}.{d}/", *[st.integers(0, 300)] * 4),
    st.ip_addresses().map(lambda ip: f"https://[{ip}]/" if ip.version == 6
                          else f"https://{ip}/"),
))
def test_any_text_gives_a_short_answer_and_never_raises(url: str) -> None:
    problem = callback_problem(url, UNLIMITED)
    assert problem is None or len(problem) < 300
