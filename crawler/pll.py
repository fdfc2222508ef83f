"""`export --format pll`: the stored history in the source dataset's own layout (the Princeton-Leuven
longitudinal privacy-policy dataset): per vendor `k/ke/ker/kerio.com.md` (first letter, first two,
first three) holding the document exactly as `export --format markdown` writes it, and
`k/ke/ker/kerio.com.html` holding the stored page (from the capture store) after the dataset's header.

Without `--git` the files are the latest change of each vendor. With `--git` the folder is a git
repository with one commit per change, in time order, each dated at its capture's time, so that
`git log -p k/ke/ker/kerio.com.md` is the policy's history. It is built by one `git fast-import`
(a million commits in minutes, where one `git commit` each would take days).
"""

from __future__ import annotations

import os
import subprocess
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from crawler.capturestore import read_payload, store_folder
from crawler.capturestore.reader import read_body
from crawler.export import markdown_document
from crawler.store import Change, Store
from crawler.wayback import timestamp_to_iso

# The dataset's header, character for character: two lines, then a blank line, then the page.
HTML_HEADER = (
    "<!--The following is the downloaded HTML source of the {domain} privacy policy that was archived on {date}.\n"
    " Please check the original snapshot on the Wayback Machine ({link}) for the most accurate reproduction.-->\n\n"
)
AUTHOR = "policy-history crawler <policy-history@localhost>"
BRANCH = "refs/heads/main"


def pll_path(domain: str) -> str:
    """`kerio.com` -> `k/ke/ker/kerio.com` (the dataset's folders: first letter, first two, first three)."""
    return f"{domain[:1]}/{domain[:2]}/{domain[:3]}/{domain}"


def html_document(change: Change, page: bytes) -> bytes:
    date = timestamp_to_iso(change.timestamp)[:10]
    return HTML_HEADER.format(domain=change.domain, date=date, link=change.snapshot_url).encode("utf-8") + page


def stored_page(store: Store, folder: str, change: Change, files: dict | None = None) -> bytes | None:
    """The page the change's first capture read, from the capture store (None if it was not kept).
    `files` caches open WARC files across calls."""
    db = store.db
    row = db.execute(
        "select payload_digest, digest, policy_url_id from captures where domain = ? and timestamp = ? and version_id = ? "
        "order by id limit 1", [change.domain, change.timestamp, change.version_id]).fetchone()
    digest = None
    if row:
        digest = row[0] or (db.execute(
            "select payload_digest from captures where policy_url_id = ? and digest = ? and payload_digest is not null limit 1",
            [row[2], row[1]]).fetchone() or [None])[0]
    if digest is None:  # any kept capture of the same version
        digest = (db.execute("select payload_digest from captures where version_id = ? and payload_digest is not null "
                             "order by timestamp limit 1", [change.version_id]).fetchone() or [None])[0]
    if digest is None:
        return None
    where = db.execute("select file, offset, length from warc_records where digest = ? and record_type = 'response' limit 1",
                       [digest]).fetchone()
    if where is None or not (Path(folder) / where[0]).exists():
        return None
    files = {} if files is None else files
    if where[0] not in files:
        files[where[0]] = open(Path(folder) / where[0], "rb")
    try:
        return read_body(files[where[0]], where[1], where[2])
    except (ValueError, AttributeError, zlib.error):  # not the store's own simple form: the general reader
        return read_payload(folder, *where).body


@dataclass
class PllExport:
    files: list[Path] = field(default_factory=list)
    commits: int = 0
    without_page: int = 0
    seconds: float = 0.0


def export_pll(store: Store, out: Path, domain: str | None = None, git: bool = False, capture_store: str | None = None) -> PllExport:
    folder = store_folder(store.path, capture_store)
    changes = store.timeline(domain)
    result = PllExport()
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    files: dict = {}
    if git:
        result.commits = _fast_import(store, folder, out, sorted(changes, key=lambda c: (c.timestamp, c.domain)), result, files)
        result.files = sorted(p for p in out.rglob("*") if p.is_file() and ".git" not in p.parts)
    else:
        latest = {c.domain: c for c in changes}  # the timeline is in time order per vendor
        for change in latest.values():
            base = out / pll_path(change.domain)
            base.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(base.with_name(base.name + ".md"), markdown_document(change).encode("utf-8"))
            result.files.append(base.with_name(base.name + ".md"))
            page = stored_page(store, folder, change, files)
            if page is None:
                result.without_page += 1
            else:
                _write_atomic(base.with_name(base.name + ".html"), html_document(change, page))
                result.files.append(base.with_name(base.name + ".html"))
    for stream in files.values():
        stream.close()
    result.seconds = time.monotonic() - started
    return result


def _epoch(timestamp: str) -> int:
    return int(datetime.strptime(timestamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc).timestamp())


def _git(out: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=out, check=True, capture_output=True, timeout=600,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})


def _fast_import(store: Store, folder: str, out: Path, changes: list[Change], result: PllExport, files: dict) -> int:
    if not (out / ".git").exists():
        _git(out, "init", "-q", "-b", "main")
    # Level-1 zlib: the texts of one vendor delta well anyway, and fast-import is CPU-bound on compression.
    process = subprocess.Popen(["git", "-c", "core.compression=1", "-c", "pack.compression=1", "fast-import", "--quiet",
                                "--force", "--done"], cwd=out, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, bufsize=1 << 20)
    stream = process.stdin
    commits = 0
    try:
        stream.write(f"reset {BRANCH}\n".encode())
        for change in changes:
            path = pll_path(change.domain)
            when = _epoch(change.timestamp)
            message = f"{change.domain}: policy archived on {timestamp_to_iso(change.timestamp)[:10]}\n\n{change.snapshot_url}\n".encode()
            stream.write(f"commit {BRANCH}\nauthor {AUTHOR} {when} +0000\ncommitter {AUTHOR} {when} +0000\n".encode())
            stream.write(b"data %d\n%s\n" % (len(message), message))
            md = markdown_document(change).encode("utf-8")
            stream.write(b"M 100644 inline %s.md\ndata %d\n%s\n" % (path.encode(), len(md), md))
            page = stored_page(store, folder, change, files)
            if page is None:
                result.without_page += 1
            else:
                html = html_document(change, page)
                stream.write(b"M 100644 inline %s.html\ndata %d\n%s\n" % (path.encode(), len(html), html))
            commits += 1
        stream.write(b"done\n")
        stream.close()
    except BrokenPipeError:
        pass
    error = process.stderr.read().decode("utf-8", "replace")
    if process.wait(timeout=600) != 0:
        raise OSError(0, f"git fast-import failed: {error.strip()[:300]}")
    if commits:
        _git(out, "reset", "-q", "--hard", "main")
    return commits


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
