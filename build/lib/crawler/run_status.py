"""What a run's stats say about how it ended: the status stored in `runs` and the exit status."""

from __future__ import annotations

BLOCKED_REASON = "archive_blocked"
UNREACHABLE_REASON = "archive_unreachable"


def run_status(stats: dict, reason: str) -> str:
    """ok, blocked (the archive stopped answering us), failed (the archive could not be used at all),
    or partial (some captures or listings failed and will be retried by the next run)."""
    if reason == BLOCKED_REASON or stats.get("archive/blocked"):
        return "blocked"
    if reason == UNREACHABLE_REASON or (stats.get("archive/errors") and not stats.get("captures/listed")):
        return "failed"
    if stats.get("archive/errors") or stats.get("items/failed") or stats.get("store/errors"):
        return "partial"
    return "ok" if reason == "finished" else "interrupted"
