"""The document's title (from <title>, else the main heading) and a body heading that repeats it."""

from __future__ import annotations

import re

def page_title(tree) -> str:
    t = tree.findtext(".//title") or ""
    t = " ".join(t.split())
    return t or main_heading(tree) or "Privacy Policy"


def main_heading(tree) -> str:
    for tag in ("h1", "h2"):
        for h in tree.iter(tag):
            text = " ".join(h.text_content().split())
            if text:
                return text
    return ""


_LEADING_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*(?:\n+|$)")


def drop_repeated_title(md: str, title: str) -> str:
    """The document starts with `# {title}`: a body whose first line is that heading, or the part of it
    before or after the site's name (`Privacy Notice` under `Privacy Notice | Kerio`), would say it twice."""
    match = _LEADING_HEADING.match(md)
    if not match:
        return md
    heading = " ".join(match.group(1).split()).casefold()
    whole = " ".join(title.split()).casefold()
    parts = {p.strip() for p in _TITLE_SEPARATORS.split(whole)}
    if heading == whole or heading in parts:
        return md[match.end():]
    return md


# What separates a page's own title from the site's name in a <title>: "Privacy | Kerio", "Kerio - Privacy".
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014:\u00b7-]\s+")
