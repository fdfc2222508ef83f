"""The size cap on replayed pages. Real privacy policies are well under 2 MB of HTML; a replay larger
than ARCHIVE_MAX_PAGE_BYTES (4 MiB by default) is cut off by Scrapy's own DOWNLOAD_MAXSIZE machinery
(set per replay request, so CDX pages are not capped) and recorded as "oversize" with its reason:
settled, never a version, and never held whole in memory."""

from __future__ import annotations

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest

DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024
OVERSIZE = "oversize"


def replay_size_meta(max_bytes: int) -> dict:
    """The request meta that caps one replay (a warning at half the cap)."""
    return {"download_maxsize": max_bytes, "download_warnsize": max_bytes // 2} if max_bytes > 0 else {}


def oversize_reason(exception, max_bytes: int) -> str | None:
    """The reason to record when a replay failed because it was larger than the cap, else None.
    Scrapy cancels such a download (DownloadCancelledError: announced by Content-Length, or counted
    while receiving) or, for a compressed body that decodes past the cap, ignores it (IgnoreRequest)."""
    if max_bytes <= 0:
        return None
    if isinstance(exception, DownloadCancelledError) or (
        isinstance(exception, IgnoreRequest) and "max size" in str(exception)
    ):
        return f"page larger than {max_bytes} bytes (ARCHIVE_MAX_PAGE_BYTES): not read"
    return None
