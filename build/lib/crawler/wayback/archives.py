"""One archive the crawler reads, in archive.org's dialect or pywb's."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from crawler.wayback.cdx import cdx_query_url
from crawler.wayback.replay import replay_url

ARCHIVE_KINDS = ("auto", "ia", "pywb")


@dataclass(frozen=True)
class Archive:
    """One archive the crawler reads: where its CDX API and replay live, in which dialect.

    Its identity in the store is `replay_prefix`, which also makes every snapshot link."""

    base: str
    kind: str  # "ia" or "pywb"

    @property
    def replay_prefix(self) -> str:
        return f"{self.base}/web" if self.kind == "ia" else self.base

    @property
    def pages_by_resume_key(self) -> bool:
        return self.kind == "ia"  # pywb ignores showResumeKey and answers everything in one go

    def cdx_url(self, url: str, *, from_=None, to=None, collapse="digest", limit=None, resume_key=None) -> str:
        if self.kind == "ia":
            return cdx_query_url(self.base, url, from_=from_, to=to, collapse=collapse, limit=limit, resume_key=resume_key)
        # pywb: its own field names (an explicit `fl` of archive.org's names is refused), no collapse and
        # no resume keys (both ignored, so not sent); the client collapses adjacent digests itself.
        params = [("url", url), ("output", "json")]
        params += [("from", from_)] if from_ else []
        params += [("to", to)] if to else []
        return f"{self.base}/cdx?{urlencode(params)}"

    def replay_url(self, timestamp: str, url: str) -> str:
        return replay_url(self.replay_prefix, timestamp, url)


def archive_for(base: str, kind: str = "auto") -> Archive:
    """`https://web.archive.org` is archive.org's dialect; a URL with a path (a pywb collection such as
    `http://127.0.0.1:8080/my-coll`, or `https://arquivo.pt/wayback`) is pywb's, unless `kind` says."""
    base = base.strip().rstrip("/")
    parts = urlsplit(base)
    try:
        port_ok = parts.port is None or 0 < parts.port
    except ValueError:  # out of range, or not a number
        port_ok = False
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok or any(c.isspace() for c in base):
        raise ValueError(f"not an archive URL: {base!r} (e.g. https://web.archive.org or http://127.0.0.1:8080/my-coll)")
    if kind not in ARCHIVE_KINDS:
        raise ValueError(f"unknown archive type {kind!r}: {', '.join(ARCHIVE_KINDS)}")
    if kind == "auto":
        kind = "pywb" if parts.path.strip("/") else "ia"
    return Archive(base, kind)
