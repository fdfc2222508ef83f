"""Read-only views of the store written to files: one Markdown document per change, or JSON lines."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
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
    """Writes the timeline of every vendor (or one).

    Everything is written first into a staging folder beside `out` (same file system), then moved into
    place file by file (renames: no space needed). If writing fails (a full disk, a file size limit),
    the staging folder is removed and `out` is left as it was: no `.tmp` file, no partial folder.
    Changes are streamed from the database one at a time, so memory does not grow with their number."""
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        relative, documents = _write_all(store, staging, fmt, domain)
        written = []
        for name in relative:
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
        if fmt == "jsonl":
            return Exported(documents, written, [])
        removed = _remove_stale(out, written, domain)
        _write_atomic(out / MANIFEST, "".join(f"{p.relative_to(out)}\n" for p in sorted(written + _kept(out, domain))))
        return Exported(documents, written, removed)
    except BaseException:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_all(store: Store, staging: Path, fmt: str, domain: str | None) -> tuple[list[Path], int]:
    """The files written into `staging` (relative to it) and the number of documents."""
    if fmt == "jsonl":
        documents = 0
        with open(staging / "changes.jsonl", "w", encoding="utf-8") as handle:
            for change in store.iter_timeline(domain):
                handle.write(json.dumps(json_record(change), ensure_ascii=False) + "\n")
                documents += 1
        return [Path("changes.jsonl")], documents
    relative = []
    for change in store.iter_timeline(domain):
        name = Path(change.domain) / f"{change.timestamp}.md"
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        _write_file(staging / name, markdown_document(change))
        relative.append(name)
    return relative, len(relative)


def _write_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


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
