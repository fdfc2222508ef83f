"""The Document and extract(): decode, clean, choose the main container, extract with trafilatura, tidy, score."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from crawler.extract.clean import clean_tree, parse
from crawler.extract.container import mark_main
from crawler.extract.dates import find_policy_date
from crawler.extract.decode import decode_html, fix_mojibake
from crawler.extract.markdown import FALLBACK_COVERAGE, tidy_markdown, walk_markdown
from crawler.extract.score import MIN_WORDS, THRESHOLD, score_policy
from crawler.extract.title import drop_repeated_title, main_heading, page_title


@dataclass
class Document:
    title: str
    markdown: str
    is_policy: bool
    score: float
    reason: str
    policy_date: str | None = None

    def text(self) -> str:
        """The document as stored and printed."""
        return f"# {self.title}\n\n{self.markdown}\n"


def extract(body: bytes | str, url: str | None = None, content_type: str | None = None) -> Document:
    """Archived page -> Document (title, Markdown body, policy score and reason, stated date)."""
    text = decode_html(body, content_type) if isinstance(body, bytes) else fix_mojibake(body)
    tree = parse(text)
    title = page_title(tree)
    # what a JavaScript shell says to browsers without JavaScript; cleaning drops <noscript>
    noscript = " ".join(" ".join(n.text_content().split()) for n in tree.iter("noscript"))
    clean_tree(tree)
    heading = main_heading(tree)
    main_el = mark_main(tree)
    md = trafilatura.extract(
        tree, url=url, output_format="markdown", include_formatting=True, include_tables=True,
        include_comments=False, include_links=False, include_images=False, favor_recall=True,
        deduplicate=False,
    ) or ""
    md = tidy_markdown(md)
    if main_el is not None:
        container_words = len(main_el.text_content().split())
        if container_words >= MIN_WORDS and len(md.split()) < FALLBACK_COVERAGE * container_words:
            md = tidy_markdown(walk_markdown(main_el))
    score, reason = score_policy(title, heading, md, url, noscript)
    md = drop_repeated_title(md, title)
    return Document(title=title, markdown=md, is_policy=score >= THRESHOLD, score=score, reason=reason,
                    policy_date=find_policy_date(md))
