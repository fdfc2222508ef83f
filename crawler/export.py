"""Read-only views of the store written to files: one Markdown document per change, or JSON lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

from crawler.wayback import timestamp_to_iso
from crawler.store import Change, Store

HEADER = (
    "> *The following text is extracted and transformed from the {domain} privacy policy that was archived "
    "on {date}. Please check the [original snapshot on the Wayback Machine]({link}) for the most accurate "
    "reproduction.*\n\n"
)


def markdown_document(change: Change) -> str:
    """The change as the source extracts print it: header sentence, `# title`, then the body."""
    date = timestamp_to_iso(change.timestamp)[:10]
    body = change.markdown.strip("\n")
    return HEADER.format(domain=change.domain, date=date, link=change.snapshot_url) + f"# {change.title}\n\n{body}\n"


def json_record(change: Change) -> dict:
    return {
        "domain": change.domain,
        "policy_url": change.url,
        "archived_at": timestamp_to_iso(change.timestamp),
        "in_force_until": timestamp_to_iso(change.until) if change.until else None,
        "timestamp": change.timestamp,
        "version_id": change.version_id,
        "text_hash": change.text_hash,
        "policy_date": change.policy_date,
        "title": change.title,
        "snapshot_url": change.snapshot_url,
        "captured_url": change.captured_url,
        "markdown": change.markdown,
    }


def export(store: Store, out: Path, fmt: str = "markdown", domain: str | None = None) -> list[Path]:
    """Writes the timeline of every vendor (or one) and returns the files written. Files are written
    whole and then renamed into place, so an interrupted export never leaves half a document."""
    changes = store.timeline(domain)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fmt == "jsonl":
        path = out / "changes.jsonl"
        _write_atomic(path, "".join(json.dumps(json_record(c), ensure_ascii=False) + "\n" for c in changes))
        return [path]
    for change in changes:
        path = out / change.domain / f"{change.timestamp}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, markdown_document(change))
        written.append(path)
    return written


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
