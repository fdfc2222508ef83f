"""Everything that knows the Wayback API, by step of the data path:

- urlkey.py:   SURT keys, the archive's name for a URL;
- cdx.py:      CDX query URLs and the parser of every answer format;
- replay.py:   `id_` replay URLs, snapshot links, redirect Locations, Memento headers;
- archives.py: one archive (archive.org's dialect or pywb's) and how to address it.

Two dialects: archive.org's (CDX at `<base>/cdx/search/cdx`, replay at `<base>/web/<ts>id_/<url>`) and
pywb's, which national archives such as Arquivo.pt run too (CDX at `<collection>/cdx` in NDJSON with
its own field names, no collapse, no resume keys; replay at `<collection>/<ts>id_/<url>`).
"""

from crawler.wayback.archives import ARCHIVE_KINDS, Archive, archive_for
from crawler.wayback.cdx import (
    CDX_FIELDS,
    EMPTY_DIGEST,
    REVISIT_MIMETYPE,
    ArchiveError,
    CdxPage,
    CdxRow,
    cdx_query_url,
    parse_cdx,
    timestamp_to_iso,
    valid_timestamp,
)
from crawler.wayback.replay import (
    MAX_REDIRECTS,
    is_rate_limited,
    link_original,
    memento_timestamp,
    parse_replay_location,
    replay_url,
    snapshot_link,
)
from crawler.wayback.urlkey import surt

__all__ = [
    "ARCHIVE_KINDS", "Archive", "archive_for", "CDX_FIELDS", "EMPTY_DIGEST", "REVISIT_MIMETYPE", "ArchiveError",
    "CdxPage", "CdxRow", "cdx_query_url", "parse_cdx", "timestamp_to_iso", "valid_timestamp", "MAX_REDIRECTS",
    "is_rate_limited", "link_original", "memento_timestamp", "parse_replay_location", "replay_url",
    "snapshot_link", "surt",
]
