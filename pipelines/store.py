from crawler.store import Store


class StoreCapture:
    """Writes each capture, and its version if it has one, in one transaction."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store = Store.for_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        try:
            _, created = self.store.record_capture(item, getattr(self.crawler, "policy_run_id", None))
        except Exception:
            # Not recorded: the listing mark must not move past this capture (see the spider's closed()).
            self.crawler.stats.inc_value("store/errors")
            raise
        self.crawler.stats.inc_value(f"items/{item.outcome}")
        if created:
            self.crawler.stats.inc_value("versions/new")
        return item
