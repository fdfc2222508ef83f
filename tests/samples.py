"""Sample vendor histories: archived policy pages written for the demo and the tests.

The policy texts are shortened from the Kerio Technologies policy of the source extracts; the pages
around them carry what real captures carry (navigation, a cookie banner, a footer that changes with
each capture), so the same text arrives in different bytes.

`python -m tests.samples` (from the repository root) rebuilds the demo's WARC,
crawler/demo_data/demo.warc.gz, from kerio_history() and faasoft_history().
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path

from crawler.localarchive import write_warc

SECTIONS_2007 = [
    ("What Information We Collect",
     "As a visitor of our web site, you can engage in many activities without providing any personal "
     "information. However, Kerio Technologies may ask you to register and provide information that personally "
     "identifies you, for instance when you register as a customer, download free evaluation software or order "
     "e-mail newsletters. We also collect your name, address, contact information and credit card information "
     "when you purchase goods or services."),
    ("How We Use the Information We Collect",
     "We use your personal information to deliver the software you request, to alert you to upgrades and "
     "updates, and to share with you special offers and updated information. We also use aggregate data to make "
     "the web site easier to use and to monitor web traffic and usage. Credit card numbers are only used for "
     "payment processing and are not retained for marketing purposes."),
    ("Disclosure of Your Personal Information",
     "Kerio Technologies will not sell your personal information to anyone. We may share your information with "
     "agents who perform limited functions on our behalf, such as delivering packages and processing payments. "
     "Those agents have access to personal information needed to perform their functions, but may not use it for "
     "other purposes."),
    ("Security",
     "When you provide us with a credit card number and other sensitive information, Kerio Technologies will take "
     "commercially reasonable steps to protect this information through a secure connection. Your information is "
     "stored on physically secured servers and protected using encryption, firewall and password protection."),
    ("Cookies and Clear GIFs",
     "Kerio Technologies uses cookies to identify customers when they visit our web site. Cookies are small text "
     "files that a web site can send to your browser to be stored automatically on your computer. If you set your "
     "browser to reject cookies, you may be prevented access to certain parts of our web site."),
    ("Opt-Out",
     "We offer you the opportunity to choose not to receive communications from us. To do so, contact Kerio "
     "Technologies by e-mail at info@kerio.com with the word UNSUBSCRIBE in the subject line, and give us your name "
     "and the information you wish to unsubscribe."),
    ("Our Contact Information",
     "Our postal address is: Kerio Technologies, Inc., 111 W. Saint John Street, Suite 1100, San Jose, CA 95113, "
     "USA. You can also reach us by phone at 1-408-496-4500."),
]

CHILDREN = ("Children",
            "Our web site is not directed to children under the age of 13, and we do not knowingly collect personal "
            "information from children. If we learn that we have collected such information, we will delete it.")

NEW_ADDRESS = ("Our Contact Information",
               "Our postal address is: Kerio Technologies, Inc., 2350 Mission College Blvd., Suite 400, Santa Clara, "
               "CA 95054, USA. You can also reach us by phone at 1-408-496-4500.")

GDPR_SECTIONS = [
    ("Who We Are",
     "Kerio Technologies is the controller of the personal data described in this notice. This notice explains "
     "which personal data we process when you visit our web site or use our products, why we process it, and the "
     "rights you have under the General Data Protection Regulation."),
    ("Personal Data We Process",
     "We process account data (name, e-mail address, company), billing data (payment card details handled by our "
     "payment processor), licence and usage data of our products, and technical data such as IP addresses and "
     "browser information collected when you visit our web site."),
    ("Legal Bases and Purposes",
     "We process personal data to perform our contract with you, to comply with legal obligations, with your "
     "consent for marketing e-mails, and for our legitimate interest in securing and improving our services."),
    ("Your Rights",
     "You have the right to access, rectify and erase your personal data, to restrict or object to its processing, "
     "and to data portability. You may withdraw your consent at any time and lodge a complaint with a supervisory "
     "authority. Write to privacy@kerio.com to exercise these rights."),
    ("Retention",
     "We keep personal data only as long as needed for the purposes above, and delete account data within twelve "
     "months after an account is closed unless the law requires us to keep it longer."),
]


@dataclass(frozen=True)
class PolicyText:
    title: str
    sections: tuple
    updated: str


KERIO_A = PolicyText("Privacy Policy | Kerio", tuple(SECTIONS_2007), "This Privacy Policy was last updated November 20, 2007.")
KERIO_B = PolicyText("Privacy Policy | Kerio", tuple(SECTIONS_2007[:-1] + [CHILDREN, SECTIONS_2007[-1]]),
                     "This Privacy Policy was last updated March 1, 2011.")
KERIO_C = PolicyText("Privacy Policy | Kerio", tuple(SECTIONS_2007[:-1] + [CHILDREN, NEW_ADDRESS]),
                     "This Privacy Policy was last updated June 5, 2013.")
KERIO_D = PolicyText("Privacy Notice | Kerio", tuple(GDPR_SECTIONS), "Effective as of May 25, 2018.")


def policy_page(text: PolicyText, timestamp: str, variant: int = 0, company: str = "Kerio Technologies") -> bytes:
    """A whole archived page around a policy text. `variant` changes only the boilerplate (a footer counter,
    the navigation), so two variants have different bytes and digests but the same policy text."""
    year = timestamp[:4]
    sections = "\n".join(f"<h3>{escape(h)}</h3>\n<p>{escape(p)}</p>" for h, p in text.sections)
    nav_extra = f'<li><a href="/news/{variant}">News {variant}</a></li>' if variant else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(text.title)}</title>
<script src="/js/analytics.js"></script></head>
<body>
<div id="header"><ul class="nav"><li><a href="/">Home</a></li><li><a href="/products">Products</a></li>
<li><a href="/support">Support</a></li>{nav_extra}</ul></div>
<div id="cookie-notice" class="cookie-banner">We use cookies to improve your experience. <a href="#">Accept</a></div>
<div id="content"><h1>{escape(text.title.split(' | ')[0])}</h1>
{sections}
<p><em>{escape(text.updated)}</em></p>
</div>
<div id="footer">&copy; {year} {escape(company)}. All rights reserved. <a href="/privacy-policy">Privacy</a>
<a href="/terms">Terms</a><!-- served at {timestamp} --></div>
</body></html>
""".encode("utf-8")


