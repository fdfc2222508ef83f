"""crawler/extract.py on small pages written here: cleaning, decoding, title, fallback, refusals, dates, CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler import extract as ex
from crawler.extract import Document, decode_html, extract, find_policy_date, main

ROOT = Path(__file__).resolve().parents[1]

# A plain policy body, long and varied enough to be accepted on its own.
POLICY_PARAS = [
    "This privacy policy explains how Example Soft collects, uses and protects the personal information you give us when you use this website.",
    "We may collect your name, e-mail address and payment details when you buy a licence, and we use cookies to remember your preferences.",
    "We do not sell your personal data to third parties. Service providers that process payments receive only what they need.",
    "You may opt out of our newsletter at any time, and you have the right to access and correct the information we hold about you.",
    "We retain order records for seven years, as tax law requires, and server logs with your IP address for thirty days.",
    "Our services are not directed to children under thirteen, and we do not knowingly collect information from them.",
    "If you have questions about this policy, write to our data protection officer at the address below.",
]


def page(body: str, title: str = "Privacy Policy - Example Soft", head: str = "", charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>{title}</title>{head}</head>"
            f"<body><div id='nav'><a href='/'>Home</a> <a href='/buy'>Buy</a></div>{body}</body></html>")


def policy_body(extra: str = "", heading: str = "Privacy Policy") -> str:
    paras = "".join(f"<p>{p}</p>" for p in POLICY_PARAS)
    return f"<div class='content'><h1>{heading}</h1>{paras}{extra}</div>"


# -- Document ---------------------------------------------------------------------------------

def test_document_text_is_title_blank_line_body_newline():
    doc = Document(title="T", markdown="Body line.", is_policy=True, score=0.9, reason="r", policy_date=None)
    assert doc.text() == "# T\n\nBody line.\n"


def test_extract_keeps_headings_and_lists_as_markdown():
    extra = "<h2>What we collect</h2><ul><li>Your name and company name</li><li>Your e-mail address</li></ul>"
    doc = extract(page(policy_body(extra)).encode())
    assert doc.is_policy
    assert doc.title == "Privacy Policy - Example Soft"
    assert "## What we collect" in doc.markdown
    assert "  * Your name and company name\n  * Your e-mail address" in doc.markdown
    assert doc.text().startswith("# Privacy Policy - Example Soft\n\n")


def test_headings_kept_when_page_has_no_article_container():
    # trafilatura alone drops <h2> when no article/main container is found; mark_main supplies one
    body = "<div class='terms-view'>" + "".join(
        f"<h2>Section {i}</h2><p>{p}</p>" for i, p in enumerate(POLICY_PARAS)) + "</div>"
    doc = extract(page(body).encode())
    assert "## Section 3" in doc.markdown


def test_no_escaped_underscores_or_brackets_and_no_indented_code():
    extra = "<p>Contact the user_support team [weekdays] about my_account settings.</p><p>    Indented paragraph text here.</p>"
    md = extract(page(policy_body(extra)).encode()).markdown
    assert "user_support" in md and "[weekdays]" in md
    assert "\\_" not in md and "\\[" not in md
    assert "\n    Indented" not in md


def test_empty_layout_table_dropped():
    extra = "<table><tr><td></td><td>&nbsp;</td></tr></table>"
    md = extract(page(policy_body(extra)).encode()).markdown
    assert "|" not in md


# -- cleaning ---------------------------------------------------------------------------------

def test_wayback_toolbar_never_in_text():
    toolbar = ("<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id='wm-ipp'><p>INTERNET ARCHIVE Wayback Machine "
               "47 captures 2009 - 2014</p></div><!-- END WAYBACK TOOLBAR INSERT -->")
    head = "<script src='//archive.org/includes/athena.js'></script><link rel='stylesheet' href='/_static/css/banner-styles.css'>"
    doc = extract(page(toolbar + policy_body(), head=head).encode())
    assert "Wayback" not in doc.markdown and "captures" not in doc.markdown


def test_wm_ipp_element_removed_even_without_comments():
    bar = "<div id='wm-ipp-base'><div id='wm-ipp'><p>Wayback Machine toolbar text that must go</p></div></div>"
    assert "toolbar text" not in extract(page(bar + policy_body()).encode()).markdown


def test_cloudflare_email_decoded():
    # "info@example.com" XOR 0x42, as Cloudflare's email protection writes it
    key = 0x42
    hexed = f"{key:02x}" + "".join(f"{b ^ key:02x}" for b in b"info@example.com")
    extra = (f"<p>Write to <a href='/cdn-cgi/l/email-protection' class='__cf_email__' data-cfemail='{hexed}'>"
             f"[email&#160;protected]</a> or <a href='/cdn-cgi/l/email-protection#{hexed}'>"
             f"<span class='__cf_email__' data-cfemail='{hexed}'>[email&#160;protected]</span></a> today.</p>")
    md = extract(page(policy_body(extra)).encode()).markdown
    assert md.count("info@example.com") == 2
    assert "protected]" not in md


def test_cf_decode_rejects_garbage():
    assert ex._cf_decode("zz") is None
    assert ex._cf_decode("42") is None


def test_hidden_elements_removed():
    extra = ("<div style='display: none'>Secret display none text</div>"
             "<p hidden>Hidden attribute text</p>"
             "<p>Visible <span aria-hidden='true'>tooltip words</span> sentence about our data practices continues.</p>"
             "<div style='visibility:hidden'>Invisible visibility text</div>")
    md = extract(page(policy_body(extra)).encode()).markdown
    for gone in ("Secret display", "Hidden attribute", "tooltip words", "Invisible visibility"):
        assert gone not in md
    assert "Visible" in md


def test_cookie_banners_removed_but_big_blocks_named_cookie_kept():
    banner = ("<div id='cookie-banner'><p>We use cookies to improve your experience. Accept all?</p></div>"
              "<div class='onetrust-pc-dark-filter'><p>OneTrust preference centre text</p></div>")
    md = extract(page(banner + policy_body()).encode()).markdown
    assert "improve your experience" not in md and "OneTrust" not in md
    # a whole policy inside a container whose name looks like a banner is not thrown away
    big = f"<div class='cookie-notice'><h1>Privacy Policy</h1>{''.join(f'<p>{p}</p>' for p in POLICY_PARAS * 2)}</div>"
    assert "seven years" in extract(page(big).encode()).markdown


def test_framer_responsive_copies_keep_desktop_variant():
    variants = ("<div class='ssr-variant hidden-a'><p>Desktop text: we retain account data for 24 months after closure of the account.</p></div>"
                "<div class='ssr-variant hidden-b'><p>Mobile text: old copy of the retention paragraph for small screens.</p></div>")
    md = extract(page(policy_body(variants)).encode()).markdown
    assert "Desktop text" in md and "Mobile text" not in md


# -- decoding ---------------------------------------------------------------------------------

def test_charset_from_http_header_wins():
    body = "<html><head><meta charset='utf-8'></head><body>Stra\u00dfe \u00e9t\u00e9</body></html>".encode("cp1252")
    assert "Stra\u00dfe \u00e9t\u00e9" in decode_html(body, "text/html; charset=windows-1252")


def test_charset_from_meta_http_equiv_and_latin1_read_as_cp1252():
    html = "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'><p>\u201cQuoted\u201d M\u00fcller</p>"
    text = decode_html(html.encode("cp1252"))
    assert "\u201cQuoted\u201d M\u00fcller" in text


def test_shift_jis_meta():
    html = "<meta charset='shift_jis'><p>\u500b\u4eba\u60c5\u5831\u4fdd\u8b77\u65b9\u91dd</p>"
    assert "\u500b\u4eba\u60c5\u5831\u4fdd\u8b77\u65b9\u91dd" in decode_html(html.encode("shift_jis"))


def test_sniffing_without_any_declaration():
    text = ("<p>" + "Die Datenschutzerkl\u00e4rung regelt, wie wir Ihre personenbezogenen Daten verarbeiten. " * 5 + "</p>")
    assert "Datenschutzerkl\u00e4rung" in decode_html(text.encode("cp1252"))
    assert "Datenschutzerkl\u00e4rung" in decode_html(text.encode("utf-8"))


def test_mojibake_repaired_and_correct_text_untouched():
    assert "industry\u2019s premier" in decode_html("<p>the software industry\u00e2\u20ac\u2122s premier</p>".encode("utf-8"))
    good = "<p>Caf\u00e9 \u201cdonn\u00e9es\u201d \ufb01le \u00c2ge 5\u00a0\u20ac</p>"
    assert decode_html(good.encode("utf-8")) == good


# -- title ------------------------------------------------------------------------------------

def test_title_from_title_element():
    assert extract(page(policy_body(), title="  Kerio |\n Privacy ").encode()).title == "Kerio | Privacy"


def test_empty_title_falls_back_to_main_heading_then_default():
    assert extract(page(policy_body(heading="Our Privacy Notice"), title="").encode()).title == "Our Privacy Notice"
    body = "<div>" + "".join(f"<p>{p}</p>" for p in POLICY_PARAS) + "</div>"
    assert extract(page(body, title=" ").encode()).title == "Privacy Policy"


# -- fallback extractor -----------------------------------------------------------------------

def test_fallback_used_when_trafilatura_keeps_too_little(monkeypatch):
    monkeypatch.setattr(ex.trafilatura, "extract", lambda *a, **k: "Only one short line.")
    doc = extract(page(policy_body("<h2>Your rights</h2><ul><li>Access your data</li></ul>")).encode())
    assert "seven years" in doc.markdown  # the walk of the main container
    assert "## Your rights" in doc.markdown and "  * Access your data" in doc.markdown
    assert "Home" not in doc.markdown  # the container, not the whole page


def test_fallback_not_used_when_trafilatura_covers_the_container(monkeypatch):
    full = "\n\n".join(POLICY_PARAS)
    monkeypatch.setattr(ex.trafilatura, "extract", lambda *a, **k: full + "\n\nMARKER")
    assert "MARKER" in extract(page(policy_body()).encode()).markdown


# -- refusals ---------------------------------------------------------------------------------

NAV = "<ul><li><a href='/'>Home</a></li><li><a href='/products'>Products</a></li></ul>"
FOOTER = "<div class='footer'><a href='/privacy'>Privacy Policy</a> | <a href='/terms'>Terms</a> | &copy; 2012 Example</div>"


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
    assert not doc.is_policy and doc.score < ex.THRESHOLD
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
    assert doc.is_policy and doc.score >= ex.THRESHOLD and 0 <= doc.score <= 1
    assert doc.reason.startswith("policy:")


def test_long_policy_whose_title_has_a_refusal_word_is_kept():
    body = policy_body("".join(f"<p>{p}</p>" for p in POLICY_PARAS * 3))
    doc = extract(page(body, title="Privacy Policy - Fleet Maintenance Software").encode())
    assert doc.is_policy


# -- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("Last updated: March 3, 2021", "2021-03-03"),
    ("Effective as of 2019-05-25", "2019-05-25"),
    ("This policy is effective from 1st July 2012.", "2012-07-01"),
    ("Stand: 01.02.2020", "2020-02-01"),
    ("Dernière mise à jour : 12 mars 2020", "2020-03-12"),
    ("**Last Updated: 3/11/2025**", "2025-03-11"),
    ("Effective date: 25/05/2018", "2018-05-25"),
    ("Updated in May 2018", "2018-05-01"),
    ("Zuletzt aktualisiert am 3. März 2021", "2021-03-03"),
    ("Última actualización: 25 de mayo de 2018", "2018-05-25"),
    ("Last revised on Sept. 5, 2017", "2017-09-05"),
    ("Nach dem Stand der Technik 2020 schützen wir Daten.", None),
    ("Founded 2001-01-01, we value privacy.", None),
    ("Last updated: February 30, 2020", None),
])
def test_policy_date(text, iso):
    assert find_policy_date(text) == iso


def test_extract_sets_policy_date():
    doc = extract(page(policy_body("<p><em>Last updated: March 3, 2021</em></p>")).encode())
    assert doc.policy_date == "2021-03-03"


# -- command line -----------------------------------------------------------------------------

def test_main_prints_document_and_exits_0(tmp_path, capsys):
    f = tmp_path / "p.html"
    f.write_bytes(page(policy_body()).encode())
    assert main([str(f), "--url", "http://www.example.com/privacy"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Privacy Policy - Example Soft\n\n") and out.endswith("\n")
    assert out == extract(f.read_bytes(), url="http://www.example.com/privacy").text()
    assert err == ""


def test_main_refused_page_exits_3_with_reason_on_stderr(tmp_path, capsys):
    f = tmp_path / "404.html"
    f.write_bytes(page("<h1>Page not found</h1><p>Sorry.</p>", title="404").encode())
    assert main([str(f)]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "soft 404" in err


def test_main_unreadable_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.html")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "missing.html" in err


def test_main_help_has_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "example:" in capsys.readouterr().out


def test_module_runs_as_script(tmp_path):
    f = tmp_path / "p.html"
    f.write_bytes(page(policy_body()).encode())
    run = subprocess.run([sys.executable, "-m", "crawler.extract", str(f)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert run.stdout.startswith("# Privacy Policy - Example Soft\n\n")


def test_a_body_heading_equal_to_the_title_is_not_repeated():
    from crawler.extract import extract

    words = " ".join(["We collect personal data such as your e-mail address and use cookies to operate the service."] * 20)
    page = f"<html><head><title>Privacy Policy - Faasoft</title></head><body><article><h1>Privacy Policy - Faasoft</h1><p>{words}</p></article></body></html>"
    document = extract(page.encode())
    assert document.text().count("Privacy Policy - Faasoft") == 1
    other = page.replace("<h1>Privacy Policy - Faasoft</h1>", "<h1>Our Privacy Policy</h1>")
    assert extract(other.encode()).markdown.startswith("# Our Privacy Policy")
    # The title's own part, without the site's name, is the same heading said twice too.
    short = page.replace("<h1>Privacy Policy - Faasoft</h1>", "<h1>Privacy Policy</h1>")
    assert "# Privacy Policy\n" not in extract(short.encode()).markdown
