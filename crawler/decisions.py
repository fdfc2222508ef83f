"""The spider's decisions, as pure functions: which listed captures to replay, and which captured
redirects to follow. Unit-tested without a crawl (tests/test_decisions.py)."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.dedup import PayloadsRead
from crawler.wayback import EMPTY_DIGEST, CdxRow, surt

# Captures worth replaying: pages, PDFs, and rows whose type the index does not know (redirects, revisits).
READABLE_MIMETYPES = {"text/html", "application/xhtml+xml", "text/plain", "application/pdf", "unk", "warc/revisit", ""}

SKIP, RECORD, FETCH = "skip", "record", "fetch"


@dataclass(frozen=True)
class Decision:
    action: str  # SKIP (nothing to record), RECORD (record `outcome` as it is), FETCH (replay it)
    outcome: str = ""
    reason: str = ""
    stat: str = ""  # the stats counter this decision adds to, if any


def decide_capture(row: CdxRow, previous: CdxRow | None, settled: set, payloads: PayloadsRead, collapse: str | None) -> Decision:
    """What to do with one listed capture, given the row listed just before it for the same URL."""
    if collapse == "digest" and previous and previous.digest == row.digest:
        # The client's own collapse=digest, for archives that ignore it (pywb): as archive.org would.
        return Decision(SKIP)
    if (row.timestamp, row.original) in settled:
        return Decision(SKIP, stat="captures/already_stored")
    if row.status is not None and row.status >= 400:
        return Decision(RECORD, "archived_error", f"archived HTTP {row.status}")
    if row.mimetype not in READABLE_MIMETYPES:
        return Decision(RECORD, "skipped_type", f"not a page: {row.mimetype}")
    if row.is_redirect or row.digest == EMPTY_DIGEST:
        # Every bodiless redirect shares the empty digest, so that digest says nothing of where it
        # leads: follow each, except a repeat of the redirect just before it. A redirect with a body
        # is known by its digest like any page (the same body names the same Location).
        if previous and previous.is_redirect and previous.digest == row.digest:
            return Decision(RECORD, "same_digest", "repeats the redirect before it")
        if payloads.known(row.digest):
            return Decision(RECORD, "same_digest")
        return Decision(FETCH)
    if payloads.known(row.digest):
        return Decision(RECORD, "same_digest", stat="captures/same_digest")
    return Decision(FETCH)


def leads_to_listed_capture(original: str, timestamp: str, memento_ts: str | None, location_ts: str | None,
                            target_url: str, listed_range: tuple[str, str] | None) -> bool:
    """A redirect from a capture to another capture of the same URL key: a captured redirect (with
    Memento-Datetime), or the archive's own hop away from a capture that redirects to itself, when the
    capture it names lies in the part of the index this run has listed (`listed_range`, so it was
    listed, or collapsed into an identical neighbour that was). Reading it again through the redirect
    would cost two more requests."""
    if surt(target_url) != surt(original):
        return False
    if memento_ts:
        return True
    if not (location_ts and location_ts != timestamp and listed_range):
        return False
    listed_from, listed_to = listed_range
    return listed_from <= location_ts <= listed_to


def redirect_ends(status: int, location: str, location_ts: str | None, memento_ts: str | None, target_url: str,
                  next_url: str, url: str, hops: tuple, max_redirects: int) -> tuple[str, str] | None:
    """Why a replay redirect is not followed, as (outcome, reason), or None to follow it."""
    if location and location_ts is None and memento_ts is None:
        return "failed", f"the archive sent us out of itself, to {location}"
    if not location:
        return "failed", f"HTTP {status} without Location"
    if next_url in hops or url in hops or len(hops) >= max_redirects:
        if memento_ts is None:
            # The archive's own redirects (no Memento-Datetime) going round: its fault, not the capture's.
            return "failed", f"the archive's own redirect loop (no Memento-Datetime), last to {target_url}"
        return "redirect_loop", f"redirect loop or more than {max_redirects} redirects, last to {target_url}"
    return None
