"""crawler/localarchive/ratelimit.py: 429s per kind of request, time scaling, blocks that drop connections."""

import http.client
import time
from urllib.parse import urlsplit

import pytest

from crawler.localarchive import ArchiveIndex, LocalArchive
from tests.localarchive.helpers import TIMEOUT, get

pytestmark = pytest.mark.timeout(60)


def test_cdx_limit_answers_429_without_retry_after_and_replay_has_its_own(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=3, replay_per_minute=4) as served:
        statuses = [get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")[0] for _ in range(3)]
        assert statuses == [200, 200, 200]
        status, headers, _ = get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")
        assert status == 429 and "Retry-After" not in headers and "Memento-Datetime" not in headers
        # Timemaps share the CDX budget; replay has its own.
        assert get(served.base_url, "/web/timemap/link/https://vendor.example/privacy")[0] == 429
        replay = [get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")[0] for _ in range(5)]
        assert replay == [200, 200, 200, 200, 429]
        # The log endpoint is never limited.
        assert get(served.base_url, "/__archive__/log")[0] == 200
        assert served.counters["rate_limited"] == 3


def test_time_scale_shrinks_the_window(warc_path):
    # 60 s / 60 = a one-second window.
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=2, time_scale=60) as served:
        path = "/cdx/search/cdx?url=vendor.example/privacy"
        assert [get(served.base_url, path)[0] for _ in range(3)] == [200, 200, 429]
        time.sleep(1.2)
        assert get(served.base_url, path)[0] == 200


def test_no_limits(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False, cdx_per_minute=1) as served:
        assert {get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")[0] for _ in range(5)} == {200}


def test_client_that_keeps_going_after_429_is_blocked(warc_path):
    # Scaled by 10: blocked after 0.3 s of 429s, for 0.5 s, then 1 s on the second block.
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=2, time_scale=10, block_after=3, block_for=5) as served:
        path = "/cdx/search/cdx?url=vendor.example/privacy"
        assert [get(served.base_url, path)[0] for _ in range(2)] == [200, 200]
        started = time.monotonic()
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            while time.monotonic() - started < 3:
                assert get(served.base_url, path)[0] == 429
                time.sleep(0.05)
        assert 0.25 < time.monotonic() - started < 1.5
        # While blocked, every connection is dropped, replay and log-less paths included.
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")
        time.sleep(0.6)  # the block is over: back to 429 (the window is still full), not to a block
        assert get(served.base_url, path)[0] == 429
        assert served.counters["blocked"] >= 2
        assert any(r.status is None for r in served.requests)


def test_block_drops_a_kept_alive_connection_too(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=1, time_scale=10, block_after=1, block_for=600) as served:
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(served.base_url).port, timeout=TIMEOUT)
        try:
            path = "/cdx/search/cdx?url=vendor.example/privacy"
            assert get(served.base_url, path, conn)[0] == 200
            with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
                for _ in range(100):
                    assert get(served.base_url, path, conn)[0] == 429
                    time.sleep(0.02)
        finally:
            conn.close()
