import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def text_hash(markdown: str) -> str:
    """Identity of a policy text: the same words after Unicode (NFKC) and whitespace normalisation."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", markdown)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


class Deduplicate:
    """Gives a policy text its identity (the hash of its normalised text). The store then extends the
    version with that hash, or makes a new one: either way the capture's outcome is "version"."""

    def process_item(self, item):
        if item.outcome != "fetched":
            return item
        item.text_hash = text_hash(item.markdown or "")
        item.outcome = "version"
        return item
