"""Keeping the archive fresh: ask Save Page Now to capture tracked policy URLs whose newest capture is old.

This is what waybackpy is best at, so it does the asking. Its calls block and it has no rate limiting,
so they run after the crawl, one at a time, spaced to stay within Save Page Now's own limit (15 a
minute, a budget separate from the CDX and replay limits); the first 429 ends the round.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from waybackpy import WaybackMachineSaveAPI
from waybackpy.exceptions import TooManyRequestsError, WaybackError

from crawler.wayback import Archive
from crawler.store import Store

SAVE_PER_MINUTE = 15


@dataclass
class SaveRequest:
    domain: str
    url: str
    newest_capture: str | None
    outcome: str  # "saved <timestamp>", "refused: ...", "not asked: ..."


def stale_policy_urls(store: Store, archive_key: str, days: float, now: datetime | None = None) -> list[tuple[str, str, str | None]]:
    """(domain, URL, newest capture) of tracked policy URLs with no capture for `days` days in the archive
    whose store key (replay prefix) is `archive_key`."""
    now = now or datetime.now(timezone.utc)
    cutoff = (now - timedelta(days=days)).strftime("%Y%m%d%H%M%S")
    return [(domain, url, newest) for domain, url, newest in store.newest_captures(archive_key) if newest is None or newest < cutoff]


def saved_timestamp(headers, response_url: str) -> str | None:
    """The timestamp of the capture Save Page Now made: from `Content-Location`, a memento `Link`, or the
    URL it redirected to."""
    for text in (headers.get("Content-Location", ""), headers.get("Link", ""), response_url):
        match = re.search(r"/web/(\d{14})/", text or "")
        if match:
            return match.group(1)
    return None


def save_stale(store: Store, archive: Archive, days: float, per_minute: float = SAVE_PER_MINUTE,
               user_agent: str = "policy-history-crawler/0.1") -> list[SaveRequest]:
    interval = 60.0 / per_minute
    results: list[SaveRequest] = []
    throttled = False
    last_asked = None
    for domain, url, newest in stale_policy_urls(store, archive.replay_prefix, days):
        if throttled:
            results.append(SaveRequest(domain, url, newest, "not asked: Save Page Now answered 429"))
            continue
        if last_asked is not None:
            time.sleep(max(0.0, last_asked + interval - time.monotonic()))
        last_asked = time.monotonic()
        api = WaybackMachineSaveAPI(url, user_agent=user_agent, max_tries=1)
        # waybackpy only knows web.archive.org; any archive with the same API takes the same request.
        api.request_url = f"{archive.base}/save/{api.url}"
        try:
            # waybackpy's own parsing of the answer only recognises web.archive.org URLs and retries with
            # sleeps of its own; it makes the request (and maps 429/509), and we read the answer.
            api.get_save_request_headers()
            saved_at = saved_timestamp(api.headers or {}, api.response_url or "")
            outcome = f"saved {saved_at}" if saved_at else f"refused: HTTP {api.status_code}, no capture named in the answer"
            results.append(SaveRequest(domain, url, newest, outcome))
        except TooManyRequestsError:
            throttled = True
            results.append(SaveRequest(domain, url, newest, "refused: 429, Save Page Now's limit"))
        except (WaybackError, ValueError, OSError) as error:
            results.append(SaveRequest(domain, url, newest, f"refused: {str(error).splitlines()[0][:200]}"))
    return results
