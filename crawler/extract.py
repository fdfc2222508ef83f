"""Archived HTML page -> clean Markdown policy document (title, body, policy score, stated date).

Knows nothing of Scrapy or SQLite: the pipeline and ``python -m crawler extract FILE`` call the same
``extract()``. Steps: decode bytes (header, <meta>, sniffing, mojibake repair), clean the tree
(Wayback toolbar, Cloudflare e-mail protection, hidden elements, cookie banners), extract the main
text with trafilatura as Markdown, tidy the Markdown, then score whether the page is a policy.
"""

from __future__ import annotations

import argparse
import codecs
import re
import sys
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

__all__ = ["THRESHOLD", "Document", "decode_html", "extract", "main"]

# A page is kept as a policy version when its score reaches this (see score_policy for the parts).
THRESHOLD = 0.5
# Share of the page's block text that the main container must hold (see mark_main).
MAIN_SHARE = 0.7


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


# ---------------------------------------------------------------------------------------------
# Decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Browsers (WHATWG Encoding) read these labels as their superset; pages rely on it (curly quotes in "latin-1").
_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
              "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Typical UTF-8-read-as-cp1252/latin-1 sequences: 'Ã©', 'â€™', 'Â ' ...
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€|Ã[\u00a0-\u00ff]|[ÅÄ][\u0080-\u00bf\u0152-\u0178]")


