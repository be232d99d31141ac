"""Where the audit may send requests: loopback only (pure; nothing is resolved).

The audit posts forged webhooks, tampered payments and other attacks: aimed at a host on
the network it would attack someone's server. So every URL it is given (the sandbox and
the backend's four hooks) must name a loopback host by address (127.0.0.0/8, ``[::1]``) or
as ``localhost``; any other name is refused without being resolved, as a name can resolve
anywhere. The runner's client follows no redirect and takes no proxy from the environment.
"""

import ipaddress
from urllib.parse import urlsplit


def loopback_problem(url: object) -> str | None:
    """Why the audit refuses to send to ``url`` (``None``: a loopback http(s) URL)."""
    if not isinstance(url, str) or not url:
        return "not a URL"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return "only http and https URLs"
    if not host:
        return "the URL has no host"
    if parts.username is not None or parts.password is not None:
        return "no user or password in the URL"
    if host.lower().rstrip(".") == "localhost":
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "not a loopback host (give 127.0.0.1, [::1] or localhost)"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if not address.is_loopback:
        return "not a loopback address: the audit never leaves this machine"
    return None
