"""Parsing and cleaning the tree before extraction: what must never reach the text (Wayback toolbar,
scripts, hidden elements, consent banners, responsive copies), and Cloudflare-protected e-mail put back."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_TOOLBAR = re.compile(r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S | re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Generic banner names: dropped only when small (a policy can sit in e.g. <div class="cookie-notice">).
_BANNER = re.compile(
    r"cookie[-_]?(banner|consent|notice|bar|law|popup|message|warning|wall|alert)|consent[-_]?(banner|bar|popup|modal)|"
    r"gdpr[-_]?(banner|consent|popup)|privacy[-_]?banner", re.I)
# Known consent-manager widgets (OneTrust, Cookiebot, CookieYes, Didomi, Usercentrics, Quantcast,
# TrustArc, Osano, Complianz, cookieconsent) and the Wayback toolbar: dropped whatever their size.
_CMP = re.compile(
    r"^(onetrust|ot-sdk|optanon|CybotCookiebot|cky-(consent|modal|preference|overlay)|didomi|usercentrics|qc-cmp|"
    r"truste|osano|cmplz|cc-(window|banner|revoke)|wm-ipp|cookie-law-info|moove_gdpr|cookie-notice-container)", re.I)


def _cf_decode(hexstr: str) -> str | None:
    """Cloudflare e-mail protection: first byte is the XOR key of the rest."""
    try:
        data = bytes.fromhex(hexstr)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    return bytes(b ^ data[0] for b in data[1:]).decode("utf-8", "replace")


def _drop(el) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def clean_tree(tree) -> None:
    """Take out what must never reach the text: archive remnants, hidden elements, cookie banners;
    put Cloudflare-protected e-mail addresses back."""
    for el in tree.xpath("//*[@data-cfemail]"):
        addr = _cf_decode(el.get("data-cfemail"))
        if addr:
            for child in list(el):
                el.remove(child)
            el.text = addr
            el.attrib.pop("data-cfemail")
    for el in tree.xpath("//a[contains(@href, '/cdn-cgi/l/email-protection#')]"):
        addr = _cf_decode(el.get("href").rsplit("#", 1)[1])
        if addr:
            el.set("href", "mailto:" + addr)
            if not (el.text_content() or "").strip() or "protected" in el.text_content():
                for child in list(el):
                    el.remove(child)
                el.text = addr
    # every script, stylesheet and <link> goes, so archive.org includes (athena.js, wombat, banner css) too
    for el in tree.xpath("//script | //style | //noscript | //link | //template"):
        _drop(el)
    for el in tree.xpath("//*[@hidden] | //*[@style]"):
        if el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
            _drop(el)
    for el in tree.xpath("//*[@aria-hidden='true']"):
        # icons and tooltips; a large aria-hidden block is more likely a mis-marked content wrapper
        if len((el.text_content() or "").split()) < 30:
            _drop(el)
    _drop_repeated_siblings(tree)
    _bold_lines_as_paragraphs(tree)
    for el in tree.xpath("//*[@id or @class]"):
        # a heading is never a banner: its id is often its own slug ("why-no-cookie-consent-banner")
        if el.getparent() is None or el.tag in ("html", "body", "h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        names = [el.get("id") or ""] + (el.get("class") or "").split()
        if any(_CMP.match(n) for n in names if n):
            _drop(el)
        elif any(_BANNER.search(n) for n in names if n) and len(el.text_content().split()) < 150:
            _drop(el)


def _bold_lines_as_paragraphs(tree) -> None:
    """Old layouts head their sections with a bold line between <br>s, loose in a <div> or <td>;
    trafilatura drops such a line (inline, in no paragraph): give it a <p> of its own."""
    for el in list(tree.iter("b", "strong")):
        parent = el.getparent()
        if parent is None or parent.tag not in ("div", "td", "article", "section", "main", "body", "font", "center"):
            continue
        prev = el.getprevious()
        before = (prev.tail if prev is not None else parent.text) or ""
        nxt = el.getnext()
        if before.strip() or (el.tail or "").strip() or (prev is not None and prev.tag != "br") or (nxt is not None and nxt.tag != "br"):
            continue
        if not (el.text_content() or "").strip():
            continue
        p = lxml.html.Element("p")
        el.addprevious(p)
        p.append(el)  # moves el (and its tail, which is blank) into the new paragraph
        p.tail, el.tail = el.tail, None


def _drop_repeated_siblings(tree) -> None:
    """Responsive pages render the same text once per screen size, the extra copies hidden by CSS
    we don't read: keep the first of sibling blocks whose whole text is identical, and the first
    (desktop) of Framer's `ssr-variant` siblings, whose `hidden-*` classes would make trafilatura
    drop them all."""
    variants = tree.xpath("//*[contains(@class, 'ssr-variant')]")
    repeats = [el for el in variants if "ssr-variant" in (el.getprevious() is not None and el.getprevious().get("class") or "")]
    for el in variants:
        el.set("class", "ssr-variant")
    for el in repeats:
        _drop(el)
    for parent in tree.iter("div", "section", "main", "body"):
        if len(parent) < 2:
            continue
        seen = set()
        for child in list(parent):
            if not isinstance(child.tag, str) or child.tag in ("p", "li", "tr", "td"):
                continue
            text = " ".join(child.text_content().split())
            if len(text) < 500:
                continue
            if text in seen:
                _drop(child)
            else:
                seen.add(text)


def parse(text: str):
    text = _TOOLBAR.sub("", text)
    # lxml refuses str with an XML encoding declaration
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring("<html><body></body></html>")
    return tree