def capture(url: str, timestamp: str, body: bytes = b"", status: int = 200, location: str | None = None) -> dict:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if location:
        headers = {"Location": location, "Content-Type": "text/html"}
    return {"url": url, "timestamp": timestamp, "body": body, "status": status, "headers": headers}


# (first, last) capture of each of kerio_history()'s four versions, as a backfill stores them.
KERIO_VERSION_SPANS = [
    ("20080301101500", "20120930080000"),
    ("20110310090000", "20111201090000"),
    ("20130610100000", "20160601100004"),
    ("20180525120000", "20200601120000"),
]


def kerio_history() -> list[dict]:
    """30 captures of www.kerio.com/privacy-policy holding 4 distinct texts in the order A A B B A C D D:
    same text in new bytes, an exact repeat, a return of the first text, an http -> https redirect and a
    move to /legal/privacy by redirect. 4 versions, 5 changes."""
    url = "http://www.kerio.com/privacy-policy"
    https = "https://www.kerio.com/privacy-policy"
    legal = "https://www.kerio.com/legal/privacy"
    a, b, c, d = KERIO_A, KERIO_B, KERIO_C, KERIO_D
    captures = []
    # A, 2008-2010: six captures, two of them byte-identical and adjacent (collapse=digest drops one).
    page_a0 = policy_page(a, "20080301000000")
    captures += [capture(url, "20080301101500", page_a0), capture(url, "20080602111500", page_a0)]
    captures += [capture(url, ts, policy_page(a, ts, i + 1)) for i, ts in
                 enumerate(["20081015080000", "20090220093000", "20090917120000", "20100405170000"])]
    # B, 2011: six captures.
    captures += [capture(url, ts, policy_page(b, ts, i)) for i, ts in
                 enumerate(["20110310090000", "20110502090000", "20110704090000", "20110812090000",
                            "20111003090000", "20111201090000"])]
    # A again (a rollback), 2012: five captures.
    captures += [capture(url, ts, policy_page(a, ts, i + 10)) for i, ts in
                 enumerate(["20120110080000", "20120315080000", "20120512123106", "20120720080000", "20120930080000"])]
    # C, 2013-2016: five captures, then the site moves to https (the http URL redirects; same urlkey).
    captures += [capture(url, ts, policy_page(c, ts, i + 20)) for i, ts in
                 enumerate(["20130610100000", "20140110100000", "20140801100000", "20150301100000", "20160104100000"])]
    captures += [capture(url, "20160601100000", status=301, location=https),
                 capture(https, "20160601100004", policy_page(c, "20160601100004", 30))]
    # D, 2018-2020: the GDPR rewrite; in 2019 the policy moves to /legal/privacy by redirect.
    captures += [capture(https, ts, policy_page(d, ts, i + 40)) for i, ts in
                 enumerate(["20180525120000", "20180901120000", "20190115120000"])]
    captures += [capture(https, "20190601120000", status=301, location=legal),
                 capture(legal, "20190601120007", policy_page(d, "20190601120007", 50))]
    captures += [capture(https, ts, policy_page(d, ts, i + 60)) for i, ts in
                 enumerate(["20191201120000", "20200601120000"])]
    captures = [c for c in captures if c["url"] != legal]  # counted below: not a capture of the policy URL
    assert len(captures) == 30, len(captures)
    return captures + [capture(legal, "20190601120007", policy_page(d, "20190601120007", 50))]


