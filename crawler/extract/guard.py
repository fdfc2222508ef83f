"""Never below plain trafilatura: the container-based result is checked against trafilatura's
extraction of the whole cleaned page, which knows nothing of the container choice.

* A container that starts or ends mid-policy, or a cleaning step that took too much, shows as text
  the whole-page extraction has and the result lacks: below KEEP_SHARE of it, the whole page wins.
* Blocks at either end of the result that the whole-page extraction left out as boilerplate, and that
  use no policy vocabulary (a sidebar of reviews, a site blurb), are trimmed.
"""

from __future__ import annotations

import re
from collections import Counter

from crawler.extract.score import has_policy_vocabulary

KEEP_SHARE = 0.9  # of the whole page's words the result must keep
BLOCK_FOREIGN = 0.5  # a block is the result's own when fewer than this of its words are in the whole page's
_WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    return Counter(w.lower() for w in _WORD.findall(text))


def kept_share(md: str, yardstick: str) -> float:
    """Share of the yardstick's words (as a multiset) that md holds too; 1.0 for an empty yardstick."""
    want = words(yardstick)
    total = sum(want.values())
    return sum((words(md) & want).values()) / total if total else 1.0


def trim_edges(md: str, whole: str) -> str:
    """Drop leading and trailing blocks absent from the whole page's extraction and free of policy words."""
    have = words(whole)
    if sum(have.values()) < 0.5 * len(_WORD.findall(md)):
        return md  # the whole-page extraction failed: it is no yardstick
    blocks = re.split(r"\n\s*\n", md)

    def foreign(block: str) -> bool:
        own = words(block)
        n = sum(own.values())
        return n > 0 and sum((own & have).values()) < BLOCK_FOREIGN * n and not has_policy_vocabulary(block)

    start, end = 0, len(blocks)
    while end > start and foreign(blocks[end - 1]):
        end -= 1
    # at the start only runs of prose go: a lone heading (the policy's title) is left alone
    while start < end and foreign(blocks[start]) and not blocks[start].lstrip().startswith("#"):
        start += 1
    return "\n\n".join(blocks[start:end]) if (start, end) != (0, len(blocks)) else md
