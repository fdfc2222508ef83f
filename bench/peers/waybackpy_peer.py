"""Peer 1: the straightforward waybackpy loop.

For each policy URL: waybackpy's CDX API with collapse=digest (what its README offers for "only the
changes"), then every snapshot fetched in turn with requests (the `id_` replay, so no toolbar; requests
follows captured redirects by itself), extracted with trafilatura, deduplicated by text hash into a
small SQLite. waybackpy has no rate limiting: on a 429 (a WaybackError from the CDX parser, or the
status of a replay) the script sleeps 60 s and tries again, up to 5 times.

Pointing it at another archive: WaybackMachineCDXServerAPI hardcodes https://web.archive.org in its
`endpoint` attribute, set in __init__; the script overwrites that attribute on each instance.
"""

from __future__ import annotations

import requests
from waybackpy import WaybackMachineCDXServerAPI
from waybackpy.exceptions import WaybackError

import common


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0])
    store = common.Versions(args.db)
    http = requests.Session()
    http.headers["User-Agent"] = common.USER_AGENT
    for domain, url in args.target_list:
        cdx = WaybackMachineCDXServerAPI(url, user_agent=common.USER_AGENT, collapses=["digest"])
        cdx.endpoint = f"{args.archive}/cdx/search/cdx"  # runtime patch: waybackpy hardcodes web.archive.org
        snapshots = None
        for _ in range(5):
            try:
                snapshots = list(cdx.snapshots())
                break
            except WaybackError as error:  # a 429 page is not CDX lines: waybackpy raises on it
                store.error(f"CDX {url}: {str(error)[:120]}")
                common.sleep(60)
        if snapshots is None:
            continue
        for snapshot in snapshots:
            if snapshot.statuscode[:1] in ("4", "5"):
                continue
            replay = f"{args.archive}/web/{snapshot.timestamp}id_/{snapshot.original}"
            for _ in range(5):
                try:
                    response = http.get(replay, timeout=60)
                except requests.RequestException as error:
                    store.error(f"replay {replay}: {error.__class__.__name__}")
                    response = None
                    common.sleep(60)
                    continue
                if response.status_code != 429:
                    break
                common.sleep(60)
            if response is None or response.status_code != 200:
                store.error(f"replay {replay}: {response.status_code if response is not None else 'no answer'}")
                continue
            store.add(domain, url, snapshot.timestamp, common.extract(response.content))
    store.dump(args.out, "waybackpy")


if __name__ == "__main__":
    main()
