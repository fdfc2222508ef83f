"""Read-only views of the store written to files: one Markdown document per change, or JSON lines."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
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
    """Writes the timeline of every vendor (or one) and returns the files written.

    Everything is written first into a staging folder beside `out` (same file system), then moved into
    place file by file (renames: no space needed). If writing fails (a full disk, a file size limit),
    the staging folder is removed and `out` is left as it was: no `.tmp` file, no partial folder.
    Changes are streamed from the database one at a time, so memory does not grow with their number."""
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        relative = _write_all(store, staging, fmt, domain)
        written = []
        for name in relative:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
        return written
    except BaseException:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_all(store: Store, staging: Path, fmt: str, domain: str | None) -> list[Path]:
    if fmt == "jsonl":
        with open(staging / "changes.jsonl", "w", encoding="utf-8") as handle:
            for change in store.iter_timeline(domain):
                handle.write(json.dumps(json_record(change), ensure_ascii=False) + "\n")
        return [Path("changes.jsonl")]
    relative = []
    for change in store.iter_timeline(domain):
        name = Path(change.domain) / f"{change.timestamp}.md"
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        _write_file(staging / name, markdown_document(change))
        relative.append(name)
    return relative


def _write_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
