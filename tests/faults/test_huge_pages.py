"""Item 4: a huge page neither freezes the crawl nor becomes a version: replays above
ARCHIVE_MAX_PAGE_BYTES are cut off by Scrapy's download_maxsize and recorded as "oversize" with the
reason (settled); extraction runs in worker threads, off the reactor."""

import asyncio
import sqlite3
import threading
import time

from pipelines.extract import ExtractPolicyText
from tests.faults.conftest import backfill
from tests.faults.proxy import Fault
from tests.helpers import fetched
from tests.samples import KERIO_A, policy_page

VICTIM = "20120315080000"


def huge_policy_page(megabytes: int) -> bytes:
    page = policy_page(KERIO_A, "20120315080000")
    filler = b"<p>" + b"We take your privacy seriously and explain every use of your data here. " * 50 + b"</p>\n"
    head, _, tail = page.partition(b"</body>")
    return head + filler * (megabytes * 1024 * 1024 // len(filler)) + b"</body>" + tail


def test_a_huge_page_is_recorded_oversize_and_the_crawl_keeps_its_pace(proxy, clean, tmp_path):
    body = huge_policy_page(12)
    proxy.faults = lambda path, kind, n: Fault("body", body=body) if f"/web/{VICTIM}id_/" in path else None
    db = tmp_path / "p.db"
    started = time.monotonic()
    result = backfill(proxy.base_url, db)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    con = sqlite3.connect(db)
    outcome, reason = con.execute("select outcome, reason from captures where timestamp = ?", [VICTIM]).fetchone()
    assert outcome == "oversize" and "ARCHIVE_MAX_PAGE_BYTES" in reason
    texts = {r[0] for r in con.execute("select text_hash from versions")}
    assert texts == {v[0] for v in clean["versions"]}
    assert max(len(r[0]) for r in con.execute("select markdown from versions")) < 100_000
    assert elapsed < 30, elapsed


def test_extraction_runs_off_the_calling_thread():
    seen = []
    pipeline = ExtractPolicyText(threads=1)
    original = pipeline.extract_item

    def spy(item):
        seen.append(threading.current_thread().name)
        return original(item)
    pipeline.extract_item = spy
    item = asyncio.run(pipeline.process_item(fetched(policy_page(KERIO_A, "20120101000000"))))
    pipeline.close_spider()
    assert item.is_policy and item.body is None
    assert seen and seen[0].startswith("extract") and seen[0] != threading.current_thread().name
