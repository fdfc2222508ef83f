"""Archived HTML page -> clean Markdown policy document (title, body, policy score, stated date).

Knows nothing of Scrapy or SQLite: the pipeline and ``python -m crawler extract FILE`` call the same
``extract()``. Steps: decode bytes (header, <meta>, sniffing, mojibake repair), clean the tree
(Wayback toolbar, Cloudflare e-mail protection, hidden elements, cookie banners), extract the main
text with trafilatura as Markdown, tidy the Markdown, then score whether the page is a policy.
"""

from __future__ import annotations

import argparse
import codecs
import datetime
import re
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

__all__ = ["THRESHOLD", "Document", "decode_html", "extract", "main"]

# A page is kept as a policy version when its score reaches this (see score_policy for the parts).
THRESHOLD = 0.4
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


def _declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Every charset the page declares, in order of authority: BOM, HTTP header, <meta>."""
    names = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            names.append(name)
    if content_type and (m := _HEADER_CHARSET.search(content_type)) and (name := _codec(m.group(1))):
        names.append(name)
    if (m := _META_CHARSET.search(body[:8192])) and (name := _codec(m.group(1))):
        # a <meta> that says UTF-16 in a page readable as bytes is stale: the page is UTF-8
        names.append("utf-8" if name.startswith("utf-16") else name)
    return list(dict.fromkeys(names))


def _decodes_sensibly(body: bytes, name: str) -> str | None:
    """The text if `body` decodes as `name` without an error and reads like a page (a UTF-8 page read
    as UTF-16 decodes to CJK soup with no '<'); else None."""
    try:
        text = body.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None
    if body.lstrip()[:1] == b"<" and "<" not in text[:2000]:
        return None
    return text


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes -> text: the first declared charset (header, then <meta>) that decodes the bytes cleanly and
    sensibly, else valid UTF-8, else sniffing; mojibake repaired. A header that lies (`utf-16` on a
    UTF-8 body, `utf-8` on a windows-1252 one) therefore gives way to the <meta> or to the bytes."""
    declared = _declared_charsets(body, content_type)
    text = None
    for name in declared:
        if name in ("cp1252", "iso8859-15") or name.startswith("iso8859"):
            # many "latin-1" pages are really UTF-8 (the header is a server default): prefer valid UTF-8
            text = _decodes_sensibly(body, "utf-8")
        text = text or _decodes_sensibly(body, name)
        if text is not None:
            break
    if text is None:
        text = _decodes_sensibly(body, "utf-8")
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        sniffed = _codec(best.encoding) if best else None
        fallback = sniffed or next((n for n in declared if not n.startswith("utf")), None) or "cp1252"
        text = body.decode(fallback, errors="replace")
    return fix_mojibake(text)


# ---------------------------------------------------------------------------------------------
# Cleaning the tree before extraction

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


# ---------------------------------------------------------------------------------------------
# Fallback extractor: a plain walk of the main container, for when trafilatura keeps too little.
#
# Rule: when mark_main found a container narrower than <body> (so the walk cannot pick up the
# site's navigation) and trafilatura's Markdown has fewer than FALLBACK_COVERAGE of that
# container's words, the walk's Markdown is used instead. Old table layouts and pages whose
# paragraphs trafilatura takes for boilerplate are what it saves; on the dev corpus trafilatura
# always keeps >= 0.9 of the container, so the rule never fires there.

FALLBACK_COVERAGE = 0.6
_SKIP = {"nav", "header", "footer", "aside", "form", "button", "select", "script", "style", "noscript",
         "template", "svg", "iframe", "object", "input", "textarea", "label"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "table", "tr", "td", "th", "thead",
               "tbody", "blockquote", "pre", "dl", "dt", "dd", "br", "hr", "center", "address", "figure",
               "figcaption", "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6"}


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
        if tag in _SKIP or not tag:
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


# ---------------------------------------------------------------------------------------------
# Markdown tidying

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


# ---------------------------------------------------------------------------------------------
# Extraction


def _title(tree) -> str:
    t = tree.findtext(".//title") or ""
    t = " ".join(t.split())
    return t or _main_heading(tree) or "Privacy Policy"


