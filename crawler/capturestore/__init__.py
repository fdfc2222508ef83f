"""The capture store: every payload the crawler reads, kept once per payload digest in gzipped WARC
files beside the database, so texts can be re-extracted without the archive (crawler/reextract.py),
exported with their page (crawler/pll.py), and replayed by pywb or `archive serve`.

- headers.py: a replay's headers split into the capture's own (X-Archive-Orig-* turned back into the
  originals) and the archive's (kept in a companion `metadata` record);
- writer.py:  WARCWriter appending gzip members, one per record, rotating files at a size limit,
  flushed and fsynced before the row that points at a record commits; a truncated tail record (a
  kill -9 mid-write) is detected and cut off when a file is opened again;
- reader.py:  a record read back by file, offset and length; the scan that finds a truncated tail;
- keeper.py:  the crawl's side: response record for a new digest, revisit record for a digest already
  kept, and the `warc_records` rows (crawler/store.py, m005) that map digest -> file, offset, length.
"""

from crawler.capturestore.headers import archive_headers_of, original_headers, replay_headers
from crawler.capturestore.reader import StoredPayload, complete_end, read_payload, read_record
from crawler.capturestore.writer import CaptureWriter, WarcLocation, payload_digest

DEFAULT_MAX_BYTES = 1 << 30  # 1 GiB a file, like Heritrix's default


def store_folder(db_path: str, setting: str | None = None) -> str:
    """Where the WARC files go: the CAPTURE_STORE setting, else a folder beside the database."""
    return setting or f"{db_path}.captures"


__all__ = [
    "CaptureWriter", "DEFAULT_MAX_BYTES", "StoredPayload", "WarcLocation", "archive_headers_of", "complete_end",
    "original_headers", "payload_digest", "read_payload", "read_record", "replay_headers", "store_folder",
]
