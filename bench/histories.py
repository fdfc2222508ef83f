"""Simulated capture histories of vendors' privacy policies, shaped like what the Wayback Machine holds.

Each vendor (deterministic from its number and the seed, so the first 10 vendors of a 1,000-vendor set
are the 10 vendors of a 10-vendor set):

- 200 to 400 captures of its policy URL over 12 to 18 years, denser in later years;
- 3 to 6 distinct policy texts, each carrying a line ``Policy reference <domain> revision <n>.`` by which
  the benchmark recognises a text whatever the extractor made of the page around it; one vendor in
  four rolls back to the previous text for a while (A -> B -> A);
- the page bytes change without the text changing: a new site template every one to three years,
  and in some years two load-balanced builds that alternate from capture to capture (A/B digests);
- most captures are byte-identical to an earlier one: written as revisit records (status ``-``,
  ``warc/revisit``), as Heritrix writes them;
- seven vendors in ten move to https: the http URL is still captured now and then (one capture in
  five), as a 301 (Apache's body, naming the Location)
  to https (same urlkey) followed seconds later by the https capture;
- three in ten move the policy to ``/legal/privacy`` late in their history: the policy URL's captures
  are then 301s to the new URL (another urlkey), whose capture comes seconds later; the text may
  change at the move (then it is only reachable by following the redirect), never after it.

`Vendor.truth` is the set of revisions a tool must find; `Vendor.lower_bound()` the fewest requests
any client needs (see its docstring).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from html import escape

from crawler.wayback import surt
from crawler.localarchive import CaptureSpec, payload_digest

END = datetime(2024, 12, 31, tzinfo=timezone.utc)
HTML = {"Content-Type": "text/html; charset=utf-8"}

_SECTIONS = [
    ("Information We Collect",
     "As a visitor of our web site, you can engage in many activities without providing any personal information. "
     "However, {name} may ask you to register and provide information that personally identifies you, for instance "
     "when you register as a customer, download free evaluation software or order e-mail newsletters. We also "
     "collect your name, address, contact information and payment information when you purchase goods or services."),
    ("How We Use Information",
     "We use your personal information to deliver the software you request, to alert you to upgrades and updates, "
     "and to share with you special offers and updated information. We also use aggregate data to make the web site "
     "easier to use and to monitor web traffic and usage. Payment card numbers are only used for payment processing "
     "and are not retained for marketing purposes."),
    ("Disclosure of Personal Information",
     "{name} will not sell your personal information to anyone. We may share your information with agents who "
     "perform limited functions on our behalf, such as delivering packages and processing payments. Those agents "
     "have access to personal information needed to perform their functions, but may not use it for other purposes."),
    ("Security",
     "When you provide us with a payment card number and other sensitive information, {name} will take commercially "
     "reasonable steps to protect this information through a secure connection. Your information is stored on "
     "physically secured servers and protected using encryption, firewall and password protection."),
    ("Cookies",
     "{name} uses cookies to identify customers when they visit our web site. Cookies are small text files that a web "
     "site can send to your browser to be stored automatically on your computer. If you set your browser to reject "
     "cookies, you may be prevented access to certain parts of our web site."),
    ("Opt-Out",
     "We offer you the opportunity to choose not to receive communications from us. To do so, write to "
     "privacy@{domain} with the word UNSUBSCRIBE in the subject line, and give us your name and the information "
     "you wish to unsubscribe."),
]
_REVISIONS = [
    ("Children", "Our web site is not directed to children under the age of 13, and we do not knowingly collect "
     "personal information from children. If we learn that we have collected such information, we will delete it."),
    ("Analytics", "We use a web analytics service to understand how visitors use our web site. The service receives "
     "your IP address, shortened before it is stored, and the pages you visit; it keeps this data for {months} months."),
    ("International Transfers", "Personal information may be processed in countries other than the one you live in. "
     "When it leaves the European Economic Area we rely on standard contractual clauses approved by the Commission."),
    ("Your Rights", "You have the right to access, rectify and erase your personal data, to restrict or object to its "
     "processing, and to data portability. Write to privacy@{domain} to exercise these rights; we answer within {days} days."),
    ("Retention", "We keep personal data only as long as needed for the purposes above and delete account data "
     "within {months} months after an account is closed, unless the law requires us to keep it longer."),
    ("California Residents", "Residents of California may ask which categories of personal information we collected "
     "about them in the last twelve months. We do not sell personal information as the CCPA defines it."),
]


@dataclass
class Vendor:
    number: int
    domain: str
    policy_url: str
    specs: list[CaptureSpec]  # captures of every URL this vendor needs in the archive, any order
    truth: set[int]  # revisions a tool must find (reachable from the policy URL's captures)
    moved_to: str | None = None
    stats: dict = field(default_factory=dict)

    def lower_bound(self) -> tuple[int, int]:
        """(CDX requests, replays) the most economical client needs for this vendor.

        CDX: one page per policy URL (every history here is far under 10,000 rows). Replays: one per
        distinct payload digest among the policy URL's captures (a revisit carries its original's
        digest; a redirect's body names its Location, so one replay per distinct redirect); a redirect
        out of the listed urlkey (the move) adds two: the archive's 302 to the target's nearest capture, and
        the target's memento, which no listing of the policy URL shows.
        """
        key = surt(self.policy_url)
        digests, off_listing = set(), set()
        for spec in self.specs:
            if surt(spec.url) != key:
                continue
            digests.add(payload_digest(_body_bytes(spec)))
            if 300 <= spec.status < 400 and surt(spec.headers["Location"]) != key:
                off_listing.add(spec.headers["Location"])
        return 1, len(digests) + 2 * len(off_listing)


def _body_bytes(spec: CaptureSpec) -> bytes:
    return spec.body() if callable(spec.body) else spec.body


def vendor_domain(number: int) -> str:
    return f"vendor{number:04d}.com"


def policy_text(domain: str, name: str, revision: int, seed: int) -> list[tuple[str, str]]:
    """Revision `revision` of a vendor's policy as (heading, paragraph) sections."""
    rng = random.Random(f"{seed}:{domain}:text")
    months, days = rng.choice([12, 18, 24, 36]), rng.choice([30, 45])
    sections = [(h, p.format(name=name, domain=domain)) for h, p in _SECTIONS]
    for r in range(1, revision):
        heading, paragraph = _REVISIONS[(r - 1) % len(_REVISIONS)]
        sections.append((heading, paragraph.format(name=name, domain=domain, months=months + 6 * r, days=days)))
    sections.append(("Contact", f"Questions about this policy go to privacy@{domain}. "
                                f"Policy reference {domain} revision {revision}."))
    return sections