# What the tests and the demo expect of kerio_history(): the changes, with the first capture of each.
KERIO_CHANGES = [
    ("20080301101500", KERIO_A),
    ("20110310090000", KERIO_B),
    ("20120110080000", KERIO_A),
    ("20130610100000", KERIO_C),
    ("20180525120000", KERIO_D),
]


FAASOFT_A = PolicyText(
    "Privacy Policy - Faasoft",
    (
        ("1. What Information and How do we Collect?",
         "We are not inclined to collect your personal information, but your full name, email address, mailing "
         "address, phone number, credit card number, and credit card expiration date are required when you place "
         "an order on our website. You will also provide your name and email address when you write to us."),
        ("2. Cookies",
         "We use cookies to make better sense of what services are valuable to our customers. A cookie is a small "
         "text file that a website writes to your hard drive so that the site can recognise you on a later visit."),
        ("3. How do we Protect your Information?",
         "Your credit card information is protected during the ordering process, and your personal information is "
         "kept on secured servers. We will not share or publish your personal information to any third party."),
    ),
    "This policy is effective from June 1, 2015.",
)
FAASOFT_B = PolicyText(
    "Privacy Policy - Faasoft",
    FAASOFT_A.sections + (
        ("4. Your Rights",
         "You may ask us at any time to access, correct or delete the personal information we hold about you, by "
         "writing to support@faasoft.com. We answer every request within thirty days."),
    ),
    "This policy is effective from May 25, 2018.",
)
SOFT_404 = b"""<!DOCTYPE html><html><head><title>Faasoft</title></head><body>
<div class="nav"><a href="/">Home</a> <a href="/products">Products</a></div>
<h1>404 Not Found</h1><p>Sorry, the page you requested could not be found. It may have been moved or deleted.</p>
<div id="footer">&copy; Faasoft. <a href="/privacy.html">Privacy Policy</a></div></body></html>"""


