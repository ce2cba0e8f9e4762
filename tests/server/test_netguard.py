"""The address guard of the server's own calls, as functions over a table of addresses (no network)."""

from __future__ import annotations

import ipaddress

import pytest

from emulator.netguard import (
    LOOPBACK,
    AddressRefused,
    Allowance,
    check_on_creation,
    forbidden_range,
    literal_address,
    parse_url,
    refusal,
    resolve_checked,
    system_resolver,
)

NOTHING = Allowance()


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("169.254.169.254", "link-local or cloud metadata"),  # AWS, GCP, Azure metadata
        ("169.254.0.1", "link-local or cloud metadata"),
        ("fe80::1", "link-local or cloud metadata"),
        ("fd00:ec2::254", "link-local or cloud metadata"),  # AWS metadata over IPv6
        ("100.100.100.200", "link-local or cloud metadata"),  # Alibaba metadata
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("::ffff:10.1.2.3", "private"),
        ("100.64.0.1", "not public"),  # shared address space (carrier-grade NAT)
        ("192.0.2.7", "private"),  # documentation ranges
        ("2001:db8::1", "private"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "private"),  # reserved (ipaddress names 240/4 private too)
        ("255.255.255.255", "private"),
        ("198.18.0.1", "private"),  # benchmarking
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_forbidden_ranges(address, kind):
    assert forbidden_range(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "2130706433", "0x7f000001", "0x7F.0.0.1", "0177.0.0.1", "0177.0.0.01", "127.1", "127.0.1"],
)
def test_every_spelling_of_127_0_0_1_is_loopback(host):
    address = literal_address(host)
    assert address == ipaddress.ip_address("127.0.0.1")
    with pytest.raises(AddressRefused, match="loopback"):
        check_on_creation(f"http://{host}:8080/hook", NOTHING)


@pytest.mark.parametrize(
    "host", ["example.invalid", "hooks.example.com", "xn--bcher-kva.example", "999.1.1.1.1"]
)
def test_names_are_not_addresses(host):
    assert literal_address(host) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost/hook",
        "http://LOCALHOST./hook",
        "http://app.localhost:9000/hook",
        "http://[::1]:8000/hook",
        "http://[::ffff:7f00:1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.5/hook",
        "https://[fe80::1]/hook",
        "http://0/hook",
    ],
)
def test_forbidden_hosts_are_refused_when_the_task_is_created(url):
    with pytest.raises(AddressRefused):
        check_on_creation(url, NOTHING)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://x:abc/hook", "not a valid address"),
        ("http://x:99999/hook", "not a valid address"),
        ("http://x:0/hook", "port 0"),
        ("ftp://example.com/hook", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("http:///hook", "no host"),
        ("http://user:pw@example.com/hook", "user name or password"),
        ("https://[::1/hook", "not a valid address"),
    ],
)
def test_malformed_urls_are_refused_with_a_reason(url, words):
    with pytest.raises(AddressRefused, match=words):
        parse_url(url)


def test_public_and_unresolved_names_pass_the_creation_check():
    assert check_on_creation("https://hooks.example.com/a?b=1", NOTHING).path == "/a?b=1"
    assert check_on_creation("http://receiver.invalid/hook", NOTHING).port == 80
    assert check_on_creation("http://8.8.8.8/hook", NOTHING).host == "8.8.8.8"


def table_resolver(table):
    def resolve(host, port):
        return table[host]

    return resolve


def test_a_name_resolving_to_loopback_is_refused_when_called():
    target = parse_url("http://rebind.example/hook")
    with pytest.raises(AddressRefused, match="loopback"):
        resolve_checked(target, NOTHING, table_resolver({"rebind.example": ["127.0.0.1"]}))


def test_one_forbidden_answer_among_public_ones_refuses_the_name():
    target = parse_url("http://mixed.example/hook")
    resolver = table_resolver({"mixed.example": ["93.184.216.34", "10.0.0.1"]})
    with pytest.raises(AddressRefused, match="private"):
        resolve_checked(target, NOTHING, resolver)


def test_localhost_resolves_to_loopback_without_a_lookup():
    assert set(system_resolver("localhost", 80)) == {"127.0.0.1", "::1"}
    with pytest.raises(AddressRefused, match="loopback"):
        resolve_checked(parse_url("http://localhost:9/hook"), NOTHING)


def test_invalid_names_are_never_looked_up():
    with pytest.raises(AddressRefused, match="never resolves"):
        resolve_checked(parse_url("http://receiver.invalid/hook"), NOTHING)


def test_the_operator_allows_networks_and_hosts():
    loopback = Allowance.parse(LOOPBACK)
    assert refusal(ipaddress.ip_address("127.0.0.1"), loopback) is None
    assert refusal(ipaddress.ip_address("::1"), loopback) is None
    assert refusal(ipaddress.ip_address("10.0.0.1"), loopback) is not None
    assert check_on_creation("http://127.0.0.1:9/hook", loopback).port == 9
    named = Allowance.parse(["hooks.internal", " 10.1.0.0/16 ", ""])
    assert named.hosts == {"hooks.internal"}
    target = parse_url("http://hooks.internal/hook")
    assert str(resolve_checked(target, named, table_resolver({"hooks.internal": ["10.9.9.9"]}))) == "10.9.9.9"
    assert str(resolve_checked(parse_url("http://10.1.2.3/"), named)) == "10.1.2.3"
    with pytest.raises(AddressRefused):
        resolve_checked(parse_url("http://10.2.0.1/"), named)
