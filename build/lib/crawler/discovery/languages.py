"""The language of a policy URL: its locale (path segment, subdomain, `lang=`), else its policy word's."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.discovery.urls import hostname, plain
from crawler.targets import host_belongs_to

# Language and country codes a locale segment, subdomain or query value may carry. Countries whose
# language is clear map to it; ambiguous ones (ca, ch, be) are not locales here.
_LANGS = {
    "en", "de", "fr", "es", "it", "nl", "pt", "ja", "zh", "ko", "ru", "pl", "sv", "da", "fi", "no", "nb", "cs",
    "tr", "hu", "el", "ro", "he", "ar", "id", "th", "vi", "uk",
}
_COUNTRY_LANG = {
    "us": "en", "gb": "en", "au": "en", "nz": "en", "ie": "en", "at": "de", "mx": "es", "br": "pt", "jp": "ja",
    "cn": "zh", "kr": "ko", "se": "sv", "dk": "da", "cz": "cs",
}
_LOCALE = re.compile(r"^([a-z]{2})(?:[-_]([a-z]{2}))?$")
# The language a policy word itself is in, when no locale says otherwise.
_WORD_LANGS = [
    ("datenschutz", "de"), ("privatsph", "de"), ("confidentialit", "fr"), ("vie-priv", "fr"),
    ("protection-des-donn", "fr"), ("privacidade", "pt"), ("protecao", "pt"), ("privacidad", "es"),
    ("proteccion", "es"), ("riservatezza", "it"), ("informativa", "it"), ("privacybeleid", "nl"),
    ("privacyverklaring", "nl"), ("gegevensbescherming", "nl"),
]
_LANG_PARAMS = re.compile(r"(?:^|&)(?:lang|language|locale|hl|lc|culture)=([a-z]{2})(?:[-_][a-z]{2})?(?:&|$)", re.I)


def locale_lang(token: str) -> str | None:
    """`en-us` -> en, `de` -> de, `us` -> en (a country whose language is clear), `uk` -> en."""
    match = _LOCALE.match(token.lower())
    if not match:
        return None
    first = match.group(1)
    if token.lower() == "uk":  # the UK far more often than Ukrainian in URLs
        return "en"
    if first in _LANGS:
        return first
    if match.group(2) is None:
        return _COUNTRY_LANG.get(first)
    return None


def url_language(url: str, domain: str | None = None) -> str | None:
    """The language a URL's locale says (path segment, subdomain, `lang=`), else its policy word's;
    None when nothing says (an unmarked URL, which reads as the site's default, usually English)."""
    parts = urlsplit(url)
    for segment in parts.path.split("/")[:-1] + [parts.path.rsplit("/", 1)[-1].split(".")[0]]:
        lang = locale_lang(segment)
        if lang:
            return lang
    host = hostname(url)
    if domain and host_belongs_to(host, domain) and host != domain:
        lang = locale_lang(host[: -len(domain) - 1].split(".")[-1])
        if lang:
            return lang
    match = _LANG_PARAMS.search(parts.query)
    if match:
        return locale_lang(match.group(1))
    folded = plain(parts.path + "?" + parts.query)
    for word, lang in _WORD_LANGS:
        if word in folded:
            return lang
    return None


def english_class(lang: str | None) -> bool:
    return lang in (None, "en")
