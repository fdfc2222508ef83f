from crawler.dedup import text_hash
from crawler.items import CaptureItem
from pipelines import StorePipeline


class DeduplicateTexts(StorePipeline):
    """Gives a policy text its identity (the hash of its normalised text) and says whether the store
    already holds it for that policy URL: "same_text" extends the stored version, "new_version" makes one."""

    def process_item(self, item):
        if not isinstance(item, CaptureItem) or item.outcome != "fetched":
            return item
        item.text_hash = text_hash(item.markdown or "")
        known = self.store.version_for_text(item.domain, item.policy_url, item.text_hash)
        item.outcome = "same_text" if known is not None else "new_version"
        return item
