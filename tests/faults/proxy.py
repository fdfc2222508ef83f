"""A fault-injecting HTTP proxy on 127.0.0.1, in front of the local archive (or any HTTP server).

The crawler is pointed at the proxy as its archive (`--archive http://127.0.0.1:PORT`); every request
is forwarded to the upstream unless `faults(request)` (a callable given the path and a per-kind
counter) returns a Fault, which decides what the crawler gets instead:

- truncate_close: the body cut in half, no Content-Length, connection closed (ends "cleanly");
- truncate_length: the body cut in half with a Content-Length that matches the cut;
- reset_before: the connection reset (RST) before any byte of the answer;
- reset_mid: the headers with the full Content-Length, half the body, then a reset;
- timeout: nothing sent for `seconds`, then the connection closed;
- status: the answer replaced by `status` (503, 429...) and a short body, no Memento-Datetime;
- latency: the real answer after `seconds`;
- garble: the body replaced by `body`, Content-Length adjusted (garbage CDX, say);
- cut_cdx: the body cut after its first `keep` lines, Content-Length adjusted;
- body: the body replaced by `body` (a huge page, say), headers kept;
- headers: headers replaced/added from `headers` (a lying charset or Content-Encoding).

`refuse()` closes the listening socket (connections refused from then on), `accept()` opens it again
on the same port. Everything is bounded: upstream reads time out, sleeps are short, and `stop()` ends
every thread. The log (`.log`) holds (time, path, what was done).
"""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import urlsplit

from crawler.localarchive.server import request_kind  # the archive's own reading of a path


@dataclass
class Fault:
    kind: str
    seconds: float = 0.0
    status: int = 503
    body: bytes = b""
    keep: int = 1
    headers: dict = field(default_factory=dict)


@dataclass
class Seen:
    time: float
    kind: str  # cdx, replay, other
    path: str
    action: str  # "forward" or the fault's kind


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: "FaultProxy"

    def handle_error(self, request, client_address):
        pass  # a reset we made ourselves is not news


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):  # noqa: N802
        self.server.proxy._handle(self)

    def log_message(self, *args):
        pass


class FaultProxy:
    def __init__(self, upstream: str, faults: Callable[[str, str, int], Fault | None] | None = None, port: int = 0):
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname, parts.port or 80
        self.faults = faults or (lambda path, kind, n: None)
        self.log: list[Seen] = []
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.proxy = self
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._refusing = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FaultProxy":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def refuse(self) -> None:
        """Connections are refused from now on (the listening socket is closed; connections already open
        are reset at their next request)."""
        self._refusing = True
        self.stop()

    def accept(self) -> None:
        """Listen again, on the same port."""
        self._refusing = False
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.proxy = self
        self.start()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def seen(self, kind: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self.log if kind is None or s.kind == kind]

    # --- handling ---

    def _handle(self, handler: _Handler) -> None:
        path = handler.path
        if self._refusing:
            return self._reset(handler)
        kind = request_kind(path)
        with self._lock:
            n = self.counts.get(kind, 0)
            self.counts[kind] = n + 1
        fault = self.faults(path, kind, n)
        action = fault.kind if fault else "forward"
        with self._lock:
            self.log.append(Seen(time.monotonic(), kind, path, action))
        try:
            self._answer(handler, path, fault)
        except (BrokenPipeError, ConnectionResetError, OSError):
            handler.close_connection = True

    def _fetch(self, handler: _Handler, path: str) -> tuple[int, str, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            headers = {"Host": handler.headers.get("Host", f"127.0.0.1:{self.port}")}
            for name in ("Accept-Encoding", "User-Agent", "Accept"):
                if handler.headers.get(name):
                    headers[name] = handler.headers[name]
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            body = answer.read()
            kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in ("content-length", "connection", "transfer-encoding", "keep-alive")]
            return answer.status, answer.reason, kept, body
        finally:
            connection.close()

    def _answer(self, handler: _Handler, path: str, fault: Fault | None) -> None:
        if fault is None:
            return self._send(handler, *self._fetch(handler, path))
        kind = fault.kind
        if kind == "reset_before":
            return self._reset(handler)
        if kind == "timeout":
            self._stopping.wait(fault.seconds)
            handler.close_connection = True
            return None
        if kind == "status":
            body = fault.body or f"<html><body>{fault.status}</body></html>".encode()
            return self._send(handler, fault.status, "Fault", [("Content-Type", "text/html"), *fault.headers.items()], body)
        if kind == "latency":
            self._stopping.wait(fault.seconds)
            return self._send(handler, *self._fetch(handler, path))
        status, reason, headers, body = self._fetch(handler, path)
        if kind == "truncate_close":
            handler.send_response_only(status, reason)
            for name, value in headers:
                handler.send_header(name, value)
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return None
        if kind == "truncate_length":
            return self._send(handler, status, reason, headers, body[: len(body) // 2])
        if kind == "reset_mid":
            handler.send_response_only(status, reason)
            for name, value in headers:
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            time.sleep(0.05)
            return self._reset(handler)
        if kind == "garble":
            return self._send(handler, status, reason, headers, fault.body)
        if kind == "cut_cdx":
            return self._send(handler, status, reason, headers, b"".join(body.splitlines(True)[: fault.keep]))
        if kind == "body":
            return self._send(handler, status, reason, headers, fault.body)
        if kind == "headers":
            names = {k.lower() for k in fault.headers}
            headers = [(k, v) for k, v in headers if k.lower() not in names] + list(fault.headers.items())
            return self._send(handler, status, reason, headers, fault.body or body)
        raise ValueError(f"unknown fault {kind!r}")

    @staticmethod
    def _send(handler, status, reason, headers, body) -> None:
        handler.send_response_only(status, reason)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _reset(handler) -> None:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.close_connection = True
        handler.connection.close()