def _main_heading(tree) -> str:
    for tag in ("h1", "h2"):
        for h in tree.iter(tag):
            text = " ".join(h.text_content().split())
            if text:
                return text
    return ""


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
    # what a JavaScript shell says to browsers without JavaScript; cleaning drops <noscript>
    noscript = " ".join(" ".join(n.text_content().split()) for n in tree.iter("noscript"))
    clean_tree(tree)
    heading = _main_heading(tree)
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


# ---------------------------------------------------------------------------------------------
# Is it a policy?
#
# score = vocabulary density (up to 0.6, scaled down below 4 topics) + breadth of policy topics (up to 0.3) + a title or main
# heading that names a policy (0.2), capped at 1; then refusals that no vocabulary can outweigh:
# too few words, an error / moved / parked / login / cookie-wall / JavaScript-shell page.
# Calibrated on bench/extraction.py: policies there score >= 0.53, other pages <= 0.20.

MIN_WORDS = 120  # below this a capture is a stub, whatever it says

# Words of policy texts, in the languages the crawl meets; each alternation group is one topic.
_TOPICS = [
    r"privacy|datenschutz\w*|confidentialit\w+|privacidad|privacit\w+|riservatezza|privacybeleid|integritet\w*",
    r"personal (?:data|information)|personally identifiable|personenbezogene\w*|donn\u00e9es (?:\u00e0 caract\u00e8re )?personnelles|"
    r"datos (?:de car\u00e1cter )?personales|dati personali|persoonsgegevens",
    r"cookies?|web beacons?|pixel tags?|tracking technolog\w+|traceurs",
    r"third[- ]part(?:y|ies)|dritte\w*|tiers|terceros|terzi",
    r"(?:we|us|which|that) (?:may )?(?:collect|process|use|share|disclose|retain|store)|erheben|verarbeiten|collectons|traitons|recopilamos",
    r"gdpr|dsgvo|rgpd|ccpa|coppa|data protection|data controller|verantwortliche\w*|responsable du traitement",
    r"opt[- ]out|unsubscribe|withdraw (?:your )?consent|right to (?:access|erasure|object)|auskunft|widerruf\w*|droit d.acc\u00e8s|droit d.opposition",
    r"retention|retain|aufbewahr\w*|speicherdauer|conservation|conserv\w+ (?:vos|les) donn\u00e9es",
    r"children|minors|kinder|mineurs|menores",
    r"ip address\w*|ip-adresse\w*|adresse ip|log files?|server logs?|logfiles?",
]
# one pass over the text: a named group per topic, anchored at a word start (much faster than 10 scans)
_TOPIC_RE = re.compile(r"\b(?:" + "|".join(f"(?P<t{i}>{t})" for i, t in enumerate(_TOPICS)) + ")", re.I)
SAMPLE_CHARS = 40_000  # vocabulary is measured on the first 40k characters: a ratio, so a sample does
_POLICY_TITLE = re.compile(
    r"privacy|datenschutz|data protection|confidentialit|donn\u00e9es personnelles|privacidad|privacit|"
    r"privacybeleid|cookie (?:policy|notice)|personal (?:data|information)", re.I)