def faasoft_history() -> list[dict]:
    """8 captures of www.faasoft.com/privacy.html: two texts, and a soft-404 page in between."""
    url = "http://www.faasoft.com/privacy.html"
    page = lambda text, ts, i: policy_page(text, ts, i, "Faasoft")  # noqa: E731
    captures = [capture(url, ts, page(FAASOFT_A, ts, i)) for i, ts in
                enumerate(["20150704080000", "20160210080000", "20161105080000"])]
    captures.append(capture(url, "20170301080000", SOFT_404))
    captures += [capture(url, ts, page(FAASOFT_B, ts, i + 10)) for i, ts in
                 enumerate(["20180629153317", "20181201080000", "20190801080000", "20200301080000"])]
    return captures


def vendor_domain(number: int) -> str:
    return f"vendor{number:04d}.com"


def vendor_text(number: int, version: int) -> PolicyText:
    """Version `version` of vendor `number`'s policy: the Kerio sections with the vendor's name, plus
    one clause per version so that each version reads differently."""
    name = f"Vendor {number:04d} Software"
    sections = tuple((h, p.replace("Kerio Technologies", name).replace("Kerio", name)) for h, p in SECTIONS_2007)
    clauses = tuple((f"Changes in revision {v}", f"Revision {v} of this policy changes how {name} keeps "
                     f"support tickets: they are now deleted after {12 * v} months.") for v in range(1, version + 1))
    return PolicyText(f"Privacy Policy | {name}", sections + clauses, f"This policy was last updated in revision {version}.")


def vendor_history(number: int, captures: int = 8, texts: int = 2, start_year: int = 2010, years: int = 8) -> list[dict]:
    """`captures` captures of www.vendorNNNN.com/privacy spread over `years` years, going through `texts`
    texts in order; every capture's bytes differ (a new footer), so each needs reading."""
    url = f"http://www.{vendor_domain(number)}/privacy"
    result = []
    for index in range(captures):
        seconds = int(index * years * 365.25 * 86400 / max(captures, 1))
        day = datetime(start_year, 1, 1, 12, tzinfo=timezone.utc) + timedelta(seconds=seconds, minutes=number)
        ts = day.strftime("%Y%m%d%H%M%S")
        version = 1 + index * texts // captures
        page = policy_page(vendor_text(number, version), ts, index, f"Vendor {number:04d} Software")
        result.append(capture(url, ts, page))
    return result


# --- Discovery fixtures: vendors known only by their domain ----------------------------------------
#
# Whole archived sites (home pages twice a year, policy pages, redirects, other pages) for the
# end-to-end tests of finding the policy from a bare domain (crawler/discovery.py). Each docstring
# says what discovery should conclude.


def discovery_text(company: str, version: int, title: str = "Privacy Policy") -> PolicyText:
    """Version `version` of a policy of `company`: the Kerio sections under its name, one clause per version."""
    sections = tuple((h, p.replace("Kerio Technologies", company).replace("Kerio", company)) for h, p in SECTIONS_2007)
    clauses = tuple((f"Changes in version {v}", f"Version {v} of this policy changes how {company} keeps support "
                     f"tickets: they are now deleted after {6 * v} months.") for v in range(1, version + 1))
    return PolicyText(f"{title} | {company}", sections + clauses, f"This policy was last updated in version {version}.")


def discovery_home_page(company: str, timestamp: str, links: list[tuple[str, str]]) -> bytes:
    """An archived home page with a navigation bar and a footer holding `links` ((href, anchor text)).
    The timestamp is written in the page, so every capture has its own bytes."""
    footer = " | ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in links)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(company)} - Software for teams</title></head>
