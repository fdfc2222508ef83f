"""crawler/discovery/patterns.py: the regular expression of policy-like URLs, in each language."""

import pytest

from crawler.discovery.patterns import POLICY_PATH_PATTERN, POLICY_URL_RE

POLICY_URLS = [
    "http://www.x.com/privacy",
    "https://x.com/privacy/",
    "http://www.x.com/privacy.html",
    "http://www.x.com:80/privacy-policy",
    "http://x.com/privacy_policy.php",
    "http://x.com/PrivacyPolicy.aspx",
    "http://x.com/privacy-statement",
    "http://x.com/privacy-notice.htm",
    "http://x.com/legal/privacy",
    "http://x.com/en-us/legal/privacy-notice.jsp",
    "http://x.com/privacy/index.html",
    "http://x.com/online-privacy-policy",
    "http://x.com/privacy-and-cookies",
    "http://x.com/privacy?lang=de",
    "http://x.com/privacy;jsessionid=0A1B",
    "http://x.com/index.php?page=privacy",
    "http://x.com/legal.aspx?id=5&doc=privacy-policy",
    "http://x.de/datenschutz",
    "http://x.de/datenschutzerklaerung.html",
    "http://x.de/datenschutzerkl%C3%A4rung",
    "http://x.de/DATENSCHUTZERKL%c3%a4RUNG",
    "http://x.de/datenschutzerklärung",
    "http://x.de/datenschutzhinweise",
    "http://x.fr/confidentialite",
    "http://x.fr/politique-de-confidentialite",
    "http://x.fr/politique-de-confidentialit%C3%A9",
    "http://x.fr/vie-privee",
    "http://x.fr/protection-des-donnees",
    "http://x.es/privacidad",
    "http://x.es/politica-de-privacidad",
    "http://x.mx/aviso-de-privacidad",
    "http://x.com.br/politica-de-privacidade",
    "http://x.it/informativa-privacy",
    "http://x.nl/privacybeleid",
    "http://x.nl/privacyverklaring",
]
NOT_POLICY_URLS = [
    "http://x.com/",
    "http://x.com/about",
    "http://x.com/cookie-policy",
    "http://x.com/cookies",
    "http://x.com/terms",
    "http://x.com/terms-of-service.html",
    "http://x.com/legal/terms",
    "http://x.com/blog/2018/05/why-we-care-about-your-privacy",  # a post's long slug
    "http://x.com/images/privacy.png",
    "http://x.com/js/privacy.js",
    "http://x.com/css/privacy.css",
    "http://x.com/privacy.pdf",
    "http://x.com/privacyfoo/style.css",
    "http://privacy.x.com/",  # a host name, not a page
    "http://x.com/products?privacy",  # a flag, not a value
]


@pytest.mark.parametrize("url", POLICY_URLS)
def test_policy_urls_match_the_regex(url):
    assert POLICY_URL_RE.fullmatch(url)


@pytest.mark.parametrize("url", NOT_POLICY_URLS)
def test_other_urls_do_not_match_the_regex(url):
    assert not POLICY_URL_RE.fullmatch(url)


def test_regex_uses_only_syntax_java_reads_the_same():
    pattern = POLICY_PATH_PATTERN
    assert pattern.startswith("(?i)") and pattern.count("(?i)") == 1
    # no lookarounds, named groups, possessive quantifiers, atomic groups, \d-style shorthands, `&&`
    for construct in ("(?=", "(?!", "(?<", "(?P", "(?>", "*+", "++", "?+", "&&", "\\d", "\\w", "\\s"):
        assert construct not in pattern, construct
