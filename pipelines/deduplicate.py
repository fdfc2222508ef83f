from crawler.dedup import text_hash
from crawler.extensions.store import PolicyStore
from crawler.items import CaptureItem


class DeduplicateTexts:
    """Gives a policy text its identity (the hash of its normalised text) and says whether the store
    already holds it: a known text extends its version, a new one makes a new version."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        if not isinstance(item, CaptureItem) or item.outcome != "fetched":
            return item
        item.text_hash = text_hash(item.markdown or "")
        item.outcome = "version"
        return item
