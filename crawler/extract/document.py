"""The Document and extract(): decode, clean, choose the main container, extract with trafilatura, tidy, score."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import lxml.html
import trafilatura

from crawler.extract.clean import clean_tree, parse
from crawler.extract.container import mark_main
from crawler.extract.dates import find_policy_date
from crawler.extract.decode import decode_html, fix_mojibake
from crawler.extract.guard import KEEP_SHARE, kept_share, trim_edges
from crawler.extract.markdown import tidy_markdown, walk_markdown
from crawler.extract.pdf import is_pdf, read_pdf
from crawler.extract.score import STUB_WORDS, THRESHOLD, score_policy
from crawler.extract.title import drop_repeated_title, main_heading, page_title


# Below this share of the container's words (or of the walk's) trafilatura's result is taken to have
# lost part of the container; the walk is tried then.
WALK_COVERAGE = 0.85
# The whole page's run stands for the container's own when it already kept headings (trafilatura found a
# container of its own) and this share of the container's words: one trafilatura run instead of two.
WHOLE_COVERAGE = 0.9


def _trafilatura(tree, url: str | None) -> str:
    return tidy_markdown(trafilatura.extract(
        tree, url=url, output_format="markdown", include_formatting=True, include_tables=True,
        include_comments=False, include_links=False, include_images=False, favor_recall=True,
        deduplicate=False,
    ) or "")


def _alone(container):
    """A document of the container (as <article>) alone, the tree left as it is."""
    doc = lxml.html.Element("html")
    article = copy.deepcopy(container)
    article.tag, article.tail = "article", None
    lxml.html.etree.SubElement(doc, "body").append(article)
    return doc


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
    """Archived page (HTML, or a PDF) -> Document (title, Markdown body, policy score and reason, stated date)."""
    if isinstance(body, bytes) and is_pdf(body, content_type):
        return extract_pdf(body, url)
    text = decode_html(body, content_type) if isinstance(body, bytes) else fix_mojibake(body)
    tree = parse(text)
    title = page_title(tree)
    # what a JavaScript shell says to browsers without JavaScript; cleaning drops <noscript>
    noscript = " ".join(" ".join(n.text_content().split()) for n in tree.iter("noscript"))
    clean_tree(tree)
    heading = main_heading(tree)
    # the whole page's extraction, before a container is chosen: what the result must not fall below
    whole = _trafilatura(tree, url)  # (trafilatura works on a copy of the tree it is given)
    articles = list(tree.iter("article"))
    main_el = mark_main(tree)
    # mark_main changes the tree only by (re)naming <article>s: unchanged, the first run is the result
    if list(tree.iter("article")) == articles or (
            main_el is not None and re.search(r"^#{1,6} ", whole, re.M)
            and len(whole.split()) >= WHOLE_COVERAGE * len(main_el.text_content().split())):
        md = whole  # nothing changed, or the whole page's run already kept headings and the container's text
    elif main_el is not None:
        md = _trafilatura(_alone(main_el), url)  # the container alone: half the work of the whole tree
    else:
        md = _trafilatura(tree, url)
    if main_el is not None and len(md.split()) < WALK_COVERAGE * len(main_el.text_content().split()):
        # trafilatura left part of the container out: the plain walk, if it holds much that md lacks
        walked = tidy_markdown(walk_markdown(main_el))
        if len(walked.split()) >= STUB_WORDS and kept_share(md, walked) < WALK_COVERAGE:
            md = walked
    if len(whole.split()) > len(md.split()) and kept_share(md, whole) < KEEP_SHARE:
        md = whole  # the container (or the walk) lost text the whole page has
    else:
        md = trim_edges(md, whole)
    score, reason = score_policy(title, heading, md, url, noscript)
    md = drop_repeated_title(md, title)
    return Document(title=title, markdown=md, is_policy=score >= THRESHOLD, score=score, reason=reason,
                    policy_date=find_policy_date(md))


def extract_pdf(body: bytes, url: str | None = None) -> Document:
    """A PDF capture, refused or accepted like a page; its first paragraph stands for the main heading."""
    try:
        title, md = read_pdf(body)
    except ValueError as error:
        return Document(title="Privacy Policy", markdown="", is_policy=False, score=0.0, reason=str(error)[:300])
    heading = md.split("\n\n", 1)[0][:200]
    title = title or heading or "Privacy Policy"
    score, reason = score_policy(title, heading, md, url)
    if heading == title:  # the first paragraph is the title itself, said once already
        md = md[len(heading):].lstrip()
    return Document(title=title, markdown=md, is_policy=score >= THRESHOLD, score=score, reason=reason,
                    policy_date=find_policy_date(md))