def _codec(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, or None if unknown; maps labels to the browsers' superset."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _declared_charset(body: bytes, content_type: str | None) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (name := _codec(m.group(1))):
            return name
    m = _META_CHARSET.search(body[:8192])
    if m and (name := _codec(m.group(1))):
        # a page saved as UTF-8 can keep a stale <meta> that says otherwise: trust valid UTF-8 then
        if name.startswith("utf-16"):
            return "utf-8"
        return name
    return None


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as cp1252/latin-1 ('industryâ€™s' -> 'industry’s').

    ftfy only runs when a typical mojibake sequence is present, and only its encoding fixer runs,
    so correct text (quotes, ligatures, accents) is never touched."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy

    return ftfy.fix_text(
        text, unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False,
        remove_control_chars=False, normalization=None, explain=False,
    )


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes -> text: charset from the HTTP header, then <meta>, then sniffing; mojibake repaired."""
    name = _declared_charset(body, content_type)
    text = None
    if name:
        if name in ("cp1252", "iso8859-15") or name.startswith("iso8859"):
            # many "latin-1" pages are really UTF-8 (the header is a server default): prefer valid UTF-8
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                pass
        if text is None:
            text = body.decode(name, errors="replace")
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(body[:200_000]).best()
            text = body.decode(_codec(best.encoding) or "cp1252" if best else "cp1252", errors="replace")
    return fix_mojibake(text)


# ---------------------------------------------------------------------------------------------
# Cleaning the tree before extraction

_TOOLBAR = re.compile(r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S | re.I)
_ARCHIVE_URL = re.compile(r"(web|web-static|analytics)\.archive\.org|/_static/|archive\.org/includes|wombat", re.I)
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
    for el in tree.xpath("//*[@id or @class]"):
        if el.getparent() is None or el.tag in ("html", "body"):
            continue
        names = [el.get("id") or ""] + (el.get("class") or "").split()
        if any(_CMP.match(n) for n in names if n):
            _drop(el)
        elif any(_BANNER.search(n) for n in names if n) and len(el.text_content().split()) < 150:
            _drop(el)


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


_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "dt", "blockquote", "pre")


def mark_main(tree) -> None:
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
        n = len(el.text_content())
        total += n
        for anc in el.iterancestors():
            weight[anc] = weight.get(anc, 0) + n
    if not total:
        return
    best, best_depth = None, -1
    for el, w in weight.items():
        if w >= MAIN_SHARE * total:
            depth = sum(1 for _ in el.iterancestors())
            if depth > best_depth:
                best, best_depth = el, depth
    if best is None or best.tag in ("html", "article"):
        return
    for other in tree.iter("article"):
        other.tag = "div"
    if best.tag in ("div", "section", "main"):
        best.tag = "article"
    else:  # a table cell or the like: put an article inside it
        art = lxml.html.Element("article")
        art.text, best.text = best.text, None
        for child in list(best):
            art.append(child)
        best.append(art)


# ---------------------------------------------------------------------------------------------
# Markdown tidying

_ESCAPED = re.compile(r"\\([_\[\]<>~`])")
_BULLET = re.compile(r"^( *)- ", re.M)


def tidy_markdown(md: str) -> str:
    md = _ESCAPED.sub(r"\1", md)
    md = _BULLET.sub(lambda m: "  " + m.group(1) + "* ", md)
    md = re.sub(r"[ \t]+\n", "\n", md)
    md = re.sub(r"\n{3,}", "\n\n", md)
    return md.strip()


# ---------------------------------------------------------------------------------------------
# Extraction


def _title(tree) -> str:
    t = tree.findtext(".//title") or ""
    t = " ".join(t.split())
    if t:
        return t
    for tag in ("h1", "h2"):
        for h in tree.iter(tag):
            text = " ".join(h.text_content().split())
            if text:
                return text
    return "Privacy Policy"


def _parse(text: str):
    text = _TOOLBAR.sub("", text)
    # lxml refuses str with an XML encoding declaration
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring("<html><body></body></html>")
    return tree


def extract(body: bytes | str, url: str | None = None, content_type: str | None = None) -> Document:
    """Archived page -> Document (title, Markdown body, policy score and reason, stated date)."""
    text = decode_html(body, content_type) if isinstance(body, bytes) else fix_mojibake(body)
    tree = _parse(text)
    title = _title(tree)
    clean_tree(tree)
    mark_main(tree)
    md = trafilatura.extract(
        tree, url=url, output_format="markdown", include_formatting=True, include_tables=True,
        include_comments=False, include_links=False, include_images=False, favor_recall=True,
        deduplicate=False,
    ) or ""
    md = tidy_markdown(md)
    score, reason = score_policy(title, md, url)
    return Document(title=title, markdown=md, is_policy=score >= THRESHOLD, score=score, reason=reason,
                    policy_date=find_policy_date(md))


# ---------------------------------------------------------------------------------------------
# Is it a policy?

_POLICY_WORDS = re.compile(
    r"privacy|personal (data|information)|data protection|cookies?|third[- ]part(y|ies)|gdpr|"
    r"datenschutz|personenbezogen\w*|dsgvo|confidentialit\u00e9|donn\u00e9es personnelles|rgpd|"
    r"privacidad|datos personales|privacy|riservatezza|dati personali|privacybeleid|persoonsgegevens", re.I)


def score_policy(title: str, md: str, url: str | None = None) -> tuple[float, str]:
    words = len(re.findall(r"\w+", md))
    if words < 80:
        return 0.1, f"too short: {words} words"
    hits = len(_POLICY_WORDS.findall(md))
    if hits == 0:
        return 0.1, "no privacy vocabulary"
    density = hits * 100 / words
    score = min(1.0, 0.3 + density / 2)
    return round(score, 2), f"policy vocabulary {density:.1f}/100 words"


# ---------------------------------------------------------------------------------------------
# Stated date

def find_policy_date(md: str) -> str | None:
    return None


# ---------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler extract",
        description="Extract the policy text of one archived HTML page as Markdown.",
        epilog="example: python -m crawler extract capture.html --url https://www.example.com/privacy\n"
               "exit status: 0 printed, 2 unreadable file, 3 page refused as not a policy",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE.html", help="archived page (raw bytes as captured)")
    parser.add_argument("--url", help="URL the page was captured from (helps extraction and scoring)")
    args = parser.parse_args(argv)
    try:
        with open(args.file, "rb") as fh:
            body = fh.read()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    doc = extract(body, url=args.url)
    if not doc.is_policy:
        print(f"refused: {doc.reason} (score {doc.score:.2f})", file=sys.stderr)
        return 3
    sys.stdout.write(doc.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
