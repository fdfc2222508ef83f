"""The result of discovering one domain (candidates, home pages read, eras), everything after the
requests in one call (discover), and its line for the run summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.wayback import CdxRow
from crawler.discovery.candidates import Candidate, score_candidates
from crawler.discovery.eras import Era, assign_eras
from crawler.discovery.home_pages import HomePageVisit
from crawler.discovery.redirects import Redirect
from crawler.targets import normalize_domain


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
