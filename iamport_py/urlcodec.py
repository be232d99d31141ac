"""Percent-encoding and query strings, without ``urllib`` (MicroPython has none)."""

_HEX = "0123456789ABCDEF"
# RFC 3986 unreserved characters never need escaping.
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def quote(text: object, safe: str = "") -> str:
    """Percent-encode ``text`` as UTF-8, leaving unreserved and ``safe`` characters."""
    out = []
    for char in str(text):
        if char in _UNRESERVED or char in safe:
            out.append(char)
            continue
        for byte in char.encode("utf-8"):
            out.append("%" + _HEX[byte >> 4] + _HEX[byte & 15])
    return "".join(out)


def _hex_value(char: str) -> "int | None":
    index = _HEX.find(char.upper())
    return index if index >= 0 else None


def unquote(text: str, plus_is_space: bool = True) -> str:
    """Decode percent-escapes; a stray ``%`` (not followed by two hex digits) stays."""
    raw = text.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        byte = raw[i]
        if byte == 37 and i + 2 < len(raw):
            high = _hex_value(chr(raw[i + 1]))
            low = _hex_value(chr(raw[i + 2]))
            if high is not None and low is not None:
                out.append(high * 16 + low)
                i += 3
                continue
        out.append(32 if (byte == 43 and plus_is_space) else byte)
        i += 1
    try:
        return bytes(out).decode("utf-8")
    except UnicodeError:
        # Escapes that are not UTF-8: keep the text readable rather than fail.
        return "".join(chr(b) for b in out)


def parse_query(query: str) -> "dict[str, str]":
    """Parse ``a=1&b=2`` (a leading ``?`` or a whole URL is fine) into a dict.

    A repeated key keeps its first value; a key without ``=`` maps to ``""``.
    """
    if "?" in query:
        query = query[query.find("?") + 1 :]
    hash_at = query.find("#")
    if hash_at >= 0:
        query = query[:hash_at]
    result = {}
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        key = unquote(key)
        if key not in result:
            result[key] = unquote(value)
    return result


def encode_query(pairs: "dict[str, object]") -> str:
    """``{"a": "1 2"}`` -> ``a=1%202``; ``None`` values are left out."""
    parts = []
    for key in pairs:
        value = pairs[key]
        if value is None:
            continue
        if value is True or value is False:
            value = "true" if value else "false"
        parts.append(quote(key) + "=" + quote(value))
    return "&".join(parts)