<body>
<div id="header"><ul class="nav"><li><a href="/">Home</a></li><li><a href="/products">Products</a></li>
<li><a href="/blog/">Blog</a></li><li><a href="/about">About us</a></li></ul></div>
<div id="content"><h1>{escape(company)}</h1><p>Software that keeps your team's work in one place.</p>
<p><a href="/products">See our products</a> or <a href="mailto:sales@example.com">write to sales</a>.</p></div>
<div id="footer">&copy; {timestamp[:4]} {escape(company)}. {footer}<!-- served at {timestamp} --></div>
</body></html>
""".encode("utf-8")


def _twice_a_year(first_year: int, last_year: int) -> list[str]:
    return [f"{year}{month}15120000" for year in range(first_year, last_year + 1) for month in ("01", "07")]


def moving_vendor_history() -> list[dict]:
    """movingvendor.com, 2005-2020: the policy moved three times, the last move findable only from the home page.

    - /privacy.html: live 2005-03..2010-02 (versions 1, 2), then a 301 to /privacy-policy (2010-09, 2013-03);
    - /privacy-policy: live 2010-08..2014-12 (versions 2, 3), then a 301 to /legal/privacy (2015-09, 2017-02);
    - /legal/privacy: live 2015-08..2016-05 (version 3), then archived 404s (2016-10, 2018-03);
    - https://www.movingvendor.com/company/trust-center/data-handling.html: live 2016-08..2020-06 (version 4),
      a URL no policy regex guesses; the home page links it as "Privacy Notice" next to a "Cookie Policy".
    Home pages: 15 January and 15 July of each year, linking the policy URL of their era ("Privacy",
    then "Privacy Policy", then "Privacy Statement", then "Privacy Notice"); https from 2016.
    Also a blog post about privacy and a cookie page, which are not the policy.
    Discovery should give four eras: /privacy.html, /privacy-policy, /legal/privacy (home page and CDX)
    and data-handling.html (home page only), each version being read from its own era's URL."""
    company = "MovingVendor Inc."
    www, secure = "http://www.movingvendor.com", "https://www.movingvendor.com"
    handling = f"{secure}/company/trust-center/data-handling.html"
    captures = []
    for ts in _twice_a_year(2005, 2020):
        if ts < "20100701":
            links = [("/privacy.html", "Privacy"), ("/terms", "Terms of Use")]
        elif ts < "20150701":
            links = [("/privacy-policy", "Privacy Policy"), ("/terms", "Terms of Use")]
        elif ts < "20160701":
            links = [("/legal/privacy", "Privacy Statement"), ("/terms", "Terms of Use")]
        else:
            links = [("/legal/cookies", "Cookie Policy"), (handling, "Privacy Notice"), ("/terms", "Terms of Use")]
        home = secure + "/" if ts >= "2016" else www + "/"
        captures.append(capture(home, ts, discovery_home_page(company, ts, links)))

    def page(url: str, ts: str, version: int, i: int) -> dict:
        return capture(url, ts, policy_page(discovery_text(company, version), ts, i, company))

    old, middle, legal = f"{www}/privacy.html", f"{www}/privacy-policy", f"{www}/legal/privacy"
    captures += [page(old, ts, v, i) for i, (ts, v) in enumerate(
        [("20050310080000", 1), ("20060512080000", 1), ("20070820080000", 1), ("20081014080000", 2),
         ("20090611080000", 2), ("20100203080000", 2)])]
    captures += [capture(old, ts, status=301, location=middle) for ts in ("20100905080000", "20130304080000")]
    captures += [page(middle, ts, v, i + 10) for i, (ts, v) in enumerate(
        [("20100812080000", 2), ("20110615080000", 2), ("20120918080000", 3), ("20131120080000", 3),
         ("20141210080000", 3)])]
    captures += [capture(middle, ts, status=301, location=legal) for ts in ("20150908080000", "20170202080000")]
    captures += [page(legal, ts, 3, i + 20) for i, ts in enumerate(["20150810080000", "20160112080000", "20160520080000"])]
    not_found = b"<html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"
    captures += [capture(legal, ts, not_found, status=404) for ts in ("20161004080000", "20180305080000")]
    captures += [page(handling, ts, 4, i + 30) for i, ts in enumerate(
        ["20160811080000", "20170614080000", "20180619080000", "20190618080000", "20200616080000"])]
    blog = ("<html><head><title>GDPR and your privacy</title></head><body><h1>GDPR and your privacy</h1>"
            "<p>What the new rules change for our customers.</p></body></html>").encode()
    captures.append(capture(f"{secure}/blog/2018/05/gdpr-and-your-privacy", "20180530080000", blog))
    cookies = b"<html><head><title>Cookie Policy</title></head><body><h1>Cookie Policy</h1><p>We use cookies.</p></body></html>"
    captures.append(capture(f"{secure}/legal/cookies", "20170101080000", cookies))
    return captures


