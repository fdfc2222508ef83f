"""Cleaning the tree: toolbar, e-mail protection, hidden elements, banners, responsive copies."""

from __future__ import annotations

from crawler.extract import clean, extract

from tests.extract.pages import POLICY_PARAS, page, policy_body


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
    assert clean._cf_decode("zz") is None
    assert clean._cf_decode("42") is None


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


def test_bold_lines_between_breaks_are_kept_as_paragraphs():
    # old layouts: section headings as <b> lines between <br>s, loose in a <div>
    body = "<div class='text'><br><b>What information do we collect?</b><br><br>" + "<br><br>".join(POLICY_PARAS) + "</div>"
    md = extract(page(body).encode()).markdown
    assert "What information do we collect?" in md
    assert "seven years" in md


def test_a_heading_whose_id_looks_like_a_banner_is_kept():
    extra = "<h3 id='why-no-cookie-consent-banner'>Why is there no cookie consent banner?</h3><p>We use no tracking cookies at all.</p>"
    assert "Why is there no cookie consent banner?" in extract(page(policy_body(extra)).encode()).markdown
