"""The policy decision: refusals by kind, too short, no vocabulary, home page, accepted."""

from __future__ import annotations

import pytest

from crawler.extract import THRESHOLD, extract

from tests.extract.pages import FOOTER, NAV, POLICY_PARAS, page, policy_body


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


SHORT_POLICY = (
    "TinyZip respects your privacy. When you buy a licence we collect your name, e-mail address and country, which "
    "our payment processor needs to complete the order; we never see your card number. We use your e-mail address only "
    "to send your licence key and, if you opt in, news about updates; you can unsubscribe at any time. Our website uses "
    "cookies only to keep your shopping cart. We do not sell, rent or share personal information with third parties "
    "except as required by law. Server logs with IP addresses are deleted after 30 days. Questions: privacy@tinyzip.example.")


def test_a_real_short_policy_is_accepted():
    # small vendors' one-paragraph policies: about 100 words, below MIN_WORDS, but plainly a policy
    doc = extract(page(f"<div class='content'><h1>Privacy Policy</h1><p>{SHORT_POLICY}</p></div>{FOOTER}").encode())
    assert 80 < len(doc.markdown.split()) < 120
    assert doc.is_policy, doc.reason


def test_a_short_page_with_few_policy_topics_is_refused():
    text = ("Thanks for your message. We read every e-mail and answer within two working days. In the meantime you can "
            "browse the forum, where other users share tips about the program, or read the manual online. ") * 2
    doc = extract(page(f"<div><h1>Contact</h1><p>{text}</p><p>Your privacy matters to us.</p></div>").encode())
    assert not doc.is_policy and doc.reason.startswith("too short:")


def test_a_stub_is_refused_whatever_its_words():
    doc = extract(page("<div><p>Privacy: we collect personal data, use cookies, share with third parties; opt out by e-mail.</p></div>").encode())
    assert not doc.is_policy and doc.reason.startswith("too short:")


NEWS = [
    "By Martin Cole, Staff Reporter. Published March 4, 2014",
    "SnapCove, the photo-sharing app, quietly updated its privacy policy on Monday, and the changes allow the company "
    "to share personal information with advertising partners, privacy advocates said.",
    "The new policy says SnapCove may collect users' location and contacts and disclose them to third parties. The "
    "previous version promised that personal data would never be sold.",
    "\"Users were not asked for consent,\" said Jane Holt, a lawyer at a digital rights group.",
    "A SnapCove spokeswoman told the paper that users can opt out of targeted advertising in the settings, and that "
    "cookies and data are handled as the policy describes. Data may be retained for 90 days, she said.",
    "Regulators have fined similar apps for collecting children's data, according to a report published last year.",
]


def test_a_news_story_about_a_privacy_policy_is_refused():
    body = "<article><h1>Photo app's new privacy policy lets it share your data</h1>" + "".join(f"<p>{p}</p>" for p in NEWS) + "</article>"
    doc = extract(page(body, title="Photo app's new privacy policy lets it share your data | TechDaily").encode())
    assert not doc.is_policy
    assert doc.reason.startswith("about a policy, not one")


def test_a_press_release_announcing_a_policy_is_refused():
    paras = [
        "FOR IMMEDIATE RELEASE",
        "SAN JOSE, May 21, 2018 -- Vexor Systems today announced the Vexor Privacy Center and an updated privacy policy "
        "ahead of the General Data Protection Regulation.",
        "\"Trust is the foundation of our business,\" said Ellen Marsh, Chief Executive Officer of Vexor.",
        "The Privacy Center lets customers download their personal data and opt out of marketing e-mails; the policy "
        "describes the third parties Vexor works with, its use of cookies and how long data is retained.",
    ]
    body = "<div class='pr'><h1>Vexor announces new Privacy Center</h1>" + "".join(f"<p>{p}</p>" for p in paras * 2) + "</div>"
    doc = extract(page(body, title="Vexor announces Privacy Center and updated Privacy Policy").encode())
    assert not doc.is_policy and doc.reason.startswith("about a policy, not one")


def test_a_policy_that_quotes_once_is_still_a_policy():
    extra = "<p>As our founder said when we started, we never sell your data.</p>"
    assert extract(page(policy_body(extra)).encode()).is_policy


def test_a_privacy_tool_product_page_is_refused():
    # privacy vocabulary and a privacy title, but it states nothing its author does with data
    paras = ["Protect your privacy online. PrivacyGuard deletes cookies, browsing history and temporary files in one click, "
             "blocks third-party trackers and web beacons and stops apps from sending your personal data.",
             "Cleans 50 browsers, shreds files, hides your IP address with the built-in VPN, removes tracking cookies "
             "and opts you out of data brokers. Rated the best privacy tool of the year. Buy now or download the free trial."]
    doc = extract(page("<div class='product'><h1>PrivacyGuard 4</h1>" + "".join(f"<p>{p}</p>" for p in paras * 2) + "</div>",
                       title="PrivacyGuard - Erase your tracks, protect your privacy").encode())
    assert not doc.is_policy and doc.reason.startswith("no statement of what is done with data")


def test_a_policy_generator_page_is_refused_by_its_title():
    body = policy_body()  # policy-like sample text, as such pages show
    doc = extract(page(body, title="Free Privacy Policy Generator - PolicyMaker").encode())
    assert not doc.is_policy and doc.reason.startswith("about policies, not one")


def test_a_third_person_policy_is_accepted():
    text = ("Orchard Utilities respects the privacy of its customers. Personal information such as name and e-mail address "
            "is collected only when a licence is bought or support is requested, and is used only for those purposes. It is "
            "never sold or rented to third parties. The website does not use cookies, and server logs with IP addresses are "
            "kept for thirty days. Customers may ask for their information to be corrected or deleted.")
    doc = extract(page(f"<div><h1>Privacy Policy</h1><p>{text}</p></div>").encode())
    assert doc.is_policy, doc.reason
