"""The client's address: the socket's peer, or what `X-Forwarded-For` says when the peer is a proxy we trust.

The header is read from the right: each trusted proxy appended the address it received from, so the first
address that is not a trusted proxy is the client. Whatever a client wrote on the left is never believed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address


def networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR networks (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`); a bad entry raises ValueError."""
    return tuple(ip_network(entry.strip(), strict=False) for entry in entries)


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> Address | None:
    """The client's address, or None when the peer is not an IP address (a Unix socket, a test transport)."""
    found = _address(peer)
    if found is None or not _within(found, trusted):
        return found
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage: trust stops at the last proxy that wrote a real address
        found = address
        if not _within(address, trusted):
            break
    return found


def rate_limit_subject(address: Address | None) -> str:
    """The key an anonymous caller is counted under: the IPv4 address, or the IPv6 /64 (one host's usual
    allocation, so hopping through its 2^64 addresses buys nothing)."""
    if address is None:
        return "unknown"
    if isinstance(address, IPv6Address):
        return str(ip_network(f"{address}/64", strict=False))
    return str(address)


def _address(text: str | None) -> Address | None:
    if not text:
        return None
    try:
        address = ip_address(text.strip().removeprefix("[").removesuffix("]"))
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _within(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)
