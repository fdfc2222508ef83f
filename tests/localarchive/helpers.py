"""What the local archive's tests share: the fixture captures and small HTTP clients.

Every HTTP call goes to 127.0.0.1 with a timeout; fixture pages are written here, never read from disk.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit

from crawler.localarchive import CaptureSpec

TIMEOUT = 5

PAGE_A = "<html><head><title>Privacy</title></head><body><h1>Privacy policy</h1><p>We respect café owners.</p></body></html>".encode("utf-8")
PAGE_B = "<html><head><title>Privacy</title></head><BODY class='x'><p>Version B, caf\u00e9 in latin-1.</p></BODY></html>".encode("latin-1")
UTF8 = {"Content-Type": "text/html; charset=utf-8", "Server": "Apache", "Date": "Sat, 12 May 2012 12:31:00 GMT"}

FIXTURE_CAPTURES = [
    CaptureSpec("https://www.vendor.example/privacy", "20120512123106", PAGE_A, headers=UTF8),
    CaptureSpec("http://vendor.example/privacy", "20120601000000", PAGE_A, headers=UTF8),  # same payload: revisit
    CaptureSpec("https://vendor.example/privacy", "20121015080000", PAGE_B, headers={"Content-Type": "TEXT/HTML"}),
    CaptureSpec("https://vendor.example/privacy", "20130220101010", PAGE_A, headers=UTF8),  # A -> B -> A
    CaptureSpec("https://vendor.example/legal/privacy.html", "20130101000000", b"", status=301,
                headers={"Location": "/privacy", "Content-Type": "text/html"}),
    CaptureSpec("https://vendor.example/terms", "20120512123106", b"<html><body>Terms</body></html>"),
    CaptureSpec("http://vendor.example/faq", "20150101000000", b"<html><body>FAQ http</body></html>"),
    CaptureSpec("https://vendor.example/faq", "20150101000000", b"<html><body>FAQ https</body></html>"),
    CaptureSpec("https://blog.vendor.example/privacy-notice", "20140101000000", b"<html><body>Blog</body></html>"),
    CaptureSpec("https://othervendor.example/privacy", "20140101000000", b"<html><body>Other</body></html>"),
]


def get(base_url: str, path: str, conn: http.client.HTTPConnection | None = None):
    """(status, headers, body) of one GET, never following redirects."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(urlsplit(base_url).hostname, urlsplit(base_url).port, timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if own:
            conn.close()


def _cdx(base_url: str, query: str) -> bytes:
    status, _, body = get(base_url, "/cdx/search/cdx?" + query)
    assert status == 200, body
    return body


def cdx_json(base_url: str, query: str) -> list[list[str]]:
    return json.loads(_cdx(base_url, query))


def cdx_text(base_url: str, query: str) -> list[str]:
    return _cdx(base_url, query).decode().splitlines()


def page_through(base: str, query: str, as_json: bool, limit: int) -> tuple[list[str], int]:
    """Pages through a CDX query with resume keys: (every row, as text lines, and the number of requests)."""
    rows, key, requests = [], None, 0
    while True:
        page_query = f"{query}&limit={limit}&showResumeKey=true" + (f"&resumeKey={quote(key)}" if key else "")
        requests += 1
        assert requests < 100, "resume keys loop"
        if as_json:
            page = cdx_json(base, page_query + "&output=json")
            if page[-2:-1] == [[]]:
                key, page = page[-1][0], page[:-2]
            else:
                key = None
            rows += [" ".join(row) for row in page[1:]]
        else:
            lines = cdx_text(base, page_query)
            if len(lines) >= 2 and lines[-2] == "":
                key, lines = lines[-1], lines[:-2]
                assert " " not in key
            else:
                key = None
            rows += lines
        if key is None:
            return rows, requests
