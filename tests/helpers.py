"""Small builders shared by the tests."""

from scrapy.utils.test import get_crawler

from crawler.dedup import text_hash
from crawler.extensions.store import PolicyStore
from crawler.items import CaptureItem


def capture_item(timestamp="20120512123106", digest="AAAA", outcome="new_version", text="Policy text v1", **fields) -> CaptureItem:
    item = CaptureItem(
        domain="kerio.com", policy_url="http://www.kerio.com/privacy-policy",
        archive="https://web.archive.org/web", timestamp=timestamp, original="http://www.kerio.com/privacy-policy",
        digest=digest, statuscode="200", mimetype="text/html", outcome=outcome,
    )
    if outcome in ("new_version", "same_text"):
        item.title, item.markdown, item.text_hash = "Privacy Policy | Kerio", text, text_hash(text)
    for key, value in fields.items():
        setattr(item, key, value)
    return item


def fetched(body: bytes, **fields) -> CaptureItem:
    """A capture as the spider yields it after a replay."""
    item = capture_item(outcome="fetched", **fields)
    item.body, item.content_type = body, "text/html; charset=utf-8"
    return item


def store_extension(path) -> PolicyStore:
    """The store extension of a crawl that never runs: a real SQLite file, real stats."""
    crawler = get_crawler(settings_dict={"STATS_DUMP": False, "POLICY_DB": str(path)})
    return PolicyStore(crawler, str(path))
