"""The policy decision: refusals by kind, too short, no vocabulary, home page, accepted."""

from __future__ import annotations

import pytest

from crawler.extract import THRESHOLD, extract

from tests.extract.pages import FOOTER, NAV, POLICY_PARAS, page, policy_body  # noqa: F401


@pytest.mark.parametrize("title, body, expected", [
    ("Page not found - Example", "<h1>Oops</h1><p>The page you requested could not be found. It may have been moved or deleted.</p>", "soft 404"),
    ("Fehler", "<h1>Seite nicht gefunden</h1><p>Die Adresse existiert nicht mehr. Bitte nutzen Sie die Suche.</p>", "soft 404"),
    ("Privacy Policy - Page Moved", "<h2>This page has moved</h2><p>Our privacy policy has moved to a new address. You will be redirected.</p>", "page has moved"),
    ("Document déplacé", "<h1>Cette page a été déplacée</h1><p>Le document se trouve désormais ailleurs.</p>", "page has moved"),
    ("example-soft.com", "<h1>example-soft.com</h1><p>This domain may be for sale! Buy this domain today.</p><h2>Related Searches</h2>", "parked domain"),
    ("Sign In - CloudDesk", "<h1>Sign in to your account</h1><form><input name='email'><input type='password'></form><p><a href='/r'>Forgot your password?</a></p>", "login page"),
    ("Before you continue", "<h1>Before you continue</h1><p>We use cookies and data to deliver our services and personalised ads. Accept all or reject all.</p>", "cookie wall"),
    ("Taskly", "<noscript>You need to enable JavaScript to run this app.</noscript><div id='root'></div>", "JavaScript shell"),
    ("403 Forbidden", "<h1>Forbidden</h1><p>You don't have permission to access /privacy.php on this server.</p>", "error page"),
])
def test_refused_kinds(title, body, expected):
    doc = extract(page(NAV + body + FOOTER, title=title).encode())
    assert not doc.is_policy and doc.score < THRESHOLD
    assert doc.reason.startswith(expected)


def test_too_short_page_refused():
    doc = extract(page("<div><h1>Privacy</h1><p>We respect your privacy and protect your personal data.</p></div>").encode())
    assert not doc.is_policy
    assert doc.reason.startswith("too short:")


def test_article_without_privacy_vocabulary_refused():
    text = "".join(f"<p>The river flooded the old town again in spring, and volunteers {i} filled sandbags along the quay for three days.</p>" for i in range(12))
    doc = extract(page(f"<article><h1>Floods</h1>{text}</article>{FOOTER}", title="Floods return to the old town").encode())
    assert not doc.is_policy
    assert doc.reason == "no privacy vocabulary"


def test_home_page_served_at_policy_url_refused():
    text = "".join(f"<p>WinOptimizer {i} cleans your system, speeds up startup and removes clutter in one click; trusted by millions of users.</p>" for i in range(10))
    body = f"<div class='main'><h1>Your PC. Faster, cleaner.</h1>{text}<p>We never share your e-mail address with third parties.</p></div>{FOOTER}"
    doc = extract(page(body, title="BrightTools - PC software").encode(), url="http://www.brighttools.com/")
    assert not doc.is_policy
    assert doc.reason == "home page, not a policy"


def test_policy_accepted_with_reason_and_score():
    doc = extract(page(policy_body()).encode(), url="http://www.example.com/privacy.html")
    assert doc.is_policy and doc.score >= THRESHOLD and 0 <= doc.score <= 1
    assert doc.reason.startswith("policy:")


def test_long_policy_whose_title_has_a_refusal_word_is_kept():
    body = policy_body("".join(f"<p>{p}</p>" for p in POLICY_PARAS * 3))
    doc = extract(page(body, title="Privacy Policy - Fleet Maintenance Software").encode())
    assert doc.is_policy
