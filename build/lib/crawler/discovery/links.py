"""The links of an archived home page that name the privacy policy: anchor texts scored in each
language, hrefs unwrapped from the archive and resolved, best first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from crawler.wayback import surt
from crawler.discovery.urls import clean_link_url, plain, unwrap_archive_url
from crawler.extract import decode_html


@dataclass(frozen=True)
class PolicyLink:
    url: str  # absolute, unwrapped from the archive, punycode host, no fragment
    text: str  # the words that named it (anchor text, else title/aria-label/alt)
    score: int
    language: str | None = None


# Anchor texts naming a privacy policy (accents stripped, lower case, words only), their score and
# language. A text that is one of these scores that much; a short text containing one scores less.
_PHRASES = {
    "privacy policy": (100, "en"), "privacy statement": (95, "en"), "privacy notice": (95, "en"),
    "privacy": (80, "en"), "your privacy": (80, "en"), "privacy information": (80, "en"),
    "data privacy": (80, "en"), "privacy and cookies": (80, "en"), "privacy cookies": (80, "en"),
    "privacy and cookie policy": (85, "en"), "privacy cookie policy": (85, "en"), "privacy center": (60, "en"),
    "privacy centre": (60, "en"), "data protection": (70, "en"), "privacy and security": (70, "en"),
    "privacy security": (70, "en"), "legal and privacy": (75, "en"), "legal privacy": (75, "en"),
    "privacy and terms": (70, "en"), "privacy terms": (70, "en"),
    "datenschutz": (90, "de"), "datenschutzerklarung": (100, "de"), "datenschutzerklaerung": (100, "de"),
    "datenschutz erklarung": (95, "de"), "datenschutzhinweise": (95, "de"), "datenschutzhinweis": (95, "de"),
    "datenschutzrichtlinie": (95, "de"), "datenschutzrichtlinien": (95, "de"),
    "datenschutzbestimmungen": (95, "de"), "datenschutzinformationen": (90, "de"),
    "hinweise zum datenschutz": (95, "de"), "privatsphare": (80, "de"),
    "politique de confidentialite": (100, "fr"), "confidentialite": (85, "fr"), "vie privee": (85, "fr"),
    "politique de protection des donnees": (95, "fr"), "protection des donnees": (80, "fr"),
    "protection de la vie privee": (90, "fr"), "politique de vie privee": (95, "fr"),
    "declaration de confidentialite": (95, "fr"), "avis de confidentialite": (95, "fr"),
    "charte de confidentialite": (95, "fr"), "donnees personnelles": (75, "fr"),
    "politica de privacidad": (100, "es"), "aviso de privacidad": (95, "es"), "privacidad": (85, "es"),
    "declaracion de privacidad": (95, "es"), "proteccion de datos": (80, "es"),
    "politica de proteccion de datos": (95, "es"),
    "politica de privacidade": (100, "pt"), "privacidade": (85, "pt"),
    "informativa sulla privacy": (95, "it"), "informativa privacy": (95, "it"),
    "privacybeleid": (95, "nl"), "privacyverklaring": (95, "nl"),
}
_PHRASE_TOKENS = {tuple(p.split()): v for p, v in _PHRASES.items()}
# A text with one of these words is about something else (privacy settings, "Your Privacy Choices",
# a TRUSTe seal, a do-not-sell link), whatever else it says.
_LINK_EXCLUDE = {
    "choices", "settings", "preferences", "preference", "shield", "seal", "certified", "certification", "truste",
    "sell", "opt", "optout", "manage", "request", "dashboard", "tools", "einstellungen", "parametres",
    "configuracion", "preferencias", "faq", "faqs", "blog", "news",
}
MIN_LINK_SCORE = 50
_MAX_LINK_WORDS = 7  # a longer text is a sentence about privacy, not the policy's link
_IGNORED_SCHEMES = ("mailto:", "javascript:", "tel:", "data:", "ftp:", "about:", "#")


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", plain(text or "")))


def anchor_score(text: str) -> tuple[int, str | None] | None:
    """(score, language) when a link text names the privacy policy, else None.

    Exactly a known phrase: its score. A phrase inside a short text ("Kerio Privacy Policy", "Privacy
    Policy (updated)"): 5 less, and 5 less per extra word; 10 less again if it also names cookies or
    terms. Cookie policies, terms, privacy settings and seals never count."""
    words = _words(text)
    if not words or len(words) > _MAX_LINK_WORDS:
        return None
    if set(words) & _LINK_EXCLUDE:
        return None
    if words in _PHRASE_TOKENS:
        return _PHRASE_TOKENS[words]
    best = None
    for phrase, (points, lang) in _PHRASE_TOKENS.items():
        n = len(phrase)
        if any(words[i:i + n] == phrase for i in range(len(words) - n + 1)):
            points = points - 5 - 5 * (len(words) - n)
            if any(w.startswith(("cookie", "term")) for w in words if w not in phrase):
                points -= 10
            if best is None or points > best[0]:
                best = (points, lang)
    return best if best and best[0] >= MIN_LINK_SCORE else None


def find_policy_links(html: bytes | str, page_url: str, content_type: str | None = None) -> list[PolicyLink]:
    """The links of an archived home page whose text names the privacy policy, best first.

    `page_url` is the captured URL (a replay URL is unwrapped); relative links resolve against it, or
    against `<base href>`. Archive-rewritten hrefs are unwrapped to the original URL. The best of a
    link's anchor text, title, aria-label and image alt counts. One entry per URL (its best text)."""
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an encoding declaration
    if not text.strip():
        return []
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    page_url = unwrap_archive_url(page_url)
    base = page_url
    for element in tree.iter("base"):
        if element.get("href"):
            base = urljoin(page_url, unwrap_archive_url(element.get("href").strip()))
            break
    page_key = surt(page_url)

    found: dict[str, tuple[int, int, PolicyLink]] = {}  # SURT key -> (score, -position, link)
    for position, anchor in enumerate(tree.iter("a", "area")):
        href = (anchor.get("href") or "").strip()
        if not href or href.lower().startswith(_IGNORED_SCHEMES):
            continue
        texts = [" ".join(anchor.text_content().split()), anchor.get("title") or "", anchor.get("aria-label") or "",
                 anchor.get("alt") or ""]  # `alt` for <area>
        texts += [img.get("alt") or "" for img in anchor.iter("img")]
        scored = [(anchor_score(t), t) for t in texts if t]
        scored = [(s, t) for s, t in scored if s]
        if not scored:
            continue
        (points, lang), words = max(scored, key=lambda item: item[0][0])
        absolute = unwrap_archive_url(urljoin(base, unwrap_archive_url(href)))
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        url = clean_link_url(absolute)
        key = surt(url)
        if key == page_key:  # `#privacy` opening a modal on the home page itself
            continue
        link = PolicyLink(url, words, points, lang)
        if key not in found or (points, -position) > found[key][:2]:
            found[key] = (points, -position, link)
    ranked = sorted(found.values(), key=lambda item: (-item[0], -item[1]))
    return [link for _, _, link in ranked]
