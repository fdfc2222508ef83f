"""The CDX query engine: `/cdx/search/cdx` over an ArchiveIndex, the way archive.org's CDX server answers.

Match types and wildcards, inclusive padded `from`/`to`, whole-field filters, adjacent-only collapse,
limit/offset, resume keys, exclusions (403), output as JSON or text.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator
from urllib.parse import parse_qsl, quote_plus, unquote_plus

from crawler.localarchive.index import ArchiveIndex, IndexRow
from crawler.localarchive.keys import urlkey
from crawler.localarchive.quirks import CdxQuirks, cdx_rows

CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
MAX_ROWS_PER_QUERY = 150_000  # archive.org stops one CDX query there
# How archive.org pads short `from`/`to` values (wayback's Timestamp.padStart/EndDateStr): the padded
# `to` is no valid date, but compares above every timestamp that starts with the given digits.
_FROM_PAD = "00000000000000"
_TO_PAD = "29991939295959"
_TIMESTAMP_PARAM = re.compile(r"^\d{1,14}$")


class CdxError(Exception):
    def __init__(self, status: int, message: str, headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or []


@dataclass
class CdxAnswer:
    content_type: str
    body: bytes


def _one(params: list[tuple[str, str]], name: str, default: str = "") -> str:
    return next((v for k, v in params if k == name), default)


def _int_param(params, name: str, default: int) -> int:
    value = _one(params, name)
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise CdxError(400, f"{name} must be an integer, got {value!r}") from None


def _field_name(name: str) -> str:
    if name not in CDX_FIELDS:
        raise CdxError(400, f"unknown CDX field {name!r} (known: {', '.join(CDX_FIELDS)})")
    return name


def _compile_filter(spec: str) -> Callable[[IndexRow], bool]:
    """`[!]field:regex` (whole-field match) or `[!]~field:text` (substring)."""
    negate = spec.startswith("!")
    spec = spec[1:] if negate else spec
    contains = spec.startswith("~")
    spec = spec[1:] if contains else spec
    name, sep, pattern = spec.partition(":")
    if not sep:
        raise CdxError(400, f"filter must be [!]field:regex, got {spec!r}")
    name = _field_name(name)
    if contains:
        return lambda row: (pattern in getattr(row, name)) != negate
    try:
        regex = re.compile(pattern)
    except re.error as error:
        raise CdxError(400, f"bad filter regex {pattern!r}: {error}") from None
    return lambda row: (regex.fullmatch(getattr(row, name)) is not None) != negate


def _compile_collapse(spec: str) -> Callable[[IndexRow], bool]:
    """`field[:N]`: keeps a row unless its (first N chars of) field equals the ADJACENT previous kept row's."""
    name, _, width = spec.partition(":")
    name = _field_name(name)
    try:
        length = int(width) if width else None
    except ValueError:
        raise CdxError(400, f"collapse must be field[:N], got {spec!r}") from None
    previous: list[str | None] = [None]

    def keep(row: IndexRow) -> bool:
        value = getattr(row, name)[:length]
        if value == previous[0]:
            return False
        previous[0] = value
        return True

    return keep


def _match_range(url: str, match_type: str) -> tuple[str, Callable[[str], bool]]:
    """(scan prefix, urlkey predicate) for a matchType; rows outside the scan prefix are never visited."""
    try:
        key = urlkey(url)
    except ValueError as error:
        raise CdxError(400, f"bad url {url!r}: {error}") from None
    host = key.split(")", 1)[0]
    if match_type == "exact":
        return key, lambda k: k == key
    if match_type == "prefix":
        if url.endswith("/") and not key.endswith("/"):  # the key drops a trailing slash; a prefix keeps it
            key += "/"
        return key, lambda k: True
    if match_type == "host":
        return host + ")", lambda k: True
    if match_type == "domain":
        return host, lambda k: k.startswith((host + ")", host + ","))
    raise CdxError(400, f"matchType must be exact, prefix, host or domain, got {match_type!r}")


