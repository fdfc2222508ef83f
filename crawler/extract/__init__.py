"""Archived page -> clean Markdown policy document (title, body, policy score, stated date).

Knows nothing of Scrapy or SQLite: the pipeline and ``python -m crawler extract FILE`` call the same
``extract()``. Steps, one module each: decode bytes (decode), clean the tree (clean), choose the main
container (container), extract the main text with trafilatura as Markdown and tidy it (markdown,
title), then decide whether the page is a policy (score) and find its stated date (dates).
"""

from crawler.extract.cli import main
from crawler.extract.clean import clean_tree
from crawler.extract.container import MAIN_SHARE, mark_main
from crawler.extract.dates import find_policy_date
from crawler.extract.decode import decode_html, fix_mojibake
from crawler.extract.document import Document, extract
from crawler.extract.markdown import tidy_markdown, walk_markdown
from crawler.extract.score import MIN_WORDS, THRESHOLD, score_policy

__all__ = ["MAIN_SHARE", "MIN_WORDS", "THRESHOLD", "Document", "clean_tree", "decode_html", "extract",
           "find_policy_date", "fix_mojibake", "main", "mark_main", "score_policy", "tidy_markdown",
           "walk_markdown"]