# Pages that are something else, told by their title or main heading (or, on a short page, the text).
_NOT_POLICY = [
    ("soft 404", re.compile(
        r"\b404\b|not found|can.t find|cannot be found|could not be found|does(?: not|n.t) exist|no longer (?:exists|available)|"
        r"nicht gefunden|existiert nicht|introuvable|n.existe pas|no encontrada|no existe|non trovata|niet gevonden", re.I)),
    ("page has moved", re.compile(
        r"has (?:been )?moved|moved (?:permanently|to)|page moved|we.ve moved|redirecting|you will be redirected|"
        r"umgezogen|weitergeleitet|verschoben|a \u00e9t\u00e9 d\u00e9plac\u00e9e|d\u00e9plac\u00e9|redirig\u00e9|http \d{3} response at crawl time", re.I)),
    ("parked domain", re.compile(
        r"domain (?:is|may be) for sale|buy this domain|domain kaufen|zum verkauf|domaine est \u00e0 vendre|"
        r"related searches|sponsored listings|this domain is parked|parked (?:free|domain)", re.I)),
    ("login page", re.compile(
        r"^(?:sign in|log ?in|anmeld\w*|connexion|iniciar sesi\u00f3n)\b|sign in to|log in to your|anmeldung zum|"
        r"forgot (?:your )?password|passwort vergessen|mot de passe oubli\u00e9", re.I)),
    ("cookie wall", re.compile(
        r"accept all|reject all|alle akzeptieren|alle ablehnen|tout accepter|tout refuser|aceptar todo|"
        r"before you continue|zustimmung erforderlich", re.I)),
    ("JavaScript shell", re.compile(
        r"enable javascript|javascript (?:is )?(?:required|disabled)|javascript aktivieren|aktivieren sie javascript|"
        r"activer javascript|wird geladen|^loading", re.I)),
    ("error page", re.compile(
        r"\b(?:403|500|502|503|522)\b|forbidden|access denied|internal server error|service unavailable|"
        r"connection timed out|maintenance|wartungsarbeiten|under construction|index of /|zugriff verweigert", re.I)),
]
_HOME_PATH = re.compile(r"^/?(?:index\.\w+|default\.\w+|home(?:page)?(?:\.\w+)?|[a-z]{2}(?:-[a-z]{2})?/?)?$", re.I)


def score_policy(title: str, heading: str, md: str, url: str | None = None, noscript: str = "") -> tuple[float, str]:
    """Score 0..1 that the extracted text is a privacy policy, and a short human reason."""
    words = len(re.findall(r"\w+", md))
    head = f"{title} | {heading}"
    named = bool(_POLICY_TITLE.search(head))
    sample = md[:SAMPLE_CHARS]
    hits = [0] * len(_TOPICS)
    for m in _TOPIC_RE.finditer(sample):
        hits[int(m.lastgroup[1:])] += 1
    density = sum(hits) * 100 / max(len(re.findall(r"\w+", sample)), 1)
    breadth = sum(1 for h in hits if h)
    # density counts only when several topics carry it: a recipe with a cookie banner is dense in "cookie"
    score = min(0.6, density * 0.15) * min(1.0, breadth / 4) + min(0.3, breadth * 0.05) + (0.2 if named else 0.0)
    score = round(min(1.0, score), 2)

    # a long page whose title names a policy is trusted over its title's other words ("... Maintenance Software")
    if not (named and words >= 300):
        # the text only speaks for short pages; <noscript> only for near-empty ones (a JavaScript shell)
        body = (md + ("\n" + noscript if words < MIN_WORDS else "")) if words < 300 else ""
        for where in (head, body):
            for kind, rx in _NOT_POLICY:
                if m := rx.search(where):
                    return min(score, 0.1), f"{kind}: {m.group(0).strip().lower()!r}"
    if words < MIN_WORDS:
        return min(score, 0.2), f"too short: {words} words"
    if sum(hits) == 0:
        return 0.0, "no privacy vocabulary"
    path = urlsplit(url).path if url else None
    if path is not None and _HOME_PATH.match(path) and score < THRESHOLD:
        return score, "home page, not a policy"
    if score < THRESHOLD:
        return score, f"little privacy vocabulary: {density:.1f} terms per 100 words, {breadth} topics"
    return score, f"policy: {density:.1f} terms per 100 words, {breadth} topics" + (", named in title" if named else "")


# ---------------------------------------------------------------------------------------------
# Stated date: "Last updated: March 3, 2021", "Stand: 01.02.2020", "Dernière mise à jour : 12 mars 2020"

