"""Peer 2: a script on the `wayback` client (edgi-govdata-archiving).

For each policy URL: WaybackClient.search(url, collapse="digest"), then get_memento() for each record
(it follows captured redirects, checks that what comes back is a memento, and its WaybackSession
rate-limits and retries 429s by itself, at 80% of archive.org's limits), extracted with trafilatura,
deduplicated by text hash into a small SQLite. A record that cannot be played is skipped.

Pointing it at another archive (runtime patches, all module attributes): wayback._client.CDX_SEARCH_URL,
wayback._utils.MEMENTO_URL_TEMPLATE and MEMENTO_URL_PATTERN (they hardcode web.archive.org). Time
scale: the session's rate limits are multiplied by it, and its waits (the 60 s pause after a 429,
wayback._client.DEFAULT_RATE_LIMIT_DELAY, and the retry backoff) divided by it.
"""

from __future__ import annotations

import re

import wayback
import wayback._client
import wayback._utils
from wayback.exceptions import WaybackException

import common


def point_at(archive: str, scale: float) -> None:
    wayback._client.CDX_SEARCH_URL = f"{archive}/cdx/search/cdx"
    wayback._utils.MEMENTO_URL_TEMPLATE = archive + "/web/{timestamp}{mode}/{url}"
    wayback._utils.MEMENTO_URL_PATTERN = re.compile(r"^" + re.escape(archive) + r"/web/(\d+)(\w\w_)?/(.+)$")
    wayback._client.DEFAULT_RATE_LIMIT_DELAY = 60 / scale


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0])
    point_at(args.archive, args.time_scale)
    scale = args.time_scale
    session = wayback.WaybackSession(
        user_agent=common.USER_AGENT,
        search_calls_per_second=0.8 * 30 / 60 * scale,  # the library's defaults, scaled
        memento_calls_per_second=0.8 * 600 / 60 * scale,
        backoff=2 / scale,
    )
    store = common.Versions(args.db)
    with wayback.WaybackClient(session) as client:
        for domain, url in args.target_list:
            try:
                records = list(client.search(url, collapse="digest"))
            except WaybackException as error:
                store.error(f"search {url}: {error}")
                continue
            for record in records:
                if record.statuscode and record.statuscode >= 400:
                    continue
                try:
                    memento = client.get_memento(record)
                except WaybackException as error:
                    store.error(f"memento {record.timestamp:%Y%m%d%H%M%S} {record.original}: {str(error)[:120]}")
                    continue
                store.add(domain, url, f"{record.timestamp:%Y%m%d%H%M%S}", common.extract(memento.content))
    store.dump(args.out, "wayback")


if __name__ == "__main__":
    main()
