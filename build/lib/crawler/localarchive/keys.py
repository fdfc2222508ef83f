"""URL keys and capture timestamps, computed as archive.org computes them, independently of the crawler.

Keys come from the `surt` library (the one pywb and the Internet Archive use), so a bug in the crawler's
own key code shows up against this archive instead of being repeated by it.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import format_datetime
from functools import lru_cache

import surt as _surt

_TIMESTAMP = re.compile(r"^\d{14}$")


@lru_cache(maxsize=1 << 16)  # histories repeat a few URLs thousands of times; the library is slow-ish
def urlkey(url: str) -> str:
    """The CDX `urlkey` of a URL, e.g. ``http://www.Kerio.com/privacy?b=1&a=2`` -> ``com,kerio)/privacy?a=2&b=1``.

    Raises ValueError for a URL that cannot be parsed (a bad port, a bad IPv6 host).
    """
    return _surt.surt(url)


def valid_timestamp(ts: str) -> bool:
    """14 digits that make a real UTC date and time."""
    return bool(_TIMESTAMP.match(ts)) and seconds(ts) is not None


def seconds(ts: str) -> float | None:
    """The POSIX time of a 14-digit timestamp, None when it is no real date."""
    try:
        return datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def http_date(ts: str) -> str:
    """A 14-digit timestamp as an HTTP date (Memento-Datetime), e.g. ``Sat, 12 May 2012 12:31:06 GMT``."""
    return format_datetime(datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc), usegmt=True)
