"""Scoring the candidates: the policy-like URLs among the discovery query's CDX rows, one per SURT
key, with the span of their live and redirect captures and a score that says how much each looks
like the vendor's main policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.wayback import EMPTY_DIGEST, CdxRow, surt
from crawler.discovery.languages import english_class, locale_lang, url_language
from crawler.discovery.patterns import POLICY_URL_RE, is_home_page_row, is_page_row
from crawler.discovery.urls import hostname, plain, surt_host
from crawler.targets import host_belongs_to, normalize_domain

MIN_ERA_SCORE = 120  # a CDX-only candidate below this is not listed (see eras.assign_eras)
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
    names = [plain(re.sub(r"\.[a-z0-9]+$", "", s, flags=re.I)) for s in segments]
    if len(names) > 1 and names[-1] in _INDEX_NAMES and POLICY_URL_RE.fullmatch("http://h/" + names[-2]):
        names = names[:-1]
    return (names[-1] if names else ""), names[:-1]


def _is_policy_row(domain: str, row: CdxRow) -> bool:
    return bool(POLICY_URL_RE.fullmatch(row.original)) and host_belongs_to(hostname(row.original), domain) \
        and is_page_row(row) and not is_home_page_row(domain, row)


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

    Rows are re-checked here (regex, host, type, status), so an archive that ignores the server-side
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
    has_english = any(english_class(c.language) for c in candidates)
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
        slug = plain(re.split(r"[=&]", parts.query)[-1]) if "=" in parts.query else slug
    words = set(re.split(r"[-.]", slug))
    if slug in _EXACT_NAMES:
        rule(40, f"exact policy name /{slug}")
    elif words & _NOT_POLICY_WORDS:
        rule(-40, f"not the policy itself ({', '.join(sorted(words & _NOT_POLICY_WORDS))})")
    elif words & _SECONDARY_WORDS:
        rule(-25, f"a secondary policy ({', '.join(sorted(words & _SECONDARY_WORDS))})")
    else:
        rule(20, f"policy name with extra words /{slug}")

    sub = hostname(candidate.url)[: -len(domain)].rstrip(".") if hostname(candidate.url) != domain else ""
    first_label = sub.split(".")[-1] if sub else ""
    if candidate.host == own_host:
        rule(30, "on the domain's own host")
    elif first_label in _LEGAL_HOSTS:
        rule(10, f"on a legal subdomain ({first_label}.)")
    elif first_label in _SECONDARY_HOSTS:
        rule(-40, f"on a secondary subdomain ({first_label}.)")
    elif locale_lang(first_label):
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
    if not english_class(candidate.language) and has_english:
        rule(-35, f"in {candidate.language} while an English or unmarked URL exists")
    if candidate.redirect_only:
        rule(-25, "only ever redirected")
    if candidate.months >= 3:
        rule(min(10, candidate.months // 3), f"captured in {candidate.months} months")
    return score, tuple(reasons)
