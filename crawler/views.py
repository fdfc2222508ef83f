"""Read-only views of the store for people: what changed, a diff of two versions, the tracked vendors."""

from __future__ import annotations

import difflib

from crawler.wayback import timestamp_to_iso
from crawler.store import Store


def _day(ts: str | None) -> str:
    return timestamp_to_iso(ts)[:10] if ts else "-"


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
        lines.append(f"  {_day(change.timestamp)}  version #{change.version_id}  {change.title}{stated}  {change.snapshot_url}")
    return lines


def diff_text(store: Store, domain: str, from_version: int | None = None, to_version: int | None = None) -> str:
    """A unified diff of two versions of a vendor's policy; by default the last two changes."""
    versions = {v["id"]: v for v in store.versions(domain)}
    if len(versions) < 1:
        raise LookupError(f"no version stored for {domain}")
    timeline = store.timeline(domain)
    if from_version is None and to_version is None:
        if len(timeline) < 2:
            raise LookupError(f"{domain} has only one version: nothing to compare")
        from_version, to_version = timeline[-2].version_id, timeline[-1].version_id
    elif from_version is None or to_version is None:
        raise LookupError("give both --from-version and --to-version, or neither")
    for number in (from_version, to_version):
        if number not in versions:
            known = ", ".join(f"#{n}" for n in sorted(versions))
            raise LookupError(f"{domain} has no version #{number} (it has {known})")
    old, new = versions[from_version], versions[to_version]
    label = lambda v: f"version #{v['id']} ({_day(v['first_timestamp'])} to {_day(v['last_timestamp'])})"  # noqa: E731
    return "".join(
        difflib.unified_diff(
            f"# {old['title']}\n\n{old['markdown']}\n".splitlines(keepends=True),
            f"# {new['title']}\n\n{new['markdown']}\n".splitlines(keepends=True),
            fromfile=label(old),
            tofile=label(new),
        )
    )


def status_lines(store: Store) -> list[str]:
    """The tracked vendors, each with its newest capture and newest version, and the last run."""
    rows = store.db.execute(
        """select p.domain, count(distinct p.id),
                  (select max(timestamp) from captures c where c.domain = p.domain),
                  (select count(*) from versions v where v.domain = p.domain)
           from policy_urls p group by p.domain order by p.domain"""
    ).fetchall()
    lines = [f"{'vendor':30} {'URLs':>4} {'newest capture':>14} {'versions':>8}  newest version"]
    for domain, urls, newest_capture, version_count in rows:
        timeline = store.timeline(domain)
        newest = f"#{timeline[-1].version_id} since {_day(timeline[-1].timestamp)}" if timeline else "-"
        lines.append(f"{domain:30} {urls:>4} {_day(newest_capture):>14} {version_count:>8}  {newest}")
    run = store.db.execute("select id, command, finished_at, status from runs order by id desc limit 1").fetchone()
    if run:
        lines.append(f"last run: #{run[0]} {run[1]}, {run[3]}, finished {run[2] or '-'}")
    return lines
