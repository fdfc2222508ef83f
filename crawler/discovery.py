"""Finding a vendor's privacy-policy URLs from a bare domain, in every era of its site.

Pure decisions over strings, bytes and CdxRow objects: no Scrapy, no network. The spider makes the
requests and hands the answers to these functions, in this order:

1. ``discovery_cdx_query(archive, domain)``: ONE CDX query over the domain and its subdomains that
   returns both the policy-like URLs and the home page's captures, one row per URL per month
   (follow its resume key for at most ``DISCOVERY_MAX_PAGES`` pages in all).
2. ``score_candidates(domain, rows)``: the policy-like URLs, scored, with the span of their captures.
3. ``plan_home_page_fetches(domain, rows)``: which archived home pages to replay (twice a year, at
   real capture timestamps), then ``find_policy_links(body, url)`` on each replayed page.
4. ``assign_eras(domain, candidates, visits)``: the policy URL(s) of each period, each with how it
   was found; ``follow_redirect`` adds the target of a captured redirect met while listing them.
5. ``summary_line(domain, eras)``: the line for the run summary, "no policy found" included.

Discovery cannot read a page: a /privacy that answers "page not found" with status 200 (a soft-404)
is proposed like any other, and it is extraction, when the URL is listed and replayed, that refuses
its captures.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree
from w3lib.url import safe_url_string

from crawler.wayback import EMPTY_DIGEST, CdxRow, cdx_query_url, surt
from crawler.extract import decode_html
from crawler.targets import host_belongs_to, normalize_domain


# =============================================================================================
# The regular expression of policy-like URLs
#
# It runs on archive.org's CDX server (Java regex, matched against the WHOLE `original` field) and
# here (Python `re`), so it uses only what both read the same way: (?i), (?:...), classes, {m,n}.
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


def home_page_pattern(domain: str) -> str:
    """The domain's home page (bare or www., any scheme and port): `/`, `/index.html`, `/en/`...
    No query: `/?ref=x` variants would each bring their own rows."""
    host = normalize_domain(domain).replace(".", r"\.")  # punycode: only [a-z0-9.-] left to escape
    paths = r"(?:index|default|home|start)(?:\.[a-z]+)?|en|en[-_]us|us"
    return f"(?i)https?://(?:www[0-9]*\\.)?{host}(?::[0-9]+)?(?:/(?:(?:{paths})/?)?)?"


# =============================================================================================
# The discovery query

# One row per URL per month, not one per URL (collapse=urlkey): the first capture alone dates
# nothing, and eras need when each URL was live and when it redirected. Monthly rows bound a URL to
# 12 rows a year, so a 20-year vendor with 40 policy-like URLs fits in one 5,000-row page. (The
# collapse is adjacent-only: when one URL's last row and the next URL's first row fall in the same
# month, the latter is dropped, which costs that URL at most its first month.)
DISCOVERY_COLLAPSE = "timestamp:6"
DISCOVERY_PAGE_LIMIT = 5000
# Budget: the first page and at most two more by resume key. The index is sorted by SURT key, so
# what a cut leaves out are the last subdomains in alphabetical order, never the domain's own host
# (`com,x)/...` sorts before `com,x,blog)/...`).
DISCOVERY_MAX_PAGES = 3
# What a page or a redirect looks like in the index. Redirects are `unk` when bodiless and
# `text/html` when they carry a body; revisits are `warc/revisit` with status `-`.
_MIMETYPES = r"text/html|application/xhtml\+xml|text/plain|unk|warc/revisit"
# 4xx rows are asked for too, though never candidates: a revisit repeats an earlier capture's
# digest, and only by seeing that capture can a revisit of a 404 page be told from one of a live page.
_STATUSES = "[234][0-9][0-9]|-"


def discovery_filters(domain: str) -> tuple[str, ...]:
    """The server-side filters of the discovery query (AND-ed by the CDX server)."""
    home = home_page_pattern(domain).removeprefix("(?i)")
    policy = POLICY_PATH_PATTERN.removeprefix("(?i)")
    return (
        f"original:(?i)(?:{home}|{policy})",
        f"statuscode:(?:{_STATUSES})",
        f"mimetype:(?:{_MIMETYPES})",
    )


def discovery_cdx_query(archive_base: str, domain: str, from_ts: str | None = None, to_ts: str | None = None,
                        resume_key: str | None = None) -> str:
    """THE discovery CDX query (archive.org dialect): every policy-like URL of the domain and its
    subdomains, and its home page, one row per URL per month, JSON with CDX_FIELDS, resumable."""
    return cdx_query_url(
        archive_base, normalize_domain(domain), match_type="domain", from_=from_ts, to=to_ts,
        collapse=DISCOVERY_COLLAPSE, limit=DISCOVERY_PAGE_LIMIT, resume_key=resume_key,
        filters=discovery_filters(domain),
    )


# =============================================================================================
# Hosts, paths and languages


def _idna_host(host: str) -> str:
    host = (host or "").lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host


def surt_host(url: str) -> str:
    """`https://www.Bücher.de:443/x` -> `de,xn--bcher-kva`: the host part of the SURT key (www. folded)."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    netloc = _idna_host(parts.hostname or "")
    if parts.port and parts.port not in (80, 443):
        netloc += f":{parts.port}"
    return surt(f"http://{netloc}/").split(")", 1)[0]