@lru_cache(maxsize=256)
def page(domain: str, revision: int, template: int, build: int, seed: int) -> bytes:
    """One archived page: navigation, cookie banner, the policy, a footer. `template` and `build` change
    the bytes around the same text (a redesign; a load-balanced build id in a script)."""
    name = f"Vendor {domain[6:10]} Software"
    sections = "\n".join(f"<h2>{escape(h)}</h2>\n<p>{escape(p)}</p>" for h, p in policy_text(domain, name, revision, seed))
    nav = "".join(f'<li><a href="/products/p{template}-{i}">Product {i}</a></li>' for i in range(40))
    links = "".join(f'<a href="/l/{i}">Link {i}</a> ' for i in range(30))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Privacy Policy | {escape(name)}</title>
<link rel="stylesheet" href="/css/site-{template}.css">
<script>window.__BUILD__ = "{template}.{build}"; window.dataLayer = window.dataLayer || [];</script></head>
<body class="template-{template}">
<div id="header"><a class="logo" href="/">{escape(name)}</a><ul class="nav">{nav}</ul></div>
<div id="cookie-notice" class="cookie-banner">We use cookies to improve your experience. <a href="#">Accept</a></div>
<div id="content"><h1>Privacy Policy</h1>
{sections}
</div>
<div id="footer">&copy; {2005 + template} {escape(name)}. All rights reserved. {links}</div>
</body></html>
""".encode("utf-8")


def moved_page(location: str) -> bytes:
    """Apache's body of a 301: it names the new location, so redirects to different places differ in digest."""
    return (f'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>301 Moved Permanently</title>\n'
            f'</head><body>\n<h1>Moved Permanently</h1>\n<p>The document has moved <a href="{escape(location)}">here</a>.</p>\n'
            f'</body></html>\n').encode()


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def vendor(number: int, seed: int = 1) -> Vendor:
    rng = random.Random(f"{seed}:{number}")
    domain = vendor_domain(number)
    http_url = f"http://www.{domain}/privacy"
    https_url = f"https://www.{domain}/privacy"
    legal_url = f"https://www.{domain}/legal/privacy"
    start = datetime(rng.randint(2006, 2012), rng.randint(1, 12), rng.randint(1, 28), tzinfo=timezone.utc)
    span = (END - start).total_seconds()
    count = rng.randint(200, 400)
    # Denser in later years; whole seconds, all distinct.
    offsets = sorted({int(span * rng.random() ** 0.7) for _ in range(count)})
    moments = [start + timedelta(seconds=s) for s in offsets]

    revisions = rng.randint(3, 6)
    change_at = sorted(rng.sample(range(1, len(moments) - 10), revisions - 1))
    rollback = None  # (from index, to index, revision shown again) for A -> B -> A
    if revisions >= 3 and rng.random() < 0.25:
        r = rng.randint(2, revisions)  # revision r gives way to r - 1 for a stretch after it starts
        begin_r = change_at[r - 2]
        next_r = change_at[r - 1] if r - 1 < len(change_at) else len(moments)
        begin = begin_r + max(1, (next_r - begin_r) // 3)
        end = min(begin + rng.randint(2, 6), next_r)
        if end > begin:
            rollback = (begin, end, r - 1)

    def revision_at(index: int) -> int:
        if rollback and rollback[0] <= index < rollback[1]:
            return rollback[2]
        return 1 + sum(1 for c in change_at if c <= index)

    https_from = None
    if rng.random() < 0.7:
        https_from = datetime(rng.randint(2014, 2018), rng.randint(1, 12), 1, tzinfo=timezone.utc)
    move_at = None
    if rng.random() < 0.3:
        move_at = int(len(moments) * rng.uniform(0.82, 0.92))
        # No change after the move; half the time a new text comes with it (reachable only by redirect).
        change_at = [c for c in change_at if c < move_at] + ([move_at] if rng.random() < 0.5 else [])
        if rollback and rollback[1] > move_at:
            rollback = None

    # Template epochs (a redesign every one to three years) and years with two alternating builds.
    template_years, year = [], start.year
    while year <= END.year:
        template_years.append(year)
        year += rng.randint(1, 3)
    ab_years = {y for y in range(start.year, END.year + 1) if rng.random() < 0.15}

    specs: list[CaptureSpec] = []
    truth: set[int] = set()
    redirects = same_key_redirects = 0
    for index, moment in enumerate(moments):
        revision = revision_at(index)
        template = sum(1 for y in template_years if y <= moment.year)
        build = rng.randint(0, 1) if moment.year in ab_years else 0
        body = (lambda d=domain, r=revision, t=template, b=build: page(d, r, t, b, seed))
        ts = _timestamp(moment)
        later = _timestamp(moment + timedelta(seconds=rng.randint(2, 9)))
        on_https = https_from is not None and moment >= https_from
        if move_at is not None and index >= move_at:
            old = https_url if on_https and rng.random() < 0.7 else http_url
            specs.append(CaptureSpec(old, ts, moved_page(legal_url), 301, {"Location": legal_url, "Content-Type": "text/html"}))
            specs.append(CaptureSpec(legal_url, later, body, 200, dict(HTML)))
            redirects += 1
        elif on_https and rng.random() < 0.2:
            specs.append(CaptureSpec(http_url, ts, moved_page(https_url), 301, {"Location": https_url, "Content-Type": "text/html"}))
            specs.append(CaptureSpec(https_url, later, body, 200, dict(HTML)))
            same_key_redirects += 1
        else:
            specs.append(CaptureSpec(https_url if on_https else http_url, ts, body, 200, dict(HTML)))
        truth.add(revision)
    result = Vendor(number, domain, http_url, specs, truth, legal_url if move_at is not None else None)
    result.stats = {"captures": len(moments), "revisions": len(truth), "rollback": rollback is not None,
                    "https": https_from is not None, "moved": move_at is not None,
                    "http_redirects": same_key_redirects, "move_redirects": redirects}
    return result


def vendors(count: int, seed: int = 1) -> list[Vendor]:
    return [vendor(n, seed) for n in range(1, count + 1)]


def all_specs(vendor_list: list[Vendor]) -> list[CaptureSpec]:
    """Every vendor's captures in timestamp order (the order captures are written to an archive)."""
    specs = [spec for v in vendor_list for spec in v.specs]
    specs.sort(key=lambda s: s.timestamp)
    return specs


def revision_of(text: str) -> tuple[str, int] | None:
    """(domain, revision) named by a text's reference line, None if the text has none."""
    import re

    match = re.search(r"Policy reference (vendor\d{4}\.com) revision (\d+)", text)
    return (match.group(1), int(match.group(2))) if match else None


def text_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# --- The volatile scenario: bytes that never repeat, a handful of texts ------------------------------


def volatile_vendor(number: int, seed: int = 1, captures: int | None = None, changes: int = 3) -> Vendor:
    """A vendor whose policy page carries a per-request token (a CSP nonce in `<head>`): every capture's
    bytes, and so its digest, are new, while the text changes `changes` times (K) in 2010-2020. Every
    third vendor has thousands of captures (a large site), the others 200. `stats["firsts"]` holds each
    revision's exact first capture, `stats["captures"]` n."""
    rng = random.Random(f"{seed}:volatile:{number}")
    domain = vendor_domain(number)
    url = f"https://www.{domain}/privacy"
    count = captures or (rng.randint(2000, 4000) if number % 3 == 0 else 200)
    start, end = datetime(2010, 1, 1, tzinfo=timezone.utc), datetime(2020, 12, 31, tzinfo=timezone.utc)
    span = int((end - start).total_seconds())
    offsets = sorted(rng.sample(range(span), count))
    change_at = sorted(rng.sample(range(1, count), changes))
    specs, firsts = [], {}
    for index, offset in enumerate(offsets):
        revision = 1 + sum(1 for c in change_at if c <= index)
        ts = _timestamp(start + timedelta(seconds=offset))
        firsts.setdefault(revision, ts)
        nonce = hashlib.sha1(f"{domain}:{ts}".encode()).hexdigest()[:16]
        body = (lambda d=domain, r=revision, n=nonce: page(d, r, 1, 0, seed).replace(
            b"<script>", f'<script nonce="{n}">window.__NONCE__ = "{n}"; '.encode(), 1))
        specs.append(CaptureSpec(url, ts, body, 200, dict(HTML)))
    result = Vendor(number, domain, url, specs, set(firsts))
    result.stats = {"captures": count, "revisions": len(firsts), "firsts": firsts, "changes": changes, "rollback": False,
                    "https": True, "moved": False, "http_redirects": 0, "move_redirects": 0}
    return result


def volatile_vendors(count: int, seed: int = 1, sizes: list[int] | None = None) -> list[Vendor]:
    """`count` volatile vendors; `sizes` overrides their capture counts (in turn)."""
    return [volatile_vendor(n, seed, sizes[(n - 1) % len(sizes)] if sizes else None) for n in range(1, count + 1)]


# --- The bare-domain scenario: the vendors above, found from their home pages --------------------


def home_page(domain: str, policy_path: str, year: int, variant: int) -> bytes:
    """A vendor's home page: products, news, and a footer whose "Privacy Policy" link names the policy."""
    name = f"Vendor {domain[6:10]} Software"
    news = "".join(f'<li><a href="/news/{year}-{i}">News {year}.{i}</a></li>' for i in range(variant % 5 + 3))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(name)}: software for everyone</title></head>
