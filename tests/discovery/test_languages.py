"""crawler/discovery/languages.py: the language of a policy URL."""

import pytest

from crawler.discovery.languages import url_language


@pytest.mark.parametrize("url, lang", [
    ("http://x.com/privacy", None), ("http://x.com/en-us/privacy", "en"), ("http://x.com/de/privacy", "de"),
    ("http://x.com/privacy?lang=fr", "fr"), ("http://x.com/datenschutz", "de"), ("http://fr.x.com/privacy", "fr"),
    ("http://x.com/politica-de-privacidad", "es"), ("http://x.com/uk/privacy", "en"),
])
def test_url_language(url, lang):
    assert url_language(url, "x.com") == lang
