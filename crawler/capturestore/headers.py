"""A replay's headers, split in two: the capture's own HTTP headers, as the site sent them, and the
archive's headers about its copy.

Under `id_` archive.org sends the original headers as `X-Archive-Orig-<name>` (Content-Type passes
through as it is), and its own next to them (Memento-Datetime, Link, X-Archive-Src, its Date and
Server...). pywb sends the original headers under their own names. A WARC `response` record must hold
what the site sent, so the prefix comes off; the archive's headers go to the companion `metadata`
record. Headers that describe the transfer, not the payload we keep (the body is stored decoded and
whole), are left out of the response and kept in the metadata record.
"""

from __future__ import annotations

from urllib.parse import urljoin

ORIG_PREFIX = "x-archive-orig-"
# The archive's own, about its copy or this answer: never the site's.
ARCHIVE_OWN = {
    "memento-datetime", "link", "x-archive-src", "x-archive-guessed-content-type", "x-archive-guessed-charset",
    "x-archive-redirect-reason", "server-timing", "x-app-server", "x-ts", "x-tr", "x-location", "x-nid",
    "x-page-cache", "x-archive-screenname", "x-archive-playback", "content-security-policy", "referrer-policy",
    "permissions-policy", "x-archive-wayback-runtime-error", "retry-after",
}
# Describe the bytes on the wire, not the decoded payload kept: Content-Length is set anew.
TRANSFER = {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive"}


def replay_headers(response) -> list[tuple[str, str]]:
    """A Scrapy response's headers as (name, value) pairs, every value of a repeated header."""
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in response.headers.items() for value in values]


def _prefixed(headers) -> bool:
    """archive.org's style (and `archive serve`'s): the site's headers prefixed, every other one the
    archive's. pywb sends no X-Archive-* header."""
    return any(name.lower().startswith("x-archive-") for name, _ in headers)


def original_headers(headers: list[tuple[str, str]], status: int, body_length: int, original_location: str | None = None) -> list[tuple[str, str]]:
    """The capture's own headers for the WARC response record. `original_location`: for a captured
    redirect, the Location the site sent (the archive rewrites it into one of its replay URLs)."""
    wayback = _prefixed(headers)
    kept: list[tuple[str, str]] = []
    for name, value in headers:
        lower = name.lower()
        if lower.startswith(ORIG_PREFIX):
            real = name[len(ORIG_PREFIX):]
            if real.lower() not in TRANSFER:
                kept.append((real, value))
        elif lower == "content-type":
            kept.append((name, value))  # passes through under id_
        elif lower == "location":
            if 300 <= status < 400 and not wayback:  # archive.org's is its own replay URL
                kept.append(("Location", original_location or value))
        elif not wayback and lower not in ARCHIVE_OWN and lower not in TRANSFER:
            kept.append((name, value))  # pywb: the original headers under their own names
    if not any(name.lower() == "location" for name, _ in kept) and original_location and 300 <= status < 400:
        kept.append(("Location", original_location))
    kept.append(("Content-Length", str(body_length)))
    return kept


def archive_headers_of(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Everything the archive said that is not in the response record: its own headers, and the
    original transfer headers (X-Archive-Orig-Content-Encoding and the like), as they came."""
    wayback = _prefixed(headers)
    own = []
    for name, value in headers:
        lower = name.lower()
        if lower.startswith(ORIG_PREFIX):
            if lower[len(ORIG_PREFIX):] in TRANSFER:
                own.append((name, value))
        elif lower in ("content-type",):
            continue
        elif lower == "location" or lower in ARCHIVE_OWN or lower in TRANSFER or wayback:
            own.append((name, value))
    return own


def resolve_location(location: str, base: str) -> str:
    return urljoin(base, location.strip()) if location else location