<body><div id="header"><a class="logo" href="/">{escape(name)}</a></div>
<div id="content"><h1>Welcome to {escape(name)}</h1><p>Our products make work easier.</p><ul>{news}</ul></div>
<div id="footer">&copy; {year} {escape(name)}. <a href="/terms">Terms of Use</a> <a href="{policy_path}">Privacy Policy</a></div>
</body></html>
""".encode("utf-8")


def with_home_pages(vendor_: Vendor, seed: int = 1) -> Vendor:
    """Adds the vendor's archived home page (twice a month or so over its policy's history; its bytes
    change with the news) linking to the policy URL of the time: /privacy, then /legal/privacy after a
    move. The policy's own captures are unchanged, so truth and lower bound stay those of `vendor_`."""
    rng = random.Random(f"{seed}:{vendor_.number}:home")
    policy_specs = sorted((s for s in vendor_.specs), key=lambda s: s.timestamp)
    first = datetime.strptime(policy_specs[0].timestamp, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    moved_at = next((s.timestamp for s in policy_specs if vendor_.moved_to and s.url == vendor_.moved_to), None)
    https_at = next((s.timestamp for s in policy_specs if s.url.startswith("https://")), None)
    specs, moment, variant = [], first - timedelta(days=20), 0
    while moment < END:
        ts = _timestamp(moment)
        scheme = "https" if https_at and ts >= https_at else "http"
        path = "/legal/privacy" if moved_at and ts >= moved_at else "/privacy"
        variant += rng.random() < 0.3  # news change now and then: the page's bytes change with it
        specs.append(CaptureSpec(f"{scheme}://www.{vendor_.domain}/", ts,
                                 (lambda d=vendor_.domain, p=path, y=moment.year, v=variant: home_page(d, p, y, v)),
                                 200, dict(HTML)))
        moment += timedelta(days=rng.randint(8, 22))
    extended = Vendor(vendor_.number, vendor_.domain, vendor_.policy_url, vendor_.specs + specs, vendor_.truth,
                      vendor_.moved_to, dict(vendor_.stats))
    extended.stats["home_pages"] = len(specs)
    return extended