def two_host_vendor_history() -> list[dict]:
    """twohostvendor.com, 2012-2020: its own /privacy all along, and from 2016 its parent company's policy.

    - http://www.twohostvendor.com/privacy: live 2012-03..2020-05 (versions 1, 2);
    - https://www.parentgroup.com/privacy: live 2016-09..2020-04 (the group's policy), on a host a CDX
      query over twohostvendor.com cannot see: from 2016 the home page's footer links it as "Privacy Policy";
    - http://support.twohostvendor.com/privacy: the support site's page, 2014 and 2015: a weak candidate.
    Home pages twice a year: "Privacy" -> /privacy until 2015, "Privacy Policy" -> the parent's page from 2016.
    Discovery should give two eras holding together in 2016-2020: www.twohostvendor.com/privacy (CDX and
    home page) and www.parentgroup.com/privacy (home page only); not the support page."""
    company, parent = "TwoHost Vendor", "Parent Group"
    own = "http://www.twohostvendor.com/privacy"
    group = "https://www.parentgroup.com/privacy"
    captures = []
    for ts in _twice_a_year(2012, 2020):
        links = [("/privacy", "Privacy")] if ts < "2016" else [(group, "Privacy Policy")]
        captures.append(capture("http://www.twohostvendor.com/", ts, discovery_home_page(company, ts, links + [("/terms", "Terms")])))
    captures += [capture(own, ts, policy_page(discovery_text(company, v), ts, i, company)) for i, (ts, v) in enumerate(
        [("20120305080000", 1), ("20130407080000", 1), ("20140509080000", 1), ("20160611080000", 2),
         ("20180713080000", 2), ("20200515080000", 2)])]
    captures += [capture(group, ts, policy_page(discovery_text(parent, 1), ts, i, parent)) for i, ts in enumerate(
        ["20160905080000", "20180120080000", "20200410080000"])]
    support = ("<html><head><title>Support privacy</title></head><body><h1>Support site privacy</h1>"
               "<p>See our main privacy policy.</p></body></html>").encode()
    captures += [capture("http://support.twohostvendor.com/privacy", ts, support) for ts in ("20140101080000", "20150101080000")]
    return captures


def no_policy_vendor_history() -> list[dict]:
    """nopolicyvendor.com, 2014-2018: a site with pages, a cookie policy and terms, but no privacy policy.
    Home pages link "Terms of Use", "Cookie Policy" and "Contact". Discovery should find nothing and
    say so in the summary ("no privacy policy found in the archive")."""
    company = "NoPolicy Vendor"
    base = "http://www.nopolicyvendor.com"
    links = [("/terms", "Terms of Use"), ("/cookie-policy", "Cookie Policy"), ("/contact", "Contact")]
    captures = [capture(base + "/", ts, discovery_home_page(company, ts, links)) for ts in _twice_a_year(2014, 2018)]
    for path, title in (("/products", "Products"), ("/about", "About us"), ("/terms", "Terms of Use"),
                        ("/cookie-policy", "Cookie Policy"), ("/contact", "Contact")):
        body = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{company}.</p></body></html>".encode()
        captures += [capture(base + path, ts, body) for ts in ("20140310080000", "20160310080000")]
    return captures


