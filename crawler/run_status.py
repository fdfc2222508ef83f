"""What a run's stats say about how it ended: the status stored in `runs` and the exit status."""

from __future__ import annotations

BLOCKED_REASON = "archive_blocked"
UNREACHABLE_REASON = "archive_unreachable"

# Counters that mean work was lost or left for the next run: any of them makes a run "partial".
UNFINISHED_WORK = ("archive/errors", "items/failed", "captures/unsettled", "listings/unsettled")


def run_status(stats: dict, reason: str) -> str:
    """ok, blocked (the archive stopped answering us), failed (the archive could not be used at all),
    store_failed (the database could not be written: captures were lost), or partial (some captures or
    listings were not settled and will be retried by the next run). Never ok when work was lost."""
    if reason == BLOCKED_REASON or stats.get("archive/blocked"):
        return "blocked"
    if stats.get("store/errors"):
        return "store_failed"
    if reason == UNREACHABLE_REASON or (stats.get("archive/errors") and not stats.get("captures/listed")):
        return "failed"
    if reason != "finished":
        return "interrupted"  # stopped by a signal: the next run goes on (exit 130)
    if any(stats.get(key) for key in UNFINISHED_WORK):
        return "partial"
    return "ok"


def lost_work(stats: dict) -> str:
    """What a run did not settle, in words, for the summary ('' when nothing)."""
    parts = []
    for key, words in (
        ("store/errors", "captures not written to the database"),
        ("captures/unsettled", "captures not settled (failed, not a memento, or not matching their digest)"),
        ("listings/unsettled", "listings not complete"),
        ("archive/errors", "archive errors"),
    ):
        if stats.get(key):
            parts.append(f"{stats[key]} {words}")
    return "; ".join(parts)
