"""Which URLs from content may become links (a source line, `source:` in front matter, `base_url`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Whitespace, controls, quotes and angle brackets have no place in a URL we link to.
_UNSAFE_URL_CHARACTERS = re.compile(r"[\s\x00-\x1f\x7f<>\"`\\]")


def is_linkable_url(url: str) -> bool:
    """http(s) with a host and nothing a browser would strip or an attribute would choke on:
    `javascript:`, `data:` and look-alikes (a tab inside, a space before) never pass."""
    if _UNSAFE_URL_CHARACTERS.search(url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 address)
        return False
