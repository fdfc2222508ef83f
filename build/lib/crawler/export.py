"""Read-only views of the store written to files: one Markdown document per change, or JSON lines."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
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
    """One change as JSON: `document` is the Markdown file exactly (header, `# title`, body); `title`
    and `markdown` (the body alone) are its parts."""
    return {
        "domain": change.domain,
        "policy_url": change.url,
        "version": change.version,
        "archived_at": timestamp_to_iso(change.timestamp),
        "in_force_until": timestamp_to_iso(change.until) if change.until else None,
        "timestamp": change.timestamp,
        "text_hash": change.text_hash,
        "policy_date": change.policy_date,
        "title": change.title,
        "snapshot_url": change.snapshot_url,
        "captured_url": change.captured_url,
        "markdown": change.markdown,
        "document": markdown_document(change),
    }


# Each Markdown export leaves the list of the files it wrote here, so the next one into the same
# folder removes those it no longer writes (a stale document must never pass for a version).
MANIFEST = ".policy-history-export"


@dataclass
class Exported:
    documents: int
    files: list[Path]
    removed: list[Path]


def export(store: Store, out: Path, fmt: str = "markdown", domain: str | None = None) -> Exported:
    """Writes the timeline of every vendor (or one). Files are written whole and then renamed into
    place, so an interrupted export never leaves half a document."""
    changes = store.timeline(domain)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        path = out / "changes.jsonl"
        _write_atomic(path, "".join(json.dumps(json_record(c), ensure_ascii=False) + "\n" for c in changes))
        return Exported(len(changes), [path], [])
    written: list[Path] = []
    for change in changes:
        path = out / change.domain / f"{change.timestamp}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, markdown_document(change))
        written.append(path)
    removed = _remove_stale(out, written, domain)
    _write_atomic(out / MANIFEST, "".join(f"{p.relative_to(out)}\n" for p in sorted(written + _kept(out, domain))))
    return Exported(len(changes), written, removed)


def _previous(out: Path) -> list[Path]:
    manifest = out / MANIFEST
    if not manifest.is_file():
        return []
    return [out / line for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]


def _kept(out: Path, domain: str | None) -> list[Path]:
    """Files of the previous export that this one leaves alone (other vendors, with --domain)."""
    return [p for p in _previous(out) if domain and p.parent.name != domain and p.exists()]


def _remove_stale(out: Path, written: list[Path], domain: str | None) -> list[Path]:
    now = set(written)
    stale = [p for p in _previous(out) if p not in now and (not domain or p.parent.name == domain) and p.exists()]
    for path in stale:
        path.unlink()
    return stale


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from None
