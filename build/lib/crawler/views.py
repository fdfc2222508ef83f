"""Read-only views of the store for people: what changed, a diff of two versions, the tracked vendors.

All of them read the one timeline (the `changes` view, Store.timeline): a change is a date from which
a vendor's policy read like version N (1 = the vendor's oldest text), `archived` on the first capture
that showed it and `in force until` the first capture of the next change."""

from __future__ import annotations

import difflib

from crawler.store import Change, Store
from crawler.wayback import timestamp_to_iso


def day(ts: str | None) -> str:
    return timestamp_to_iso(ts)[:10] if ts else "-"


def period(change: Change) -> str:
    """The dates of a change, named the same everywhere."""
    return f"archived {day(change.timestamp)}, in force until {day(change.until) if change.until else 'now'}"


def changes_lines(store: Store, since: str | None = None, domain: str | None = None) -> list[str]:
    """Each vendor's changes (a new text, or an old one coming back) first captured on or after `since`."""
    lines: list[str] = []
    current = None
    for change in store.timeline(domain):
        if since and change.timestamp < since:
            continue
        if change.domain != current:
            current = change.domain
            lines.append(change.domain)
        stated = f", states {change.policy_date}" if change.policy_date else ""
        lines.append(f"  version {change.version:<3} {period(change)}  {change.title}{stated}  {change.snapshot_url}")
    return lines


def diff_text(store: Store, domain: str, from_version: int | None = None, to_version: int | None = None) -> str:
    """A unified diff of two versions of a vendor's policy (numbers as `changes` shows them); by
    default the last two changes."""
    timeline = store.timeline(domain)
    if not timeline:
        raise LookupError(f"no version stored for {domain}")
    first_change = {}
    for change in timeline:
        first_change.setdefault(change.version, change)
    if from_version is None and to_version is None:
        if len(timeline) < 2:
            raise LookupError(f"{domain} has only one version: nothing to compare")
        old, new = timeline[-2], timeline[-1]
    elif from_version is None or to_version is None:
        raise LookupError("give both --from-version and --to-version, or neither")
    else:
        for number in (from_version, to_version):
            if number not in first_change:
                raise LookupError(f"{domain} has no version {number} (it has 1 to {max(first_change)})")
        old, new = first_change[from_version], first_change[to_version]
    label = lambda c: f"{c.domain} version {c.version} ({period(c)})"  # noqa: E731
    return "".join(
        difflib.unified_diff(
            f"# {old.title}\n\n{old.markdown}\n".splitlines(keepends=True),
            f"# {new.title}\n\n{new.markdown}\n".splitlines(keepends=True),
            fromfile=label(old),
            tofile=label(new),
        )
    )


def status_lines(store: Store) -> list[str]:
    """The tracked vendors, each with its newest capture and newest version, and the last run."""
    lines = [f"{'vendor':30} {'URLs':>4} {'newest capture':>14} {'versions':>8}  in force now"]
    for domain, urls, newest_capture, _ in store.vendor_overview():
        timeline = store.timeline(domain)
        versions = max((c.version for c in timeline), default=0)
        newest = f"version {timeline[-1].version}, archived {day(timeline[-1].timestamp)}" if timeline else "-"
        lines.append(f"{domain:30} {urls:>4} {day(newest_capture):>14} {versions:>8}  {newest}")
    run = store.last_run()
    if run:
        lines.append(f"last run: #{run[0]} {run[1]}, {run[3]}, finished {run[2] or '-'}")
    return lines
