"""Which addresses the server itself may call (webhooks): a guard against server-side request forgery.

A URL is checked twice. When a task is created, its shape (scheme, host, port) and, for hosts written as
numbers, the address itself; when it is called, every address its host resolves to, and the connection is
then made to the checked address (no second lookup, no proxy, no redirects). Loopback, link-local (cloud
metadata), private, shared, multicast, reserved and unspecified ranges are refused unless the operator
allows them (setting ``webhook_allowed_hosts``: host names, addresses or networks such as 127.0.0.0/8).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# The allowance a local set-up (and the tests' receivers) needs: webhook_allowed_hosts=LOOPBACK.
LOOPBACK = ("127.0.0.0/8", "::1")
# Names that never leave this machine (RFC 6761): answered here, not by a resolver.
_LOOPBACK_NAMES = ("localhost", ".localhost")
_NEVER_RESOLVES = ".invalid"
# Cloud metadata services outside the ranges ipaddress already calls non-global.
_METADATA = tuple(ipaddress.ip_network(n) for n in ("169.254.0.0/16", "fd00:ec2::/32", "100.100.100.200/32"))


class AddressRefused(ValueError):
    """The URL may not be called; the message says why in one sentence."""


@dataclass(frozen=True)
class Allowance:
    """What the operator allows besides public addresses: host names and networks."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, items: Iterable[str]) -> Allowance:
        hosts, networks = set(), []
        for item in (i.strip() for i in items):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, address: Address) -> bool:
        return any(address in network for network in self.networks if network.version == address.version)


def forbidden_range(address: Address) -> str | None:
    """The name of the forbidden range `address` is in, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return forbidden_range(address.ipv4_mapped)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local or cloud metadata", address.is_link_local or any(address in n for n in _METADATA)),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not public", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def refusal(address: Address, allowance: Allowance) -> str | None:
    """Why `address` may not be called (None: it may), given what the operator allows."""
    if allowance.allows(address):
        return None
    kind = forbidden_range(address)
    if kind is None:
        return None
    return f"{address} is a {kind} address, which this server does not call (setting webhook_allowed_hosts)."


def literal_address(host: str) -> Address | None:
    """The address a host written as numbers stands for (127.0.0.1, 2130706433, 0x7f000001, 0177.1, ::1)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # the shorthand, octal and hex forms libc takes
    except OSError:
        return None


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query


def parse_url(url: str) -> Target:
    """The scheme, host, port and path of an http(s) URL; AddressRefused when one of them is not valid."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise AddressRefused(f"webhook_url is not a valid address ({error}).") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused("webhook_url must be an http:// or https:// address.")
    if not parts.hostname:
        raise AddressRefused("webhook_url has no host name.")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("webhook_url must not carry a user name or password.")
    if port == 0:
        raise AddressRefused("webhook_url has port 0, which cannot be called.")
    host = parts.hostname
    try:
        host.encode("idna")
    except UnicodeError:
        raise AddressRefused("webhook_url has a host name that is not valid.") from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def check_on_creation(url: str, allowance: Allowance) -> Target:
    """What can be checked without a network lookup: the URL's shape and an address written as numbers."""
    target = parse_url(url)
    if target.host.lower() in allowance.hosts:
        return target
    address = literal_address(target.host)
    if address is None and _is_loopback_name(target.host):
        address = ipaddress.ip_address("127.0.0.1")
    if address is not None and (reason := refusal(address, allowance)):
        raise AddressRefused(f"webhook_url: {reason}")
    return target


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for host (names under .invalid are never looked up)."""
    if host.lower().rstrip(".").endswith(_NEVER_RESOLVES):
        raise AddressRefused(f"{host} is under .invalid, a name that never resolves.")
    if _is_loopback_name(host):
        return ["127.0.0.1", "::1"]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"The host {host} could not be resolved ({error}).") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def resolve_checked(target: Target, allowance: Allowance, resolver: Resolver = system_resolver) -> Address:
    """The address to connect to: every address of the host must be allowed (one bad answer refuses all)."""
    literal = literal_address(target.host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(target.host, target.port)]
    if not addresses:
        raise AddressRefused(f"The host {target.host} has no address.")
    if target.host.lower() in allowance.hosts:
        return addresses[0]
    for address in addresses:
        if reason := refusal(address, allowance):
            raise AddressRefused(f"{target.host}: {reason}")
    return addresses[0]


def _is_loopback_name(host: str) -> bool:
    name = host.lower().rstrip(".")
    return name == _LOOPBACK_NAMES[0] or name.endswith(_LOOPBACK_NAMES[1])
