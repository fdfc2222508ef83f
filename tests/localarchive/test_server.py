"""crawler/localarchive/server.py: the request log (in process and over HTTP) and the server's lifecycle."""

import json
import time
from urllib.parse import urlsplit

import pytest

from crawler.localarchive import ArchiveIndex, LocalArchive
from tests.localarchive.helpers import get

pytestmark = pytest.mark.timeout(60)


def test_request_log_in_process_and_over_http(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=1) as served:
        before = time.monotonic()
        get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")
        get(served.base_url, "/cdx/search/cdx?url=vendor.example/terms")
        get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")
        get(served.base_url, "/favicon.ico")
        logged = served.requests
        assert [(r.kind, r.path, r.status) for r in logged] == [
            ("cdx", "/cdx/search/cdx?url=vendor.example/privacy", 200),
            ("cdx", "/cdx/search/cdx?url=vendor.example/terms", 429),
            ("replay", "/web/20120512123106id_/https://vendor.example/privacy", 200),
            ("other", "/favicon.ico", 404),
        ]
        assert all(r.client == "127.0.0.1" and before <= r.time <= time.monotonic() for r in logged)
        assert served.counters == {"cdx": 2, "replay": 1, "other": 1, "rate_limited": 1}
        status, headers, body = get(served.base_url, "/__archive__/log")
        assert status == 200 and headers["Content-Type"] == "application/json"
        payload = json.loads(body)
        assert [r["status"] for r in payload["requests"]] == [200, 429, 200, 404]
        assert payload["counters"]["rate_limited"] == 1
        assert len(served.requests) == 4  # polling the log does not grow it
        served.clear_log()
        assert served.requests == [] and served.counters == {}


def test_context_manager_stops_and_frees_the_port(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False) as served:
        port = urlsplit(served.base_url).port
        assert served.base_url == f"http://127.0.0.1:{port}"
        assert get(served.base_url, "/cdx/search/cdx?url=vendor.example/terms")[0] == 200
    with pytest.raises(ConnectionError):
        get(f"http://127.0.0.1:{port}", "/cdx/search/cdx?url=vendor.example/terms")
