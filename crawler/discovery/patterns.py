"""The policy-path vocabulary: the regular expression of policy-like URLs, in each language the
crawler reads, and the pattern of a domain's home page."""

from __future__ import annotations

import re

from crawler.wayback import CdxRow
from crawler.targets import normalize_domain

# The policy regex runs on archive.org's CDX server (Java regex, matched against the WHOLE
# `original` field) and here (Python `re`), so it uses only what both read the same way: (?i),
# (?:...), classes, {m,n}.
# No lookarounds, no possessives, no named groups; `&` never doubled inside a class (Java's `&&`).
# (?i) folds ASCII only in Java: the accented letters below are written in lower case, as URLs
# carry them, raw or percent-encoded (the percent-encoding is folded by (?i): %C3%A9 = %c3%a9).

_E = "(?:e|é|%c3%a9)"  # é
_O = "(?:o|ó|%c3%b3)"  # ó
_AE = "(?:ae|a|ä|%c3%a4)"  # ä, transliterated or not
_C = "(?:c|ç|%c3%a7)"  # ç
_A_TILDE = "(?:a|ã|%c3%a3)"  # ã
_SEP = "[-_]"
# One word of a slug: anything but the URL's and the slug's separators.
_WORD = "[^/?#&=;._-]+"

# The words that name a privacy policy, by language. A slug is policy-like when it is one of these
# with at most two words before it (online-, politique-de-, aviso-de-) and two after (-policy,
# -statement, -and-cookies): a blog post's long slug ("why-we-care-about-your-privacy") is not.
_CORE = "|".join(
    [
        "privacy(?:policy|statement|notice|beleid|verklaring)?",  # en, nl (privacybeleid), it (privacy)
        "privacidad",  # es
        "privacidade",  # pt
        f"privatsph{_AE}re",  # de
        f"datenschutz(?:erkl{_AE}rung|hinweise?|bestimmungen|richtlinien?|informationen?)?",  # de
        f"confidentialit{_E}",  # fr
        f"vie{_SEP}priv{_E}e",  # fr
        f"protection{_SEP}des{_SEP}donn{_E}es",  # fr
        f"protecci{_O}n{_SEP}de{_SEP}datos",  # es
        f"prote{_C}{_A_TILDE}o{_SEP}de{_SEP}dados",  # pt
        "riservatezza",  # it
        "gegevensbescherming",  # nl
    ]
)
_NAME = f"(?:{_WORD}{_SEP}){{0,2}}(?:{_CORE})(?:{_SEP}{_WORD}){{0,2}}"
# Page extensions only: /privacy.pdf, /privacy.png, /privacy.js are not pages we can read.
_EXT = r"(?:\.(?:s?html?|php[0-9]?|aspx?|jspx?|cfm|do))?"
# A policy directory's index: /privacy/, /privacy/index.html, /legal/privacy/policy.
_INDEX = f"(?:/(?:index|default|policy|statement|notice){_EXT})?"
_SCHEME_HOST = "[a-z][a-z0-9+.-]*://[^/?#]+"
# The name as a path segment anywhere below the root (/privacy, /en/legal/privacy-notice.html), or
# as a query value (/index.php?page=privacy); then an optional index page, a trailing slash,
# ;jsessionid-style parameters, more query or a fragment. One alternation for both keeps the query
# URL short (it is sent whole in every discovery request).
_WHERE = "(?:/|[?](?:[^#]*&)?[a-z0-9_.-]*=)"
POLICY_PATH_PATTERN = f"(?i){_SCHEME_HOST}(?:/[^?#]*)?{_WHERE}{_NAME}{_EXT}{_INDEX}/?(?:;[^?#]*)?(?:[?#&].*)?"
POLICY_URL_RE = re.compile(POLICY_PATH_PATTERN)

# What a page or a redirect looks like in the index (for discovery: a PDF, an image or a script at a
# policy-like URL is no page a visitor read). Redirects are `unk` when bodiless and `text/html` when
# they carry a body; revisits are `warc/revisit` with status `-`.
PAGE_MIMETYPE_PATTERN = r"text/html|application/xhtml\+xml|text/plain|unk|warc/revisit"
_PAGE_MIMETYPE_RE = re.compile(PAGE_MIMETYPE_PATTERN, re.I)


def is_page_row(row: CdxRow) -> bool:
    """A row of a page, a redirect or a revisit (the monthly query's filter, checked on this side)."""
    return bool(_PAGE_MIMETYPE_RE.fullmatch(row.mimetype))


def home_page_pattern(domain: str) -> str:
    """The domain's home page (bare or www., any scheme and port): `/`, `/index.html`, `/en/`...
    No query: `/?ref=x` variants would each bring their own rows."""
    host = normalize_domain(domain).replace(".", r"\.")  # punycode: only [a-z0-9.-] left to escape
    paths = r"(?:index|default|home|start)(?:\.[a-z]+)?|en|en[-_]us|us"
    return f"(?i)https?://(?:www[0-9]*\\.)?{host}(?::[0-9]+)?(?:/(?:(?:{paths})/?)?)?"


def is_home_page_row(domain: str, row: CdxRow) -> bool:
    return bool(re.fullmatch(home_page_pattern(domain), row.original))