def soft404_vendor_history() -> list[dict]:
    """soft404vendor.com, 2015-2019: the home page links "Privacy Policy" -> /privacy, and /privacy answers a
    "page not found" page with status 200 every time (identical bytes: later captures are revisits).
    Discovery proposes /privacy (it cannot read pages); extraction must refuse every capture, so the
    vendor ends with no version."""
    company = "Soft404 Vendor"
    base = "http://www.soft404vendor.com"
    captures = [capture(base + "/", ts, discovery_home_page(company, ts, [("/privacy", "Privacy Policy"), ("/terms", "Terms")]))
                for ts in _twice_a_year(2015, 2019)]
    not_found = SOFT_404.replace(b"Faasoft", company.encode()).replace(b"/privacy.html", b"/privacy")
    captures += [capture(base + "/privacy", ts, not_found) for ts in
                 ("20150402080000", "20160402080000", "20170402080000", "20180402080000", "20190402080000")]
    return captures


def redirect_vendor_history() -> list[dict]:
    """redirectvendor.com, 2010-2018: the home page (archived until 2013 only) links /privacy.html; from 2014
    /privacy.html answers a 301 to /company/gdpr-notice.html, a URL neither the index's policy pattern nor
    any archived home page names: only following the redirect finds it."""
    company = "Redirect Vendor"
    old, new = "http://www.redirectvendor.com/privacy.html", "https://www.redirectvendor.com/company/gdpr-notice.html"
    captures = [capture("http://www.redirectvendor.com/", ts, discovery_home_page(company, ts, [("/privacy.html", "Privacy Policy")]))
                for ts in _twice_a_year(2010, 2013)]
    captures += [capture(old, ts, policy_page(discovery_text(company, 1), ts, i, company))
                 for i, ts in enumerate(("20100301080000", "20110301080000", "20120301080000", "20130301080000"))]
    captures += [capture(old, ts, status=301, location=new) for ts in ("20140301080000", "20160301080000")]
    captures += [capture(new, ts, policy_page(discovery_text(company, 2, "Privacy Notice"), ts, i, company))
                 for i, ts in enumerate(("20140301080005", "20150601080000", "20160301080004", "20180601080000"))]
    return captures


def volatile_history(count: int = 120) -> list[dict]:
    """`count` captures of www.volatile-vendor.com/privacy, every 30 days from 2008, whose bytes all
    differ (the serving time in the page: a per-request token) except B's, which two load-balanced
    builds serve byte for byte in turn (its digests repeat). Texts A B A C D: a rollback to A, 4
    versions, 5 changes (VOLATILE_CHANGES, as capture indices)."""
    url = "http://www.volatile-vendor.com/privacy"
    start = datetime(2008, 1, 5, 10, 0, tzinfo=timezone.utc)
    captures = []
    for k in range(count):
        ts = (start + timedelta(days=30 * k)).strftime("%Y%m%d%H%M%S")
        text = _volatile_text(k, count)
        if text is KERIO_B:
            body = policy_page(text, f"2011build{k % 2}", company="Volatile Vendor")
        else:
            body = policy_page(text, ts, company="Volatile Vendor")
        captures.append(capture(url, ts, body))
    return captures


def _volatile_text(k: int, count: int) -> PolicyText:
    a, b, c = VOLATILE_CHANGES[1:4]
    return (KERIO_A if k < a else KERIO_B if k < b else KERIO_A if k < c else
            KERIO_C if k < VOLATILE_CHANGES[4] * count // 120 else KERIO_D)


VOLATILE_CHANGES = [0, 30, 40, 70, 100]  # first capture of each change in volatile_history(120)


DEMO_WARC = Path(__file__).resolve().parent.parent / "crawler" / "demo_data" / "demo.warc.gz"


def build_demo_warc(path: Path = DEMO_WARC) -> Path:
    """Writes the demo WARC (run after changing kerio_history or faasoft_history)."""
    write_warc(path, kerio_history() + faasoft_history())
    return path


if __name__ == "__main__":
    print(f"wrote {build_demo_warc()}")