_MONTHS = {}
for _number, _names in enumerate([
    "january jan januar jänner janvier janv enero gennaio januari",
    "february feb februar février févr fevrier febrero febbraio februari",
    "march mar märz mär maerz mars marzo maart",
    "april apr avril avr abril aprile",
    "may mai mayo maggio mei",
    "june jun juni juin junio giugno",
    "july jul juli juillet juil julio luglio",
    "august aug août aout agosto augustus",
    "september sep sept septembre septiembre setiembre settembre",
    "october oct oktober okt octobre octubre ottobre",
    "november nov novembre noviembre",
    "december dec dezember dez décembre déc decembre diciembre dicembre",
], start=1):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "(?:" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"(?P<md>(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}}))"  # March 3, 2021
    rf"|(?P<dm>(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(?P<m2>{_MONTH}),?\s+(?:de\s+)?(?P<y2>\d{{4}}))"  # 1st July 2012
    r"|(?P<iso>(?P<y3>\d{4})[-/.](?P<m3>\d{1,2})[-/.](?P<d3>\d{1,2}))\b"  # 2019-05-25
    r"|(?P<num>(?P<a4>\d{1,2})(?P<sep>[./-])(?P<b4>\d{1,2})(?P=sep)(?P<y4>\d{4}|\d{2}))\b"  # 01.02.2020, 3/11/2025
    rf"|(?P<my>(?P<m5>{_MONTH}),?\s+(?P<y5>\d{{4}}))",  # March 2021 (day 01)
    re.I)
# Words that announce the policy's own date; the date must follow within a few words.
_DATE_CUE = re.compile(
    r"\b(?:last (?:updated|modified|revised|changed|update|revision)|updated|revised|effective|date of (?:last )?revision|"
    r"version (?:date|dated|of)|\bdated|"
    r"\bstand\b\s*(?::|vom|\b(?=\s*\d))|zuletzt (?:aktualisiert|geändert|überarbeitet)|letzte (?:aktualisierung|änderung)|"
    r"gültig (?:ab|seit)|in kraft (?:seit|ab)|"
    r"dernière (?:mise à jour|modification|révision)|mis[e]? à jour|en vigueur|date d.effet|applicable (?:à compter du|au)|"
    r"última (?:actualización|modificación)|actualizad[ao]|vigente desde|entrada en vigor|"
    r"ultimo aggiornamento|aggiornat[ao]|laatst (?:bijgewerkt|gewijzigd))", re.I)
_FILLER = re.compile(r"[^\d\n.]{0,40}")


def _to_iso(m: re.Match, day_first: bool) -> str | None:
    g = m.groupdict()
    if g["md"]:
        y, mo, d = g["y1"], _MONTHS[g["m1"].lower().rstrip(".")], g["d1"]
    elif g["dm"]:
        y, mo, d = g["y2"], _MONTHS[g["m2"].lower().rstrip(".")], g["d2"]
    elif g["iso"]:
        y, mo, d = g["y3"], g["m3"], g["d3"]
    elif g["num"]:
        a, b, y = int(g["a4"]), int(g["b4"]), g["y4"]
        y = y if len(y) == 4 else ("20" + y if int(y) < 70 else "19" + y)
        if g["sep"] == "." or a > 12 or (day_first and b <= 12):
            d, mo = a, b  # 01.02.2020 is always day first; 25/05/2018 too
        else:
            mo, d = a, b
    else:
        y, mo, d = g["y5"], _MONTHS[g["m5"].lower().rstrip(".")], 1
    try:
        date = datetime.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    return date.isoformat() if 1990 <= date.year <= 2100 else None


def find_policy_date(md: str) -> str | None:
    """The policy's own "last updated" / "effective" date as YYYY-MM-DD (day 01 if only month and year)."""
    text = md.replace("*", "").replace("_", " ")
    for cue in _DATE_CUE.finditer(text):
        filler = _FILLER.match(text, cue.end())
        m = _DATE.match(text, filler.end()) if filler else None
        if not m:  # the filler ran into the date's own words ("on March"): try each word start
            window = text[cue.end():cue.end() + 45]
            m = next((x for x in _DATE.finditer(window) if not re.search(r"[\d\n.]", window[:x.start()])), None)
        if m:
            english = not re.search(r"[^\x00-\x7f]|stand|gültig|vigueur|jour|actualiz|aggiorn|laatst", cue.group(0), re.I)
            iso = _to_iso(m, day_first=not english)
            if iso:
                return iso
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
