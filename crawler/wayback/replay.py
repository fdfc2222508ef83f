"""`id_` replay: replay URLs, snapshot links, redirect Locations, Memento headers, the archive's own 429."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin, urlsplit

# `/web/<ts><modifier>/<url>` on archive.org, `/<collection>/<ts><modifier>/<url>` on pywb.
_REPLAY_PATH = re.compile(r"/(\d{1,14})([a-z]{2}_)?/(https?:.+)$", re.IGNORECASE)
MAX_REDIRECTS = 8


def replay_url(replay_prefix: str, timestamp: str, url: str, modifier: str = "id_") -> str:
    """The `id_` replay URL: original bytes, no rewriting, no toolbar."""
    return f"{replay_prefix.rstrip('/')}/{timestamp}{modifier}/{url}"


def snapshot_link(replay_prefix: str, timestamp: str, url: str) -> str:
    """The link the source extracts print, built as the dataset's crawler builds it: Python's
    `urllib.parse.quote(url)` with its default safe characters (only `/`), so `:`, `?`, `=`, `&`, `#`, `%`
    and non-ASCII are percent-encoded, e.g.
    `https://web.archive.org/web/20120512123106id_/http%3A//www.kerio.com/privacy-policy` and
    `.../content.php%3Fcontent_id%3Dprivacy`."""
    return f"{replay_prefix.rstrip('/')}/{timestamp}id_/{quote(url)}"


def parse_replay_location(location: str, base_url: str) -> tuple[str | None, str]:
    """Splits a replay redirect target into (timestamp, original URL); (None, url) when not a replay path."""
    absolute = urljoin(base_url, location)
    match = _REPLAY_PATH.search(urlsplit(absolute).path + ("?" + urlsplit(absolute).query if urlsplit(absolute).query else ""))
    if not match:
        return None, absolute
    return match.group(1), match.group(3)


def memento_timestamp(memento_datetime: str | None) -> str | None:
    """`Memento-Datetime: Sat, 12 May 2012 12:31:06 GMT` -> `20120512123106`; None when absent or unreadable."""
    if not memento_datetime:
        return None
    try:
        return parsedate_to_datetime(memento_datetime).strftime("%Y%m%d%H%M%S")
    except (TypeError, ValueError):
        return None


def link_original(link_header: str | None) -> str | None:
    """The `rel="original"` URL in a Memento `Link` header: the URL actually captured."""
    for part in (link_header or "").split(","):
        match = re.search(r'<([^>]+)>\s*;.*rel="?[^"]*\boriginal\b', part)
        if match:
            return match.group(1)
    return None


def is_rate_limited(status: int, has_memento_datetime: bool) -> bool:
    """A 429 of the archive itself; an archived 429 carries Memento-Datetime and is real content."""
    return status == 429 and not has_memento_datetime