def _encode_resume_key(urlkey: str, timestamp: str, skip: int) -> str:
    # archive.org's (2022) key is the urlencoded "urlkey timestamp"; `skip` counts rows already sent at
    # that exact (urlkey, timestamp) so a page boundary inside a run of equal keys loses nothing.
    return quote_plus(f"{urlkey} {timestamp}" + (f" {skip}" if skip else ""))


def _decode_resume_key(key: str) -> tuple[str, str, int]:
    parts = unquote_plus(key).split(" ")
    skip = 0
    if len(parts) >= 3 and parts[-1].isdigit() and parts[-2].isdigit():
        skip = int(parts.pop())
    if len(parts) < 2:
        raise CdxError(400, f"bad resumeKey {key!r}")
    return " ".join(parts[:-1]), parts[-1], skip


class CdxEngine:
    """Answers `/cdx/search/cdx` queries over an ArchiveIndex, the way archive.org's CDX server does."""

    def __init__(self, index: ArchiveIndex, quirks: CdxQuirks | None = None, excluded: Iterable[str] = (), robots_excluded: Iterable[str] = ()):
        self.index = index
        self.quirks = quirks or CdxQuirks()
        self.exclusions = [(urlkey(p), "AdministrativeAccessControlException: Blocked Site Error") for p in excluded]
        self.exclusions += [(urlkey(p), "RobotAccessControlException: Blocked By Robots") for p in robots_excluded]

    def exclusion(self, urlkey: str) -> str | None:
        """The error text when a urlkey falls under an excluded prefix (the prefix's trailing `/` is optional)."""
        for prefix, message in self.exclusions:
            if urlkey.startswith(prefix) or urlkey.startswith(prefix.rstrip("/")):
                return message
        return None

    def query(self, query_string: str) -> CdxAnswer:
        params = parse_qsl(query_string, keep_blank_values=True)
        url = _one(params, "url").strip()
        if not url:
            raise CdxError(400, "url parameter is required")
        if _one(params, "page") or _one(params, "showNumPages"):
            raise CdxError(400, "page/showNumPages are not supported here: page with showResumeKey/resumeKey")
        match_type = _one(params, "matchType")
        if not match_type:  # archive.org's wildcard shorthands
            if url.startswith("*."):
                match_type, url = "domain", url[2:]
            elif url.endswith("*"):
                match_type, url = "prefix", url[:-1]
            else:
                match_type = "exact"
        scan_prefix, matches = _match_range(url, match_type)
        blocked = self.exclusion(scan_prefix)
        if blocked:
            raise CdxError(403, f"org.archive.util.io.RuntimeIOException: org.archive.wayback.exception.{blocked}\n",
                           [("X-Archive-Wayback-Runtime-Error", f"org.archive.util.io.RuntimeIOException: org.archive.wayback.exception.{blocked}")])

        from_ts, to_ts = _one(params, "from"), _one(params, "to")
        for name, value in (("from", from_ts), ("to", to_ts)):
            if value and not _TIMESTAMP_PARAM.match(value):
                raise CdxError(400, f"{name} must be 1 to 14 digits, got {value!r}")
        lowest = from_ts + _FROM_PAD[len(from_ts):] if from_ts else ""
        highest = to_ts + _TO_PAD[len(to_ts):] if to_ts else "\x7f"

        fields = [_field_name(f) for f in _one(params, "fl").split(",") if f] or list(CDX_FIELDS)
        row_filters = [_compile_filter(v) for k, v in params if k == "filter"]
        collapsers = [_compile_collapse(v) for k, v in params if k == "collapse"]
        limit = _int_param(params, "limit", 0)
        offset = max(0, _int_param(params, "offset", 0))
        show_resume_key = _one(params, "showResumeKey").lower() == "true"
        resume_key = _one(params, "resumeKey")

        if resume_key:
            start_key, start_ts, skip = _decode_resume_key(resume_key)
            start = max(self.index.first_position(start_key, start_ts), self.index.first_position(scan_prefix))
        else:
            start_key, start_ts, skip = scan_prefix, "", 0
            start = self.index.first_position(scan_prefix, lowest if match_type == "exact" else "")

        def kept_rows() -> Iterator[tuple[IndexRow, tuple[str, str, int]]]:
            for row, position in self._stream(start, scan_prefix, matches, lowest, highest):
                if skip and position[:2] == (start_key, start_ts) and position[2] < skip:
                    continue
                if all(f(row) for f in row_filters) and all(c(row) for c in collapsers):
                    yield row, position

        rows_out, next_key = self._page(kept_rows(), limit, offset, show_resume_key)
        return self._render(rows_out, fields, _one(params, "output").lower() == "json", next_key)

    def _page(self, stream: Iterator[tuple[IndexRow, tuple[str, str, int]]], limit: int, offset: int, show_resume_key: bool) -> tuple[list[IndexRow], str | None]:
        """`offset`, then `limit` rows (the last -N when negative), and the key of what comes next, if anything does."""
        for _ in range(offset):
            if next(stream, None) is None:
                break
        if limit < 0:
            return [row for row, _ in deque(stream, maxlen=min(-limit, MAX_ROWS_PER_QUERY))], None
        wanted = min(limit, MAX_ROWS_PER_QUERY) if limit > 0 else MAX_ROWS_PER_QUERY
        rows, last_position = [], None
        for row, position in stream:
            rows.append(row)
            last_position = position
            if len(rows) >= wanted:
                break
        if not show_resume_key or len(rows) < wanted:
            return rows, None
        upcoming = next((item for item in stream if item[1] != last_position), None)  # not a copy of the last row
        if upcoming is not None:
            return rows, _encode_resume_key(*upcoming[1])
        if self.quirks.resume_key_on_last_page:  # archive.org: a key just past the last row, then an empty page
            urlkey, timestamp, sent = last_position
            return rows, _encode_resume_key(urlkey, timestamp, sent + 1)
        return rows, None

    def _stream(self, start: int, scan_prefix: str, matches, lowest: str, highest: str) -> Iterator[tuple[IndexRow, tuple[str, str, int]]]:
        """Matching rows from index position `start`, quirks injected, each with its resume position.

        The position is (urlkey, timestamp, n): the n-th streamed row at that exact key (copies of a
        row count once), so a resumed query can skip exactly the rows already sent.
        """
        rows = self.index.rows
        run_key, run_count = None, 0
        for index_position in range(start, len(rows)):
            row = rows[index_position]
            if not row.urlkey.startswith(scan_prefix):
                break
            if not matches(row.urlkey) or not (lowest <= row.timestamp <= highest) or self.exclusion(row.urlkey):
                continue
            previous = rows[index_position - 1] if index_position else None
            first_of_url = previous is None or previous.urlkey != row.urlkey or previous.timestamp < lowest
            if (row.urlkey, row.timestamp) != run_key:
                run_key, run_count = (row.urlkey, row.timestamp), 0
            # Copies of one row share a position: like archive.org's key, resuming skips leftover copies.
            for group in cdx_rows(row, first_of_url, self.quirks):
                for variant in group:
                    yield variant, (row.urlkey, row.timestamp, run_count)
                run_count += 1

    @staticmethod
    def _render(rows: list[IndexRow], fields: list[str], as_json: bool, resume_key: str | None) -> CdxAnswer:
        values = [[getattr(row, f) for f in fields] for row in rows]
        if as_json:
            if not values:
                return CdxAnswer("application/json", b"[]\n")
            lines = [fields] + values + ([[], [resume_key]] if resume_key else [])
            rendered = ",\n".join(json.dumps(v, separators=(",", ":")) for v in lines)
            return CdxAnswer("application/json", f"[{rendered}]\n".encode())
        text = "".join(" ".join(v) + "\n" for v in values)
        if resume_key:
            text += f"\n{resume_key}\n"
        return CdxAnswer("text/plain;charset=UTF-8", text.encode())


