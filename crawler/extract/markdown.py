"""Markdown output: the fallback walk of a container (for when trafilatura keeps too little) and tidying."""

from __future__ import annotations

import re

# Fallback extractor: a plain walk of the main container, for when trafilatura keeps too little of it
# (see guard.py for when). Old table layouts, text loose between <br>s and pages whose paragraphs
# trafilatura takes for boilerplate are what it saves. Navigation inside the container is skipped:
# elements named like it, and blocks that are mostly link text.

_SKIP = {"nav", "header", "footer", "aside", "form", "button", "select", "script", "style", "noscript",
         "template", "svg", "iframe", "object", "input", "textarea", "label"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "td", "th", "thead",
               "tbody", "blockquote", "pre", "dl", "dt", "dd", "br", "hr", "center", "address", "figure",
               "figcaption", "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6"}
_NAV_NAME = re.compile(r"nav|menu|sidebar|breadcrumb|footer|header|comment|share|social|related|widget|banner", re.I)
NAV_MAX_WORDS = 200  # a block this long is content whatever its name or links


def _navigation(node) -> bool:
    """A menu, link list or sidebar inside the container (not the policy text)."""
    if node.tag == "a":
        return False
    words = len(node.text_content().split())
    if not words or words >= NAV_MAX_WORDS:
        return False
    if _NAV_NAME.search(f"{node.get('id') or ''} {node.get('class') or ''}"):
        return True
    links = sum(len(a.text_content().split()) for a in node.iter("a"))
    return links > 0.5 * words


def walk_markdown(container) -> str:
    """Headings, paragraphs and list items of a container as Markdown, in document order."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush(prefix: str = "") -> None:
        text = " ".join("".join(buf).split())
        buf.clear()
        if text:
            blocks.append(prefix + text)

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP or not tag or (tag in _BLOCK_TAGS and tag not in ("br", "hr") and _navigation(node)):
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        if node.text:
            buf.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                flush("#" * int(tag[1]) + " ")
            else:
                flush("  * " if tag == "li" else "")

    walk(container)
    flush()
    return "\n\n".join(blocks)


_ESCAPED = re.compile(r"\\([_\[\]<>~`])")
_BULLET = re.compile(r"^( *)- ", re.M)


def tidy_markdown(md: str) -> str:
    md = _ESCAPED.sub(r"\1", md)
    # a heading inside <summary> comes out as "## ### Title": keep the inner level
    md = re.sub(r"^#{1,6} +(#{1,6} )", r"\1", md, flags=re.M)
    md = _BULLET.sub(lambda m: "  " + m.group(1) + "* ", md)
    md = re.sub(r"[ \t]+\n", "\n", md)
    md = re.sub(r"\n{3,}", "\n\n", md)
    return md.strip()
