"""crawler/discovery/links.py: the links of a home page that name the privacy policy."""

import pytest

from crawler.discovery.links import anchor_score, find_policy_links


def home(footer: str, lang: str = "en", head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}<title>X</title></head><body>'
            f'<nav><a href="/">Home</a> <a href="/products">Products</a> <a href="/blog/">Blog</a></nav>'
            f'<p>We care about <a href="/blog/2018/gdpr">your privacy and the new European rules for it</a>.</p>'
            f'<footer>{footer}</footer></body></html>')


def test_english_footer_with_privacy_only():
    html = home('<a href="/terms">Terms</a> | <a href="/privacy.html">Privacy</a> | <a href="mailto:privacy@x.com">Privacy</a>')
    links = find_policy_links(html.encode(), "http://www.x.com/")
    assert [(l.url, l.text, l.language) for l in links] == [("http://www.x.com/privacy.html", "Privacy", "en")]


def test_cookie_policy_is_ignored_and_privacy_notice_found():
    html = home('<a href="/legal/cookies">Cookie Policy</a> <a href="/legal/privacy-notice">Privacy Notice</a> '
                '<a href="/ccpa">Your Privacy Choices</a> <a href="javascript:openPrivacy()">Privacy Policy</a> '
                '<a href="#privacy">Privacy Policy</a>')
    links = find_policy_links(html.encode(), "https://www.x.com/")
    assert [l.url for l in links] == ["https://www.x.com/legal/privacy-notice"]


def test_german_footer_in_latin_1():
    html = home('<a href="/impressum">Impressum</a> <a href="/datenschutzerklärung">Datenschutzerklärung</a>', "de")
    links = find_policy_links(html.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1"),
                              "http://www.x.de/", "text/html; charset=iso-8859-1")
    assert [(l.url, l.text, l.score, l.language) for l in links] == [
        ("http://www.x.de/datenschutzerkl%C3%A4rung", "Datenschutzerklärung", 100, "de")]


def test_french_footer_with_a_wayback_rewritten_href():
    html = home('<a href="/web/20150301000000/http://www.x.fr/mentions-legales">Mentions légales</a> '
                '<a href="/web/20150301000000/http://www.x.fr/politique-de-confidentialite">Politique de confidentialité</a>',
                "fr")
    links = find_policy_links(html.encode(), "https://web.archive.org/web/20150301000000/http://www.x.fr/")
    assert [(l.url, l.language) for l in links] == [("http://www.x.fr/politique-de-confidentialite", "fr")]


def test_spanish_footer_with_an_absolute_archive_href_and_a_base():
    html = home('<a href="https://web.archive.org/web/2016id_/https://www.x.es/legal/aviso-de-privacidad">Aviso de privacidad</a>'
                '<a href="condiciones">Condiciones</a><a href="privacidad">Privacidad</a>', "es",
                head='<base href="http://www.x.es/es/">')
    links = find_policy_links(html.encode(), "http://www.x.es/")
    assert [(l.url, l.score) for l in links] == [("https://www.x.es/legal/aviso-de-privacidad", 95),
                                                 ("http://www.x.es/es/privacidad", 85)]


def test_best_link_first_title_attribute_and_idn_link_host():
    html = home('<a href="/p1">Privacy</a> <a href="http://bücher.de/daten" title="Privacy Policy"><img src="lock.png"></a>')
    links = find_policy_links(html.encode(), "http://www.x.com/")
    assert [l.url for l in links] == ["http://xn--bcher-kva.de/daten", "http://www.x.com/p1"]


@pytest.mark.parametrize("text, expected", [
    ("Privacy Policy", 100), ("PRIVACY  policy", 100), ("Privacy", 80), ("Your Privacy", 80),
    ("Privacy Statement", 95), ("Kerio Privacy Policy", 90), ("Datenschutz", 90), ("Vie privée", 85),
    ("Política de privacidad", 100), ("Cookie Policy", None), ("Terms of Use", None),
    ("Your Privacy Choices", None), ("Privacy Settings", None), ("Do Not Sell My Personal Information", None),
    ("TRUSTe privacy seal", None), ("your privacy and the new European rules for it", None),
])
def test_anchor_scores(text, expected):
    score = anchor_score(text)
    assert (score[0] if score else None) == expected
