"""Replay: `/web/<timestamp><modifier>/<url>` answers and link timemaps, the way archive.org gives them.

An exact timestamp gives the capture (original bytes for `id_`, a toolbar otherwise) with Memento
headers; any other a 302 to the nearest capture. A captured redirect is a memento with its Location
rewritten; a revisit gets the payload of the response it stands for; a capture that redirects to its
own URL is skipped for the nearest other one.
"""

from __future__ import annotations

import html
import os
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Callable, NamedTuple
from urllib.parse import urljoin

from crawler.localarchive.index import ArchiveIndex, IndexRow, StoredResponse
from crawler.localarchive.keys import http_date, seconds, urlkey
from crawler.localarchive.quirks import gzip_content_encoding

_REPLAY_PATH = re.compile(r"^/web/(\d{1,14})([a-z]{2}_)?/(.*)$", re.DOTALL)
_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_LATEST = "99991231235959"  # `/web/<url>` with no timestamp asks for the latest capture

_TOOLBAR = (
    "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n"
    '<div id="wm-ipp-base" style="display:block"><div id="wm-ipp">'
    "The Wayback Machine - {replay_url} | {count} captures | About this capture | "
    "This page was archived on {date}.</div></div>\n"
    "<!-- END WAYBACK TOOLBAR INSERT -->\n"
)
_ARCHIVE_COMMENT = (
    "\n<!--\n     FILE ARCHIVED ON {date} AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON {now}.\n"
    "     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.\n-->\n"
)
_NOT_ARCHIVED = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Wayback Machine</title></head><body>\n"
    "<p>Hrm.</p><p>The Wayback Machine has not archived that URL.</p>\n"
    "<p>Click here to search for all archived pages under <a href=\"/web/*/{url}*\">{url}</a>.</p>\n</body></html>\n"
)
_EXCLUDED = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Wayback Machine</title></head><body>\n"
    "<p>Sorry.</p><p>This URL has been excluded from the Wayback Machine.</p>\n<p>{url}</p>\n</body></html>\n"
)
_HTML = ("Content-Type", "text/html; charset=utf-8")


class Response(NamedTuple):
    """An answer for the server to send: status, body, headers, and a reason phrase when not the usual one."""

    status: int
    body: bytes
    headers: list[tuple[str, str]]
    reason: str | None = None


