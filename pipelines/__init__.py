"""Item pipelines, in the order they run: KeepCapturePayload -> ExtractPolicyText -> RefuseNonPolicies ->
DeduplicateTexts -> StoreItems."""

from crawler.extensions.store import PolicyStore


class StorePipeline:
    """A pipeline that reads or writes through the crawl's one store extension."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.store: PolicyStore | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.store = self.crawler.get_extension(PolicyStore)
