"""crawler/discovery/urls.py: the original URL behind an archive's replay wrapper."""

import pytest

from crawler.discovery.urls import unwrap_archive_url


@pytest.mark.parametrize("wrapped, original", [
    ("https://web.archive.org/web/20150101000000/http://www.x.com/privacy", "http://www.x.com/privacy"),
    ("http://www.x.com/web/20150101000000id_/https://www.x.com/p?a=1", "https://www.x.com/p?a=1"),
    ("https://web.archive.org/web/2015/http:/www.x.com/privacy", "http://www.x.com/privacy"),
    ("https://web.archive.org/web/20150101000000/www.x.com/privacy", "http://www.x.com/privacy"),
    ("http://127.0.0.1:8080/my-coll/20150101000000/https://www.x.com/privacy", "https://www.x.com/privacy"),
    ("http://www.x.com/blog/2015/05/privacy", "http://www.x.com/blog/2015/05/privacy"),
])
def test_unwrap_archive_url(wrapped, original):
    assert unwrap_archive_url(wrapped) == original
