"""Choosing the main container: the block that holds most of the page's text, marked as <article>."""

from __future__ import annotations

import lxml.html

# Share of the page's block text that the main container must hold (see mark_main).
MAIN_SHARE = 0.7

_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "dt", "blockquote", "pre")


def mark_main(tree):
    """Mark the block holding most of the page's text as the <article> trafilatura looks for.

    Without an article/main container trafilatura falls back to collecting loose paragraphs and
    drops every heading; the deepest element that still holds MAIN_SHARE of the text of all
    paragraphs, list items and headings is that container (a chain from <body> down, so unique)."""
    blocks = set(_BLOCKS)
    weight = {}
    total = 0
    for el in tree.iter(*_BLOCKS):
        if any(anc.tag in blocks for anc in el.iterancestors()):
            continue  # nested block (<p> in <li>): its text is counted once, with the outer block
        # link text does not count: menus and footers of site links are not content
        n = len(el.text_content()) - sum(len(a.text_content()) for a in el.iter("a"))
        if n <= 0:
            continue
        total += n
        for anc in el.iterancestors():
            weight[anc] = weight.get(anc, 0) + n
    if not total:
        return None
    best, best_depth = None, -1
    for el, w in weight.items():
        if w >= MAIN_SHARE * total:
            depth = sum(1 for _ in el.iterancestors())
            if depth > best_depth:
                best, best_depth = el, depth
    # climb while the parent adds little text: the policy's own title and date often sit just outside
    while best is not None and best.getparent() is not None and best.getparent().tag not in ("html", "body"):
        if weight[best.getparent()] > 1.1 * weight[best]:
            break
        best = best.getparent()
    if best is None or best.tag == "html":
        return None
    if best.tag == "article":
        return best
    for other in tree.iter("article"):
        other.tag = "div"
    if best.tag in ("div", "section", "main"):
        best.tag = "article"
        return best
    # a table cell, <body> or the like: put an article inside it
    art = lxml.html.Element("article")
    art.text, best.text = best.text, None
    for child in list(best):
        art.append(child)
    best.append(art)
    return None if best.tag == "body" else art