def _hostname(url: str) -> str:
    return _idna_host(urlsplit(url).hostname or "")


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


def _locale_lang(token: str) -> str | None:
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


def _plain(text: str) -> str:
    """Lower case, percent-decoded, accents stripped, `_` read as `-`: `Datenschutzerkl%C3%A4rung` -> `datenschutzerklarung`."""
    text = unicodedata.normalize("NFKD", unquote(text).casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("_", "-")


def url_language(url: str, domain: str | None = None) -> str | None:
    """The language a URL's locale says (path segment, subdomain, `lang=`), else its policy word's;
    None when nothing says (an unmarked URL, which reads as the site's default, usually English)."""
    parts = urlsplit(url)
    for segment in parts.path.split("/")[:-1] + [parts.path.rsplit("/", 1)[-1].split(".")[0]]:
        lang = _locale_lang(segment)
        if lang:
            return lang
    host = _hostname(url)
    if domain and host_belongs_to(host, domain) and host != domain:
        lang = _locale_lang(host[: -len(domain) - 1].split(".")[-1])
        if lang:
            return lang
    match = _LANG_PARAMS.search(parts.query)
    if match:
        return _locale_lang(match.group(1))
    plain = _plain(parts.path + "?" + parts.query)
    for word, lang in _WORD_LANGS:
        if word in plain:
            return lang
    return None


def _english_class(lang: str | None) -> bool:
    return lang in (None, "en")


# =============================================================================================
# Scoring the CDX candidates

MIN_ERA_SCORE = 120  # a CDX-only candidate below this is not listed (see assign_eras)
FALLBACK_SCORE = 100  # ...unless nothing else was found and it is the best one at or above this

# The exact names of a privacy policy page (accents stripped, `_` as `-`).
_EXACT_NAMES = {
    "privacy", "privacy-policy", "privacypolicy", "privacy-policies", "privacy-statement", "privacystatement",
    "privacy-notice", "privacynotice", "online-privacy-policy", "privacy-and-cookies", "privacy-cookies",
    "datenschutz", "datenschutzerklarung", "datenschutzerklaerung", "datenschutz-erklarung", "datenschutzhinweise",
    "datenschutzbestimmungen", "datenschutzrichtlinie", "datenschutzrichtlinien", "datenschutzinformationen",
    "confidentialite", "politique-de-confidentialite", "vie-privee", "politique-de-vie-privee",
    "protection-des-donnees", "privacidad", "politica-de-privacidad", "aviso-de-privacidad",
    "declaracion-de-privacidad", "proteccion-de-datos", "privacidade", "politica-de-privacidade",
    "privacybeleid", "privacyverklaring", "informativa-privacy", "riservatezza",
}
# Words that make a slug something else than the policy: a tool, a form, a hub, news about it.
_NOT_POLICY_WORDS = {
    "settings", "setting", "choices", "choice", "preferences", "preference", "shield", "faq", "faqs", "request",
    "requests", "form", "tools", "tool", "dashboard", "portal", "center", "centre", "hub", "rights", "sell", "opt",
    "optout", "update", "updates", "changes", "change", "blog", "news", "press", "summary", "seal", "certification",
    "einstellungen", "parametres", "configuracion", "preferencias",
}
# Words of a second policy that is not the vendor's main one.
_SECONDARY_WORDS = {
    "children", "childrens", "kids", "child", "employee", "employees", "applicant", "applicants", "candidate",
    "candidates", "recruitment", "recruiting", "careers", "jobs", "california", "ccpa", "cpra", "supplier",
    "suppliers", "vendor", "vendors", "partner", "partners", "app", "apps", "mobile", "student", "students",
}
# Parent directories a policy normally sits in: no depth penalty.
_NEUTRAL_DIRS = {"legal", "policies", "policy", "privacy", "about", "about-us", "company", "corporate", "info",
                 "terms", "site", "rechtliches", "legal-notices", "datenschutz"}
# Sections of a site that publish about privacy rather than the policy.
_CONTENT_DIRS = {"blog", "blogs", "news", "press", "article", "articles", "post", "posts", "forum", "forums",
                 "community", "help", "kb", "support", "docs", "doc", "wiki", "tag", "tags", "category",
                 "search", "events", "webinars", "resources", "library", "topics"}
# Subdomains that are the same vendor's legal pages, and subdomains that are something else.
_LEGAL_HOSTS = {"legal", "privacy", "policies", "policy", "trust", "compliance"}
_SECONDARY_HOSTS = {"blog", "blogs", "support", "help", "forum", "forums", "community", "docs", "developer",
                    "developers", "dev", "kb", "status", "news", "shop", "store", "careers", "jobs", "investors",
                    "ir", "m", "mobile", "wiki", "answers", "learn", "academy", "partners", "staging", "test"}
_PRINT = re.compile(r"(?:^|[/?&=._-])(?:print|printable|printer|printer-friendly|pdf|amp)(?:$|[/?&=._-])", re.I)
_INDEX_NAMES = {"index", "default", "policy", "statement", "notice", ""}


@dataclass
class Candidate:
    """One policy-like URL of the index (one SURT key: http/https and www. variants fold together)."""

    url: str  # the `original` of its latest live row (else latest row): what to list
    urlkey: str
    host: str  # SURT host, e.g. `com,x` or `com,x,legal`
    score: int = 0
    language: str | None = None
    months: int = 0  # months with a capture (the query's rows)
    ok_first: str | None = None  # first and last 2xx capture (revisits of them included)
    ok_last: str | None = None
    redirect_first: str | None = None  # first and last 3xx capture
    redirect_last: str | None = None
    reasons: tuple[str, ...] = ()

    @property
    def redirect_only(self) -> bool:
        return self.ok_first is None

    @property
    def span(self) -> tuple[str, str]:
        """When the URL was live; for a URL that only ever redirected, when it redirected."""
        if self.ok_first:
            return self.ok_first, self.ok_last
        return self.redirect_first, self.redirect_last


def _slug_words(path: str) -> tuple[str, list[str]]:
    """(policy slug, directories before it): `/en-us/legal/privacy-policy.html` -> ("privacy-policy", ["en-us", "legal"])."""
    segments = [s for s in path.split("/") if s]
    names = [_plain(re.sub(r"\.[a-z0-9]+$", "", s, flags=re.I)) for s in segments]
    if len(names) > 1 and names[-1] in _INDEX_NAMES and POLICY_URL_RE.fullmatch("http://h/" + names[-2]):
        names = names[:-1]
    return (names[-1] if names else ""), names[:-1]


def _is_policy_row(domain: str, row: CdxRow) -> bool:
    return bool(POLICY_URL_RE.fullmatch(row.original)) and host_belongs_to(_hostname(row.original), domain) \
        and not is_home_page_row(domain, row)


def _row_kind(row: CdxRow, digest_kinds: dict[str, str] | None = None) -> str:
    """"ok" (2xx), "redirect" (3xx) or "error" (4xx, 5xx, unreadable status)."""
    if row.is_revisit:
        # A revisit repeats an earlier capture of the same payload: it is what that capture was. When
        # that capture is not among the rows (the monthly collapse may drop it), the empty digest
        # still says redirect; anything else is taken as live.
        return (digest_kinds or {}).get(row.digest) or ("redirect" if row.digest == EMPTY_DIGEST else "ok")
    if row.status is None or row.status >= 400:
        return "error"
    return "redirect" if row.is_redirect else "ok"


def score_candidates(domain: str, rows: list[CdxRow]) -> list[Candidate]:
    """The policy-like URLs among the discovery rows, one per SURT key, best first.

    Rows are re-checked here (regex, host, status), so an archive that ignores the server-side
    filters, or an unfiltered listing, gives the same answer. The home page's rows are not candidates.
    """
    domain = normalize_domain(domain)
    own_host = surt_host(domain)
    groups: dict[str, list[CdxRow]] = {}
    for row in rows:
        if _is_policy_row(domain, row):
            groups.setdefault(surt(row.original), []).append(row)

    candidates = []
    for key, group in groups.items():
        group.sort(key=lambda r: r.timestamp)
        digest_kinds = {r.digest: _row_kind(r) for r in group if not r.is_revisit}
        ok = [r for r in group if _row_kind(r, digest_kinds) == "ok"]
        redirects = [r for r in group if _row_kind(r, digest_kinds) == "redirect"]
        if not ok and not redirects:
            continue
        representative = (ok or redirects)[-1]
        url = representative.original
        candidates.append(Candidate(
            url=url, urlkey=key, host=surt_host(url), language=url_language(url, domain),
            months=len({r.timestamp[:6] for r in ok + redirects}),
            ok_first=ok[0].timestamp if ok else None, ok_last=ok[-1].timestamp if ok else None,
            redirect_first=redirects[0].timestamp if redirects else None,
            redirect_last=redirects[-1].timestamp if redirects else None,
        ))

    # Language: prefer English or unmarked URLs, unless the vendor has none (a German-only site).
    has_english = any(_english_class(c.language) for c in candidates)
    for candidate in candidates:
        candidate.score, candidate.reasons = _score(candidate, domain, own_host, has_english)
    candidates.sort(key=lambda c: (-c.score, -c.months, c.url))
    return candidates


def _score(candidate: Candidate, domain: str, own_host: str, has_english: bool) -> tuple[int, tuple[str, ...]]:
    """Points, and why: 100 for matching the regex, then the rules below (a live exact /privacy on
    the domain's own host with years of captures scores about 180)."""
    score, reasons = 100, []

    def rule(points: int, why: str) -> None:
        nonlocal score
        score += points
        reasons.append(f"{points:+d} {why}")

    parts = urlsplit(candidate.url)
    slug, dirs = _slug_words(parts.path)
    if not POLICY_URL_RE.fullmatch(f"http://h/{slug}"):  # the name is in the query: ?page=privacy
        slug = _plain(re.split(r"[=&]", parts.query)[-1]) if "=" in parts.query else slug
    words = set(re.split(r"[-.]", slug))
    if slug in _EXACT_NAMES:
        rule(40, f"exact policy name /{slug}")
    elif words & _NOT_POLICY_WORDS:
        rule(-40, f"not the policy itself ({', '.join(sorted(words & _NOT_POLICY_WORDS))})")
    elif words & _SECONDARY_WORDS:
        rule(-25, f"a secondary policy ({', '.join(sorted(words & _SECONDARY_WORDS))})")
    else:
        rule(20, f"policy name with extra words /{slug}")

    sub = _hostname(candidate.url)[: -len(domain)].rstrip(".") if _hostname(candidate.url) != domain else ""
    first_label = sub.split(".")[-1] if sub else ""
    if candidate.host == own_host:
        rule(30, "on the domain's own host")
    elif first_label in _LEGAL_HOSTS:
        rule(10, f"on a legal subdomain ({first_label}.)")
    elif first_label in _SECONDARY_HOSTS:
        rule(-40, f"on a secondary subdomain ({first_label}.)")
    elif _locale_lang(first_label):
        rule(-30, f"on a locale subdomain ({first_label}.)")

    if set(dirs) & _CONTENT_DIRS:
        rule(-40, "in a content section (blog, news, help...)")
    if any(re.fullmatch(r"(?:19|20)[0-9]{2}", d) for d in dirs):
        rule(-20, "under a dated path")
    depth = len([d for d in dirs if d not in _NEUTRAL_DIRS])
    if depth:
        rule(-8 * depth, f"{depth} director{'y' if depth == 1 else 'ies'} deep")
    if parts.query:
        rule(-30, "has a query string")
    if ";" in parts.path:
        rule(-20, "has path parameters")
    if parts.fragment:
        rule(-10, "has a fragment")
    if _PRINT.search(parts.path) or _PRINT.search(parts.query):
        rule(-40, "a print, PDF or AMP version")
    if not _english_class(candidate.language) and has_english:
        rule(-35, f"in {candidate.language} while an English or unmarked URL exists")
    if candidate.redirect_only:
        rule(-25, "only ever redirected")
    if candidate.months >= 3:
        rule(min(10, candidate.months // 3), f"captured in {candidate.months} months")
    return score, tuple(reasons)


# =============================================================================================
# Home pages: when to read them, and what they link to


def is_home_page_row(domain: str, row: CdxRow) -> bool:
    return bool(re.fullmatch(home_page_pattern(domain), row.original))


def _ts_to_dt(ts: str) -> datetime:
    return datetime.strptime(ts[:14].ljust(14, "0"), "%Y%m%d%H%M%S")


def _add_months(ts: str, months: int) -> str:
    year, month = int(ts[:4]), int(ts[4:6]) + months
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    day = min(int(ts[6:8]), 28)  # the 31st of a short month does not exist
    return f"{year:04d}{month:02d}{day:02d}{ts[8:14]}"


def home_page_sample_times(first_ts: str | None, last_ts: str | None, per_year: int = 2,
                           captured: list[str] | None = None) -> list[str]:
    """Timestamps to read the archived home page at: every 12/per_year months from `first_ts`, and
    `last_ts` itself (the latest era must be seen). With `captured` (the home page's real capture
    timestamps), each is moved to the nearest capture, so no replay needs a nearest-capture redirect,
    and duplicates are dropped. `first_ts`/`last_ts` default to the first/last captured."""
    captured = sorted(set(captured or ()))
    first_ts = first_ts or (captured[0] if captured else None)
    last_ts = last_ts or (captured[-1] if captured else None)
    if not first_ts or not last_ts or per_year < 1:
        return []
    first_ts, last_ts = first_ts.ljust(14, "0"), last_ts.ljust(14, "0")
    step = max(1, 12 // per_year)
    targets, ts = [], first_ts
    while ts < last_ts:
        targets.append(ts)
        ts = _add_months(ts, step)
    targets.append(last_ts)
    if not captured:
        return targets
    chosen = []
    for target in targets:
        i = bisect.bisect_left(captured, target)
        near = [c for c in captured[max(0, i - 1): i + 1]]
        best = min(near, key=lambda c: abs((_ts_to_dt(c) - _ts_to_dt(target)).total_seconds()))
        if best not in chosen:
            chosen.append(best)
    return sorted(chosen)


@dataclass(frozen=True)
class HomePageFetch:
    timestamp: str
    url: str  # the `original` of that capture: replay exactly this, at exactly that timestamp


def plan_home_page_fetches(domain: str, rows: list[CdxRow], per_year: int = 2) -> list[HomePageFetch]:
    """The home-page replays to make: twice a year (per_year) across the span its captures cover.

    Live (2xx) captures are preferred; a home page only ever captured as a redirect (a domain that
    moved to its parent's site) is read through that redirect."""
    home = [r for r in rows if is_home_page_row(domain, r)]
    live = [r for r in home if r.status is not None and 200 <= r.status < 300] or \
        [r for r in home if r.is_redirect] or [r for r in home if r.is_revisit]
    by_ts = {}
    for row in sorted(live, key=lambda r: (r.timestamp, urlsplit(r.original).path not in ("", "/"))):
        by_ts.setdefault(row.timestamp, row)  # at one timestamp, `/` before `/index.html`
    times = home_page_sample_times(None, None, per_year, captured=list(by_ts))
    return [HomePageFetch(ts, by_ts[ts].original) for ts in times]


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
# `/web/2015...[id_]/http://...` (archive.org, any host or relative), `/<collection>/<ts>/http...` (pywb).
_WRAPPED = re.compile(r"^.*?/(?:web/)?[0-9]{4,14}(?:[a-z]{2}_|\*)?/((?:https?:)?/+.*)$", re.I | re.S)
_WRAPPED_NO_SCHEME = re.compile(r"^/web/[0-9]{4,14}(?:[a-z]{2}_|\*)?/([^/]+\.[^/]+(?:/.*)?)$", re.I | re.S)


def unwrap_archive_url(url: str) -> str:
    """`https://web.archive.org/web/20150101000000/http://www.x.com/privacy` -> `http://www.x.com/privacy`;
    also `/web/2015...id_/...`, `http:/x.com` (slashes collapsed by rewriting), no scheme. Others unchanged."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _WRAPPED.match(path)
    if match:
        inner = match.group(1)
        inner = re.sub(r"^(https?):/+", r"\1://", inner, flags=re.I)
        if inner.startswith("/"):  # `//host/...` or `/host/...`: no scheme
            inner = "http://" + inner.lstrip("/")
        return inner + (f"#{parts.fragment}" if parts.fragment else "")
    match = _WRAPPED_NO_SCHEME.match(path)
    if match:
        return "http://" + match.group(1)
    return url


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+", _plain(text or "")))


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


def _clean_link_url(url: str) -> str:
    """Absolute URL -> the form the archive indexes: punycode host, percent-encoded path, no
    fragment, no `utm_` tracking parameters."""
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


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
        url = _clean_link_url(absolute)
        key = surt(url)
        if key == page_key:  # `#privacy` opening a modal on the home page itself
            continue
        link = PolicyLink(url, words, points, lang)
        if key not in found or (points, -position) > found[key][:2]:
            found[key] = (points, -position, link)
    ranked = sorted(found.values(), key=lambda item: (-item[0], -item[1]))
    return [link for _, _, link in ranked]


@dataclass(frozen=True)
class HomePageVisit:
    """One archived home page read: when (the memento's own timestamp), which URL, what it links to
    (find_policy_links' answer, [] when no link names the policy)."""

    timestamp: str
    url: str
    links: tuple[PolicyLink, ...] = ()


@dataclass(frozen=True)
class Redirect:
    """A captured redirect met while listing a policy URL: `from_url` answered 3xx to `to_url` at `timestamp`."""

    from_url: str
    to_url: str
    timestamp: str


# =============================================================================================
# Eras

FOUND_BY = ("given", "home_page", "cdx", "redirect")  # precedence: the first that applies names an era
MAX_CDX_ERAS = 6  # at most this many CDX-only URLs are listed per domain


@dataclass
class Era:
    """A policy URL and the period it held, with how it was found.

    `found_by` is the strongest evidence (given > home_page > cdx > redirect); `evidence` lists all.
    `from_ts`/`to_ts` are None for a given URL (no period known). `via` is the URL a redirect came from."""

    url: str
    found_by: str
    from_ts: str | None
    to_ts: str | None
    evidence: tuple[str, ...] = ()
    via: str | None = None
    language: str | None = None

    @property
    def urlkey(self) -> str:
        return surt(self.url)


def _span_seconds(span: tuple[str, str]) -> float:
    return (_ts_to_dt(span[1]) - _ts_to_dt(span[0])).total_seconds()


def overlap_fraction(span: tuple[str, str], other: tuple[str, str]) -> float:
    """How much of `span` `other` covers, 0..1 (a one-capture span: 1 if inside `other`, else 0)."""
    start, end = max(span[0], other[0]), min(span[1], other[1])
    if start > end:
        return 0.0
    length = _span_seconds(span)
    if length <= 0:
        return 1.0
    return _span_seconds((start, end)) / length


def _merge_span(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    starts = [t for t in (a[0], b[0]) if t]
    ends = [t for t in (a[1], b[1]) if t]
    return (min(starts) if starts else None, max(ends) if ends else None)


# A redirect to one of these is a removed page sent somewhere generic, not a policy that moved.
_NOT_A_MOVE = re.compile(r"(?:^|/)(?:404|not[-_]?found|error|errors|login|log-in|signin|sign-in|auth|sso)(?:[./?]|$)", re.I)


def redirect_target(domain: str, redirect: Redirect) -> str | None:
    """Where a captured redirect from a policy URL moved the policy, or None when it is no move:
    a redirect within one SURT key (http -> https, bare -> www.), to a home page (a removed policy
    sent to `/`), or to an error or login page. Another host counts (www., a parent company's site)."""
    target = unwrap_archive_url(redirect.to_url)
    if urlsplit(target).scheme not in ("http", "https"):
        return None
    target = _clean_link_url(target)
    path = urlsplit(target).path
    if surt(target) == surt(redirect.from_url):
        return None
    if path in ("", "/") or re.fullmatch(home_page_pattern(domain), target) or _NOT_A_MOVE.search(path):
        return None
    return target


def follow_redirect(domain: str, eras: list[Era], redirect: Redirect) -> Era | None:
    """The era a captured redirect met while listing a policy URL adds, or None when it adds nothing
    (no move, see redirect_target, or a target that is already an era). The new era ties the
    target to the same vendor; its period starts at the redirect."""
    domain = normalize_domain(domain)
    target = redirect_target(domain, redirect)
    if target is None or surt(target) in {e.urlkey for e in eras}:
        return None
    return Era(target, "redirect", redirect.timestamp, redirect.timestamp, ("redirect",), via=redirect.from_url,
               language=url_language(target, domain))


def _best_links(links: tuple[PolicyLink, ...]) -> list[PolicyLink]:
    """A visit's policy link: the best one, plus any as good on another host (two hosts, one footer)."""
    if not links:
        return []
    top = links[0]
    chosen = [top]
    for link in links[1:]:
        if link.score == top.score and surt_host(link.url) not in {surt_host(c.url) for c in chosen}:
            chosen.append(link)
    return chosen


def assign_eras(domain: str, candidates: list[Candidate] = (), visits: list[HomePageVisit] = (),
                redirects: list[Redirect] = (), given: list[str] = ()) -> list[Era]:
    """The policy URL(s) of each period, merged from everything discovery saw. The rules:

    1. A given URL (--policy-url) is always an era, with no period.
    2. A URL a home page links to (its best policy link) is always an era: a person reading the site
       then was sent there. Its period runs from the first to the last sampled home page linking it.
    3. A CDX candidate is an era if it scores at least MIN_ERA_SCORE and no era already chosen on the
       same SURT host covers more than half of its span (its live span; its redirect span if it only
       ever redirected: an old URL redirecting into a chosen era adds nothing). Candidates are taken
       best first. A non-English candidate is dominated by any such era, an English or unmarked one
       only by an English or unmarked era (a German home page's link does not hide /en/privacy).
       Different hosts never dominate each other: two hosts may hold at once. At most MAX_CDX_ERAS.
    4. If that leaves nothing at all, the best candidate scoring at least FALLBACK_SCORE is proposed.
    5. A URL found several ways is one era: its period is the union of the periods, `found_by` the
       strongest way (given > home_page > cdx > redirect), `evidence` all of them.
    6. Redirects (met while listing) add their targets as eras (see redirect_target), the period
       being the redirects' first and last timestamps, widened by the target's CDX span if it has one.
       A redirect to a URL that is already an era only adds "redirect" to its evidence.

    Periods are informative: each era's URL is listed over its whole history, since an era's edges
    are only as precise as monthly rows and half-yearly home pages.
    """
    domain = normalize_domain(domain)
    eras: dict[str, Era] = {}  # SURT key -> era, in the order found

    def add(url: str, how: str, span: tuple[str | None, str | None], via: str | None = None) -> None:
        key = surt(url)
        era = eras.get(key)
        if era is None:
            eras[key] = Era(url, how, span[0], span[1], (how,), via, url_language(url, domain))
            return
        era.from_ts, era.to_ts = _merge_span((era.from_ts, era.to_ts), span)
        if how not in era.evidence:
            era.evidence += (how,)
        era.found_by = min(era.evidence, key=FOUND_BY.index)

    for url in given:
        add(url, "given", (None, None))

    for visit in sorted(visits, key=lambda v: v.timestamp):
        for link in _best_links(tuple(visit.links)):
            add(link.url, "home_page", (visit.timestamp, visit.timestamp))

    by_key = {c.urlkey: c for c in candidates}
    # A home-page era's period also covers its own captures, when the index has them.
    for key, era in eras.items():
        if key in by_key and era.found_by == "home_page":
            add(era.url, "cdx", by_key[key].span)

    chosen_cdx = 0
    for candidate in sorted(candidates, key=lambda c: (-c.score, -c.months, c.url)):
        if candidate.urlkey in eras or candidate.score < MIN_ERA_SCORE or chosen_cdx >= MAX_CDX_ERAS:
            continue
        if _dominated(candidate, eras.values()):
            continue
        add(candidate.url, "cdx", candidate.span)
        chosen_cdx += 1

    if not eras:
        fallback = [c for c in candidates if c.score >= FALLBACK_SCORE]
        if fallback:
            best = max(fallback, key=lambda c: (c.score, c.months))
            add(best.url, "cdx", best.span)

    for redirect in sorted(redirects, key=lambda r: r.timestamp):
        target = redirect_target(domain, redirect)
        if target is None:
            continue
        key = surt(target)
        if key in eras:
            # Evidence only: that the old URL redirected then says nothing of when the target was
            # live (a stale redirect may point at a page long gone).
            add(eras[key].url, "redirect", (None, None))
            continue
        span = (redirect.timestamp, redirect.timestamp)
        if key in by_key:  # a candidate passed over above: its own span counts
            span = _merge_span(span, by_key[key].span)
        add(target, "redirect", span, via=redirect.from_url)

    return sorted(eras.values(), key=lambda e: (e.from_ts or "", e.url))


def _dominated(candidate: Candidate, eras) -> bool:
    span = candidate.span
    english = _english_class(candidate.language)
    for era in eras:
        if era.from_ts is None or surt_host(era.url) != candidate.host:
            continue
        if english and not _english_class(era.language):
            continue
        if overlap_fraction(span, (era.from_ts, era.to_ts)) > 0.5:
            return True
    return False


# =============================================================================================
# The result and its summary line


def display_domain(domain: str) -> str:
    """`xn--bcher-kva.de` -> `bücher.de (xn--bcher-kva.de)`; an ASCII domain as it is."""
    try:
        unicode = domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain
    return f"{unicode} ({domain})" if unicode != domain else domain


def _month(ts: str | None) -> str:
    return f"{ts[:4]}-{ts[4:6]}" if ts else "?"


def summary_line(domain: str, eras: list[Era], candidates: int | None = None, home_pages: int | None = None,
                 versions_held: int | None = None) -> str:
    """One line for the run summary: the URLs found, how and when; or that none was found."""
    name = display_domain(domain)
    if not eras:
        seen = []
        if candidates is not None:
            seen.append(f"{candidates} policy-like URL{'s' if candidates != 1 else ''} in the index")
        if home_pages is not None:
            seen.append(f"{home_pages} archived home page{'s' if home_pages != 1 else ''} read")
        return f"{name}: no privacy policy found in the archive" + (f" ({', '.join(seen)})" if seen else "")
    parts = []
    for era in eras:
        period = "" if era.from_ts is None else f", {_month(era.from_ts)} to {_month(era.to_ts)}"
        parts.append(f"{era.url} ({'+'.join(era.evidence)}{period})")
    line = f"{name}: {len(eras)} policy URL{'s' if len(eras) != 1 else ''} found: " + "; ".join(parts)
    if versions_held == 0:
        line += "; but no capture read as a policy (soft-404s or pages of another kind?)"
    return line


@dataclass
class DiscoveryResult:
    domain: str
    eras: list[Era]
    candidates: list[Candidate] = field(default_factory=list)
    visits: list[HomePageVisit] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.eras)

    def summary_line(self, versions_held: int | None = None) -> str:
        return summary_line(self.domain, self.eras, len(self.candidates), len(self.visits), versions_held)


def discover(domain: str, rows: list[CdxRow], visits: list[HomePageVisit] = (), redirects: list[Redirect] = (),
             given: list[str] = ()) -> DiscoveryResult:
    """Everything after the requests in one call: candidates from the rows, then eras."""
    domain = normalize_domain(domain)
    candidates = score_candidates(domain, rows)
    return DiscoveryResult(domain, assign_eras(domain, candidates, list(visits), list(redirects), list(given)),
                           candidates, list(visits))
