"""The HTTP server: LocalArchive, a Wayback Machine look-alike on 127.0.0.1, and its request log.

Routes `/cdx/search/cdx` and the timemaps to the CDX engine, `/web/...` to replay, `/save/...` to a
stand-in Save Page Now, `/__archive__/log` to the log; rate limits apply before any of them.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable

from crawler.localarchive.cdx import CdxEngine, CdxError
from crawler.localarchive.index import ArchiveIndex
from crawler.localarchive.quirks import CdxQuirks
from crawler.localarchive.ratelimit import RateLimiter
from crawler.localarchive.replay import Replay


@dataclass
class LoggedRequest:
    time: float  # time.monotonic()
    client: str
    kind: str  # cdx, replay or other
    path: str  # path and query as requested
    status: int | None  # None: the connection was closed without an answer (blocked client)


_TOO_MANY = "<html><head><title>429 Too Many Requests</title></head><body><h1>429 Too Many Requests</h1></body></html>\n"


def request_kind(path: str) -> str:
    """What a request to the archive is, by its path: save, cdx, replay or other."""
    if path.startswith("/save/"):
        return "save"
    if path.startswith(("/cdx", "/web/timemap")):
        return "cdx"
    if path.startswith("/web/"):
        return "replay"
    return "other"


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connections must not hold up shutdown
    allow_reuse_address = True
    archive: "LocalArchive"

    def verify_request(self, request, client_address) -> bool:
        # A blocked client gets its connection closed before a byte is read, like a firewall drop.
        if self.archive.limiter is not None and self.archive.limiter.is_blocked(client_address[0]):
            self.archive._record(client_address[0], "other", "", None)
            return False
        return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers use it
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this, 40 ms per answer
    server_version = "LocalArchive/1.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.archive._handle(self)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.archive.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class LocalArchive:
    """A Wayback Machine look-alike on 127.0.0.1: CDX at `/cdx/search/cdx`, replay at `/web/<ts><mod>/<url>`.

    `index` is an ArchiveIndex (or WARC paths). Limits count per client IP in a sliding window of
    60 s / `time_scale`; `cdx_per_minute`/`replay_per_minute` None lifts one, `limits=False` (or None)
    lifts all. Blocked clients get their connections closed with no response. `excluded` and
    `robots_excluded` are URL prefixes the archive refuses (CDX 403; replay an "excluded" page).
    The `quirk_*` flags inject real archive.org oddities (see CdxQuirks; `quirk_gzip_content_encoding`
    sends replayed bodies gzipped with both `content-encoding: ""` and `Content-Encoding: gzip`).
    Request log: `.requests` and `.counters` here, `GET /__archive__/log` over HTTP (never limited).
    """

    def __init__(
        self,
        index: ArchiveIndex | Iterable[str | os.PathLike],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        limits: bool | None = True,
        cdx_per_minute: int | None = 30,
        replay_per_minute: int | None = 600,
        save_per_minute: int | None = 15,
        time_scale: float = 1.0,
        block_after: float = 60,
        block_for: float = 3600,
        excluded: Iterable[str] = (),
        robots_excluded: Iterable[str] = (),
        quirk_duplicate_rows: int = 0,
        quirk_dash_length: bool = False,
        quirk_invalid_timestamp: bool = False,
        quirk_junk_original: bool = False,
        quirk_resume_key_on_last_page: bool = False,
        quirk_gzip_content_encoding: bool = False,
        verbose: bool = False,
    ):
        self.index = index if isinstance(index, ArchiveIndex) else ArchiveIndex.from_warcs(index)
        quirks = CdxQuirks(quirk_duplicate_rows, quirk_dash_length, quirk_invalid_timestamp, quirk_junk_original, quirk_resume_key_on_last_page)
        self.cdx = CdxEngine(self.index, quirks, excluded, robots_excluded)
        self.replay = Replay(self.index, self.cdx.exclusion, quirk_gzip_content_encoding)
        self.limiter = (
            RateLimiter({"cdx": cdx_per_minute, "replay": replay_per_minute, "save": save_per_minute}, time_scale=time_scale, block_after=block_after, block_for=block_for)
            if limits else None
        )
        self.saved: list[tuple[str, str]] = []  # Save Page Now requests: (timestamp, URL)
        self.verbose = verbose
        self._log: list[LoggedRequest] = []
        self._counters: Counter[str] = Counter()
        self._log_lock = threading.Lock()
        self._server = _Server((host, port), _Handler)
        self._server.archive = self
        self._thread: threading.Thread | None = None

    # lifecycle

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "LocalArchive":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="local-archive", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serves in the calling thread until `stop()` (from another thread) or KeyboardInterrupt."""
        self._server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "LocalArchive":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # request log

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._log_lock:
            return list(self._log)

    @property
    def counters(self) -> dict[str, int]:
        """Requests per kind (`cdx`, `replay`, `other`), plus `rate_limited` (429s) and `blocked` (no answer)."""
        with self._log_lock:
            return dict(self._counters)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()
            self._counters.clear()

    def _record(self, client: str, kind: str, path: str, status: int | None) -> None:
        with self._log_lock:
            self._log.append(LoggedRequest(time.monotonic(), client, kind, path, status))
            self._counters[kind] += 1
            if status == 429:
                self._counters["rate_limited"] += 1
            if status is None:
                self._counters["blocked"] += 1

    # request handling

    def _handle(self, handler: _Handler) -> None:
        client, path = handler.client_address[0], handler.path
        kind = request_kind(path)
        if path.startswith("/__archive__/"):  # the log itself: neither limited nor logged
            handler.log_kind = None
            if path.split("?")[0] == "/__archive__/log":
                self._serve_log(handler)
            else:
                self._send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])
            return
        handler.log_kind = kind
        verdict = self.limiter.check(client, kind) if self.limiter is not None else "ok"
        if verdict == "blocked":
            handler.close_connection = True  # no status line at all: the client sees a dropped connection
            self._record(client, kind, path, None)
            return
        try:
            if verdict == "limited":
                self._send(handler, 429, _TOO_MANY.encode(), [("Content-Type", "text/html; charset=utf-8")], reason="Too Many Requests")
            elif kind == "cdx":
                self._serve_cdx(handler, path)
            elif kind == "replay":
                self._send(handler, *self.replay.answer(path, self._public_base(handler)))
            elif kind == "save":
                self._serve_save(handler, path)
            else:
                self._send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True
        except Exception as error:  # a bug here must show as a 500, not a hung client
            self._send(handler, 500, f"local archive error: {error!r}\n".encode(), [("Content-Type", "text/plain")])

    def _send(self, handler: _Handler, status: int, body: bytes, headers: list[tuple[str, str]], reason: str | None = None) -> int:
        # Logged before the first byte leaves, so a client that got its answer always finds it in the log.
        if handler.log_kind is not None:
            self._record(handler.client_address[0], handler.log_kind, handler.path, status)
        handler.send_response_only(status, reason)
        handler.send_header("Server", handler.server_version)
        handler.send_header("Date", handler.date_time_string())
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return status

    def _serve_save(self, handler: _Handler, path: str) -> int:
        """Save Page Now: this archive cannot reach the web, so it records what was asked for (`.saved`) and
        answers as archive.org does when a capture is made: the new memento in `Content-Location`."""
        url = path[len("/save/"):]
        now = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        with self._log_lock:
            self.saved.append((now, url))
        return self._send(handler, 200, b"<html><body>Saved.</body></html>",
                          [("Content-Type", "text/html; charset=utf-8"), ("Content-Location", f"/web/{now}/{url}")])

    def _serve_log(self, handler: _Handler) -> int:
        with self._log_lock:
            payload = {"requests": [asdict(r) for r in self._log], "counters": dict(self._counters)}
        return self._send(handler, 200, json.dumps(payload).encode(), [("Content-Type", "application/json")])

    def _serve_cdx(self, handler: _Handler, path: str) -> int:
        route, _, query = path.partition("?")
        try:
            if route in ("/cdx/search/cdx", "/cdx/search"):
                answer = self.cdx.query(query)
            elif route.startswith("/web/timemap/link/"):
                url = route[len("/web/timemap/link/"):] + ("?" + query if query else "")
                return self._send(handler, *self.replay.timemap(url, self._public_base(handler)))
            elif route in ("/web/timemap/json", "/web/timemap/cdx"):
                answer = self.cdx.query(query + ("&output=json" if route.endswith("json") else ""))
            else:
                return self._send(handler, 404, b"not found\n", [("Content-Type", "text/plain")])
        except CdxError as error:
            body = error.message if error.status == 403 else f"Error: {error.message}\n"
            return self._send(handler, error.status, body.encode(), [("Content-Type", "text/plain;charset=UTF-8")] + error.headers)
        return self._send(handler, 200, answer.body, [("Content-Type", answer.content_type)])

    def _public_base(self, handler: _Handler) -> str:
        # Absolute Locations, like archive.org's, built on the host name the client used.
        host = handler.headers.get("Host")
        return f"http://{host}" if host else self.base_url
