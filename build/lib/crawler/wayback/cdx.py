"""The CDX index: query URLs, and parsing its answers (archive.org JSON and text, pywb NDJSON and CDXJ) into clean rows.

Pure functions over strings and bytes, so the recorded archive.org answers test them directly."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlencode, urlsplit

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# base32 SHA-1 of the empty payload: what bodiless captured redirects carry.
EMPTY_DIGEST = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
REVISIT_MIMETYPE = "warc/revisit"
_TIMESTAMP = re.compile(r"^\d{14}$")
_KNOWN_FIELDS = set(CDX_FIELDS) | {"redirect", "robotflags", "offset", "filename"}


class ArchiveError(Exception):
    """The archive answered something we cannot use (garbage, an exclusion, an HTTP error)."""


@dataclass(frozen=True)
class CdxRow:
    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: int | None

    @property
    def is_revisit(self) -> bool:
        return self.mimetype == REVISIT_MIMETYPE or self.statuscode == "-"

    @property
    def status(self) -> int | None:
        return int(self.statuscode) if self.statuscode.isdigit() else None

    @property
    def is_redirect(self) -> bool:
        return self.status is not None and 300 <= self.status < 400


@dataclass
class CdxPage:
    rows: list[CdxRow]
    resume_key: str | None
    dropped: int = 0  # rows thrown out as invalid (bad timestamp, junk URL, duplicate)


def cdx_query_url(
    base: str,
    url: str,
    *,
    from_: str | None = None,
    to: str | None = None,
    collapse: str | None = "digest",
    limit: int | None = None,
    resume_key: str | None = None,
    match_type: str | None = None,
    filters: tuple[str, ...] = (),
) -> str:
    """An archive.org CDX query in JSON with an explicit field list, ready for paging by resume key."""
    params: list[tuple[str, str]] = [("url", url)]
    if match_type:
        params.append(("matchType", match_type))
    params += [("output", "json"), ("fl", ",".join(CDX_FIELDS))]
    if from_:
        params.append(("from", from_))
    if to:
        params.append(("to", to))
    params += [("filter", f) for f in filters]
    if collapse:
        params.append(("collapse", collapse))
    if limit:
        params.append(("limit", str(limit)))
    params.append(("showResumeKey", "true"))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{base.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def valid_timestamp(ts: str) -> bool:
    if not _TIMESTAMP.match(ts):
        return False
    try:
        datetime.strptime(ts, "%Y%m%d%H%M%S")
    except ValueError:
        return False
    return True


def timestamp_to_iso(ts: str) -> str:
    return f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"


def _plausible_original(original: str) -> bool:
    """Rejects junk `original` values seen in real CDX rows (mailto: hosts, data: URIs, no scheme)."""
    try:
        parts = urlsplit(original)
    except ValueError:
        return False
    host = parts.hostname or ""
    return (
        parts.scheme in ("http", "https")
        and "." in host
        and not host.startswith("mailto:")
        and "@" not in parts.netloc
        and '"' not in original
        # URLs scraped out of inline data (`/%22data:image/jpeg;base64,...`) are not pages.
        and "data:" not in unquote(parts.path).lower()
        and len(original) <= 2048
    )


def parse_cdx(body: bytes, fields: tuple[str, ...] = CDX_FIELDS) -> CdxPage:
    """Parses one CDX page, JSON (array of arrays + header) or text, into clean rows and a resume key.

    Survives the quirks of the real index: repeated rows, `-` lengths, invalid timestamps, junk
    `original` values. Raises ArchiveError on anything that is not a CDX answer.
    """
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return CdxPage([], None)
    if text.startswith("{") or _CDXJ_LINE.match(text):
        raw_rows, resume_key = _pywb_rows(text, fields), None
    elif text.startswith("["):
        raw_rows, resume_key = _cdx_json_rows(text)
        # The first row is the header (it follows `fl`); trust it over what we asked for.
        if raw_rows and set(raw_rows[0]) <= _KNOWN_FIELDS:
            fields = tuple(raw_rows[0])
            raw_rows = raw_rows[1:]
    else:
        raw_rows, resume_key = _cdx_text_rows(text)
    rows, dropped, seen = [], 0, set()
    for values in raw_rows:
        if len(values) != len(fields):
            raise ArchiveError(f"CDX row has {len(values)} fields, expected {len(fields)}: {values!r:.120}")
        row = dict(zip(fields, values))
        key = (row.get("timestamp"), row.get("original"), row.get("digest"), row.get("statuscode"))
        if key in seen or not valid_timestamp(row.get("timestamp", "")) or not _plausible_original(row.get("original", "")):
            dropped += 1
            continue
        seen.add(key)
        length = row.get("length", "-")
        rows.append(
            CdxRow(
                urlkey=row.get("urlkey", ""),
                timestamp=row["timestamp"],
                original=row["original"],
                mimetype=row.get("mimetype", ""),
                statuscode=row.get("statuscode", "-"),
                digest=row.get("digest", ""),
                length=int(length) if length.isdigit() else None,
            )
        )
    return CdxPage(rows, resume_key, dropped)


def _cdx_json_rows(text: str) -> tuple[list[list[str]], str | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ArchiveError(f"CDX answer is not valid JSON ({error.msg} at char {error.pos})") from None
    if not isinstance(data, list) or not all(isinstance(r, list) for r in data):
        raise ArchiveError("CDX answer is JSON but not an array of rows")
    resume_key = None
    # With showResumeKey the rows end with an empty row, then a one-element row holding the key.
    if len(data) >= 2 and data[-2] == [] and len(data[-1]) == 1:
        resume_key = str(data[-1][0])
        data = data[:-2]
    if any(not all(isinstance(v, str) for v in r) for r in data):
        raise ArchiveError("CDX answer has non-string values")
    return data, resume_key


# pywb names fields its own way; the rest of the crawler speaks archive.org's names.
_PYWB_FIELDS = {"url": "original", "mime": "mimetype", "status": "statuscode"}
# pywb's text output (CDXJ): `urlkey timestamp {json}`.
_CDXJ_LINE = re.compile(r"^\S+ \d{1,14} \{")


def _pywb_rows(text: str, fields: tuple[str, ...]) -> list[list[str]]:
    """pywb's NDJSON (one object a line) or CDXJ, as rows in `fields` order. A revisit has no status."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        prefix, brace, rest = line.partition("{")
        try:
            record = json.loads(brace + rest)
        except json.JSONDecodeError as error:
            raise ArchiveError(f"CDX line is not JSON ({error.msg}): {line[:80]!r}") from None
        if not isinstance(record, dict):
            raise ArchiveError(f"CDX line is not a JSON object: {line[:80]!r}")
        if prefix.strip():
            record.setdefault("urlkey", prefix.split()[0])
            record.setdefault("timestamp", prefix.split()[1])
        named = {_PYWB_FIELDS.get(k, k): str(v) for k, v in record.items()}
        if "timestamp" not in named or "original" not in named:
            raise ArchiveError(f"CDX line has no timestamp or URL: {line[:80]!r}")
        named.setdefault("statuscode", "-")
        named.setdefault("length", "-")
        rows.append([named.get(f, "") for f in fields])
    return rows


def _cdx_text_rows(text: str) -> tuple[list[list[str]], str | None]:
    lines = text.splitlines()
    resume_key = None
    # A blank line then a single token closes a page that has more to give.
    if len(lines) >= 2 and lines[-2].strip() == "" and len(lines[-1].split()) == 1:
        resume_key = lines[-1].strip()
        lines = lines[:-2]
    rows = [line.split(" ") for line in lines if line.strip()]
    if rows and (len(rows[0]) < 3 or text.lstrip().startswith("<")):
        raise ArchiveError(f"CDX answer is not a CDX listing: {text[:80]!r}")
    return rows, resume_key