class Replay:
    """Answers replay requests from an index. `exclusion(urlkey)` says whether (and why) a URL is refused;
    `gzip_content_encoding` turns on archive.org's double content-encoding bug (see quirks)."""

    def __init__(self, index: ArchiveIndex, exclusion: Callable[[str], str | None], gzip_content_encoding: bool = False):
        self.index = index
        self.exclusion = exclusion
        self.gzip_content_encoding = gzip_content_encoding

    def timemap(self, url: str, base: str) -> Response:
        """`/web/timemap/link/<url>`: the URL's mementos in link format. `base` is the archive's public URL."""
        lines = [f"<{url}>; rel=\"original\""]
        lines += [f"<{base}/web/{r.timestamp}/{r.original}>; rel=\"memento\"; datetime=\"{http_date(r.timestamp)}\"" for r in self.index.captures(urlkey(url)) if seconds(r.timestamp)]
        return Response(200, (",\n".join(lines) + "\n").encode(), [("Content-Type", "application/link-format")])

    def answer(self, path: str, base: str) -> Response:
        """The answer to `GET <path>` for a path under `/web/`; `base` makes absolute Locations."""
        match = _REPLAY_PATH.match(path)
        if match:
            requested_ts, modifier, url = match.group(1), match.group(2) or "", match.group(3)
        else:
            requested_ts, modifier, url = _LATEST, "", path[len("/web/"):]
        # Clients send `http%3A//host/...` or, after path normalisation, `http:/host/...`.
        url = re.sub(r"^(https?)%3A", r"\1:", url, flags=re.IGNORECASE)
        url = re.sub(r"^(https?:)/+", r"\1//", url, flags=re.IGNORECASE)
        try:
            key = urlkey(url)
        except ValueError:
            return _not_archived(url)
        if self.exclusion(key):
            return Response(200, _EXCLUDED.format(url=html.escape(url)).encode(), [_HTML])
        captures = self.index.captures(key)
        if not captures:
            return _not_archived(url)
        exact = [r for r in captures if r.timestamp == requested_ts]
        if not exact:
            return _found(_nearest(captures, requested_ts), base, modifier, url)
        # Several captures in one second (http and https, say): prefer the URL as asked.
        row = next((r for r in exact if r.original == url), exact[0])
        if self._is_self_redirect(row):
            # Like archive.org, never answer a URL with a capture that redirects to that same URL (an
            # http -> https redirect shares its urlkey): send the client to the nearest other capture.
            others = [r for r in captures if r.timestamp != row.timestamp and not self._is_self_redirect(r)]
            if others:
                return _found(_nearest(others, requested_ts), base, modifier, url)
        return self._memento(row, url, modifier, len(captures), base)

    def _is_self_redirect(self, row: IndexRow) -> bool:
        if not (row.statuscode.startswith("3") or row.is_revisit):
            return False
        part = self._http_part(row)  # a revisit's status is its own record's, not the index's `-`
        if not 300 <= part.status < 400:
            return False
        location = next((v for k, v in part.headers if k.lower() == "location"), None)
        if not location:
            return False
        try:
            return urlkey(urljoin(row.original, location.strip())) == row.urlkey
        except ValueError:
            return False

    def _http_part(self, row: IndexRow) -> StoredResponse:
        """Status and headers of a capture; a revisit's own (a redirect revisited keeps its Location),
        with the payload of the response it stands for."""
        if not row.is_revisit:
            return self.index.read(row)
        payload_row = self.index.resolve_revisit(row)
        if payload_row is None:
            return StoredResponse(404, "Not Found", [], b"")
        payload = self.index.read(payload_row)
        own = self.index.read(row)
        if not own.headers:
            return payload
        return StoredResponse(own.status, own.reason, own.headers, payload.body)

    def _memento(self, row: IndexRow, requested_url: str, modifier: str, capture_count: int, base: str) -> Response:
        payload_row = self.index.resolve_revisit(row) if row.is_revisit else row
        if payload_row is None:  # a revisit whose original response is not in these WARCs
            return _not_archived(requested_url)
        stored = self._http_part(row)
        headers: list[tuple[str, str]] = []
        content_encoding = None
        for name, value in stored.headers:
            lower = name.lower()
            if lower == "content-type":
                headers.append(("Content-Type", value))  # as captured, with or without charset
            elif lower == "location" and 300 <= stored.status < 400:
                target = urljoin(row.original, value.strip())
                headers.append(("Location", f"{base}/web/{row.timestamp}{modifier}/{target}"))
            elif lower == "content-encoding":
                content_encoding = value  # the stored bytes are still encoded: pass it on
            elif lower not in ("connection", "keep-alive", "proxy-connection"):
                headers.append((f"X-Archive-Orig-{name}", value))
        body = stored.body
        if modifier != "id_" and "html" in _content_type_of(stored.headers) and body:
            body = _with_toolbar(body, f"{base}/web/{row.timestamp}/{row.original}", row.timestamp, capture_count)
        if self.gzip_content_encoding and body:
            body, encoding_headers = gzip_content_encoding(body, content_encoding)
            headers += encoding_headers
        elif content_encoding:
            headers.append(("Content-Encoding", content_encoding))
        headers += [
            ("Memento-Datetime", http_date(row.timestamp)),
            ("Link", f'<{row.original}>; rel="original", <{base}/web/timemap/link/{row.original}>; rel="timemap"; type="application/link-format", '
                     f'<{base}/web/{row.original}>; rel="timegate", <{base}/web/{row.timestamp}/{row.original}>; rel="memento"; datetime="{http_date(row.timestamp)}"'),
            ("X-Archive-Src", os.path.basename(payload_row.source or "specs")),
        ]
        return Response(stored.status, body, headers, stored.reason or None)


def _found(nearest: IndexRow, base: str, modifier: str, url: str) -> Response:
    """archive.org's 302 from a timestamp without a capture to the nearest one."""
    location = f"{base}/web/{nearest.timestamp}{modifier}/{url}"
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Location", location), ("X-Archive-Redirect-Reason", f"found capture at {nearest.timestamp}")]
    return Response(302, b"", headers, "FOUND")


def _not_archived(url: str) -> Response:
    return Response(404, _NOT_ARCHIVED.format(url=html.escape(url)).encode(), [_HTML], "NOT FOUND")


def _content_type_of(headers: list[tuple[str, str]]) -> str:
    return next((v.lower() for k, v in headers if k.lower() == "content-type"), "")


def _nearest(captures: list[IndexRow], requested_ts: str) -> IndexRow:
    """The capture closest in time to a (possibly partial) timestamp; ties go to the earlier one."""
    padded = requested_ts + "00000101000000"[len(requested_ts):]
    target = seconds(padded)
    if target is None:  # an impossible date: compare the digits
        return min(captures, key=lambda r: abs(int(r.timestamp) - int(padded)) if r.timestamp.isdigit() else float("inf"))
    dated = [(r, seconds(r.timestamp)) for r in captures]
    return min((pair for pair in dated if pair[1] is not None), key=lambda pair: abs(pair[1] - target), default=(captures[0], 0))[0]


def _with_toolbar(body: bytes, replay_url: str, timestamp: str, capture_count: int) -> bytes:
    """The rewritten (non-`id_`) page: toolbar right after <body>, archive comment at the end."""
    date = http_date(timestamp)
    toolbar = _TOOLBAR.format(replay_url=html.escape(replay_url), count=capture_count, date=date).encode()
    match = _BODY_TAG.search(body)
    body = body[: match.end()] + toolbar + body[match.end():] if match else toolbar + body
    now = format_datetime(datetime.now(timezone.utc), usegmt=True)
    return body + _ARCHIVE_COMMENT.format(date=date, now=now).encode()
