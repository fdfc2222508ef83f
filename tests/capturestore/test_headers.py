"""A replay's headers back to the capture's own, and the archive's into the metadata record."""

from crawler.capturestore import archive_headers_of, original_headers

WAYBACK = [
    ("Server", "nginx"), ("Date", "Tue, 01 Dec 2026 10:00:00 GMT"), ("Content-Type", "text/html; charset=iso-8859-1"),
    ("X-Archive-Orig-Server", "Apache/2.2.3"), ("X-Archive-Orig-Date", "Sat, 12 May 2012 12:31:06 GMT"),
    ("X-Archive-Orig-Content-Encoding", "gzip"), ("X-Archive-Orig-Content-Length", "1234"),
    ("X-Archive-Orig-Set-Cookie", "a=1"), ("X-Archive-Orig-Set-Cookie", "b=2"),
    ("Memento-Datetime", "Sat, 12 May 2012 12:31:06 GMT"), ("Link", '<http://example.com/>; rel="original"'),
    ("X-Archive-Src", "crawl-2012.warc.gz"), ("Content-Length", "999"),
]


def test_archive_org_headers_lose_their_prefix_and_transfer_headers_are_set_anew():
    kept = original_headers(WAYBACK, 200, 4321)
    assert kept == [
        ("Content-Type", "text/html; charset=iso-8859-1"), ("Server", "Apache/2.2.3"),
        ("Date", "Sat, 12 May 2012 12:31:06 GMT"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Content-Length", "4321"),
    ]


def test_the_archive_s_own_headers_go_to_the_metadata_record():
    own = archive_headers_of(WAYBACK)
    assert ("Memento-Datetime", "Sat, 12 May 2012 12:31:06 GMT") in own and ("X-Archive-Src", "crawl-2012.warc.gz") in own
    assert ("Server", "nginx") in own and ("X-Archive-Orig-Content-Encoding", "gzip") in own
    assert not any(name == "X-Archive-Orig-Server" for name, _ in own)


def test_a_captured_redirect_keeps_the_location_the_site_sent():
    headers = [("Location", "https://web.archive.org/web/20120512123106id_/https://example.com/"),
               ("X-Archive-Orig-Location", "https://example.com/"), ("Memento-Datetime", "x")]
    assert ("Location", "https://example.com/") in original_headers(headers, 301, 0, "https://example.com/")
    assert sum(1 for k, _ in original_headers(headers, 301, 0, "https://example.com/") if k == "Location") == 1


def test_pywb_sends_the_original_headers_under_their_own_names():
    headers = [("Content-Type", "text/html"), ("Server", "Apache"), ("Memento-Datetime", "x"), ("Link", "<a>"),
               ("Content-Length", "5")]
    assert original_headers(headers, 200, 5) == [("Content-Type", "text/html"), ("Server", "Apache"), ("Content-Length", "5")]
