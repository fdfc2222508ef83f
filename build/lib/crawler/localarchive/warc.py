"""Captures and how they are written: CaptureSpec, payload digests, and gzipped WARC files."""

from __future__ import annotations

import base64
import hashlib
import http
import io
import os
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, NamedTuple
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.localarchive.keys import urlkey, valid_timestamp

EMPTY_DIGEST = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"  # base32 SHA-1 of b"": bodiless redirects carry it
SOFTWARE = "crawler.localarchive"


@dataclass
class CaptureSpec:
    """One capture to write or index. `body` may be a zero-argument callable (cheap benchmark bodies).

    A redirect is `status=301/302` with a `Location` header and an empty body. `revisit=True` makes a
    revisit of the latest earlier capture of the same URL (the body is then ignored).
    """

    url: str
    timestamp: str = "20120512123106"
    body: bytes | Callable[[], bytes] = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    revisit: bool = False


def _as_spec(spec: CaptureSpec | dict) -> CaptureSpec:
    spec = CaptureSpec(**spec) if isinstance(spec, dict) else spec
    if not valid_timestamp(spec.timestamp):
        raise ValueError(f"capture timestamp must be a valid 14-digit UTC date, got {spec.timestamp!r}")
    return spec


def payload_digest(body: bytes) -> str:
    """The CDX digest: base32 of the SHA-1 of the payload (what WARC-Payload-Digest holds after `sha1:`)."""
    return base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def body_bytes(body: bytes | Callable[[], bytes]) -> bytes:
    return body() if callable(body) else body


def status_line(status: int) -> str:
    """`200 OK`; `299 Unknown` for a code HTTP has no phrase for."""
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


class PlannedCapture(NamedTuple):
    spec: CaptureSpec
    digest: str
    refers_to: CaptureSpec | None  # the earlier response a revisit points at; None for a response


def plan_captures(specs: Iterable[CaptureSpec | dict], auto_revisit: bool) -> Iterator[PlannedCapture]:
    """Decides, in writing order, which captures are responses and which are revisits (and of what)."""
    latest_response: dict[str, tuple[CaptureSpec, str]] = {}  # urlkey -> (spec, digest)
    first_with_digest: dict[tuple[str, str], CaptureSpec] = {}  # (urlkey, digest) -> spec
    for raw in specs:
        spec = _as_spec(raw)
        key = urlkey(spec.url)
        if spec.revisit:
            if key not in latest_response:
                raise ValueError(f"revisit of {spec.url} at {spec.timestamp} has no earlier capture of that URL")
            earlier, digest = latest_response[key]
            yield PlannedCapture(spec, digest, earlier)
            continue
        digest = payload_digest(body_bytes(spec.body))
        earlier = first_with_digest.get((key, digest))
        if auto_revisit and earlier is not None:
            yield PlannedCapture(spec, digest, earlier)
            continue
        first_with_digest.setdefault((key, digest), spec)
        latest_response[key] = (spec, digest)
        yield PlannedCapture(spec, digest, None)


def _warc_date(ts: str) -> str:
    return f"{ts[0:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z"


def write_warc(path: str | os.PathLike, captures: Iterable[CaptureSpec | dict], *, auto_revisit: bool = True) -> str:
    """Writes captures to a gzipped WARC: warcinfo, then per capture a request and a response or revisit.

    With `auto_revisit`, a capture whose payload equals an earlier capture of the same URL becomes a
    revisit record (profile identical-payload-digest), as Heritrix writes them. Returns the path.
    """
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record(os.path.basename(path), {"software": SOFTWARE}))
        for spec, digest, refers_to in plan_captures(captures, auto_revisit):
            warc_date = _warc_date(spec.timestamp)
            parts = urlsplit(spec.url)
            request_headers = StatusAndHeaders(
                f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
                [("Host", parts.netloc), ("User-Agent", SOFTWARE)],
                is_http_request=True,
            )
            writer.write_record(writer.create_warc_record(spec.url, "request", http_headers=request_headers, warc_headers_dict={"WARC-Date": warc_date}))
            http_headers = StatusAndHeaders(status_line(spec.status), list(spec.headers.items()), protocol="HTTP/1.1")
            if refers_to is not None:
                record = writer.create_revisit_record(
                    spec.url, "sha1:" + digest, refers_to.url, _warc_date(refers_to.timestamp),
                    http_headers=http_headers, warc_headers_dict={"WARC-Date": warc_date},
                )
            else:
                record = writer.create_warc_record(
                    spec.url, "response", payload=io.BytesIO(body_bytes(spec.body)),
                    http_headers=http_headers, warc_headers_dict={"WARC-Date": warc_date},
                )
            writer.write_record(record)
    return str(path)
