"""Deduplication, both kinds in one place:

- payloads: a capture whose payload digest was already read (in this run, an earlier run, or another
  archive: archives name a payload by the same SHA-1) is not fetched again (`PayloadsRead`, asked by
  crawler/decisions.py);
- texts: a capture whose extracted text is unchanged after Unicode and whitespace normalisation is the
  same version (`text_hash`, used by pipelines/deduplicate.py against the stored versions).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from crawler.wayback import EMPTY_DIGEST

_SPACE = re.compile(r"\s+")


def text_hash(markdown: str) -> str:
    """Identity of a policy text: the same words after Unicode (NFKC) and whitespace normalisation."""
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", markdown)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


class PayloadsRead:
    """The payload digests of one policy URL read before or scheduled in this run, shared by the URL's
    listings in every archive. The empty digest of bodiless redirects names no payload: never known."""

    def __init__(self, digests=()):
        self.digests = set(digests)

    def known(self, digest: str) -> bool:
        return digest != EMPTY_DIGEST and digest in self.digests

    def add(self, digest: str) -> None:
        if digest != EMPTY_DIGEST:
            self.digests.add(digest)
