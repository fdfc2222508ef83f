"""crawler/localarchive/keys.py: URL keys as archive.org's CDX `urlkey` spells them, and timestamps."""

import pytest

from crawler.localarchive.keys import http_date, seconds, urlkey, valid_timestamp


@pytest.mark.parametrize("url, key", [
    ("http://www.kerio.com/privacy-policy", "com,kerio)/privacy-policy"),  # as in archive.org's CDX rows
    ("https://www.Kerio.com/Privacy?b=1&a=2", "com,kerio)/privacy?a=2&b=1"),  # host and path lowercased, query sorted
    ("kerio.com", "com,kerio)/"),  # no scheme, no path
    ("http://www2.kerio.com:80/legal/", "com,kerio)/legal"),  # www2, the default port and a trailing slash go
    ("https://kerio.com:8443/x", "com,kerio:8443)/x"),  # another port stays
    ("https://blog.kerio.com/privacy#top", "com,kerio,blog)/privacy"),  # a fragment goes
])
def test_urlkey_is_archive_orgs(url, key):
    assert urlkey(url) == key


def test_urlkey_refuses_what_cannot_be_parsed():
    with pytest.raises(ValueError):
        urlkey("http://vendor.example:99999/x")


def test_timestamps():
    assert valid_timestamp("20120512123106")
    assert not valid_timestamp("20121301000000") and not valid_timestamp("2012051212310") and not valid_timestamp("2012051212310x")
    assert seconds("19700101000100") == 60 and seconds("20000012170449") is None
    assert http_date("20120512123106") == "Sat, 12 May 2012 12:31:06 GMT"
