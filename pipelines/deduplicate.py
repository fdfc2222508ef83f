import hashlib
import re
import unicodedata

from crawler.store import Store

_SPACE = re.compile(r"\s+")


def text_hash(markdown: str) -> str:
    """Identity of a policy text: the same words after Unicode (NFKC) and whitespace normalisation."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", markdown)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


class Deduplicate:
    """A capture whose text is already a version of this policy URL extends that version
    (outcome "same_text"); any other text is a new version."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def from_crawler(cls, crawler):
        return cls(Store.for_crawler(crawler))

    def process_item(self, item):
        if item.outcome != "fetched":
            return item
        item.text_hash = text_hash(item.markdown or "")
        known = self.store.version_for_text(item.domain, item.policy_url_id, item.text_hash)
        item.outcome = "same_text" if known is not None else "new_version"
        return item
