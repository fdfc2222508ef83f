"""crawler/localarchive/replay.py: `id_` and toolbar replay, Memento headers, redirects, revisits."""

from urllib.parse import urlsplit

import pytest

from crawler.localarchive import ArchiveIndex, CaptureSpec, LocalArchive, write_warc
from tests.localarchive.helpers import PAGE_A, PAGE_B, get

pytestmark = pytest.mark.timeout(60)


def test_replay_exact_id_gives_original_bytes_and_memento_headers(base):
    status, headers, body = get(base, "/web/20120512123106id_/https://vendor.example/privacy")
    assert (status, body) == (200, PAGE_A)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Memento-Datetime"] == "Sat, 12 May 2012 12:31:06 GMT"
    # The Link header names the URL actually captured (www.), not the one asked for.
    assert '<https://www.vendor.example/privacy>; rel="original"' in headers["Link"]
    assert headers["X-Archive-Orig-Server"] == "Apache"
    assert headers["X-Archive-Orig-Date"] == "Sat, 12 May 2012 12:31:00 GMT"
    assert b"WAYBACK TOOLBAR" not in body


def test_replay_keeps_charsetless_content_type_and_latin1_bytes(base):
    status, headers, body = get(base, "/web/20121015080000id_/https://vendor.example/privacy")
    assert (status, headers["Content-Type"], body) == (200, "TEXT/HTML", PAGE_B)
    # Clients percent-encode the scheme's colon (`http%3A//`): same capture.
    assert get(base, "/web/20121015080000id_/https%3A//vendor.example/privacy")[2] == PAGE_B


def test_replay_revisit_resolves_to_the_earlier_payload(base):
    status, headers, body = get(base, "/web/20120601000000id_/http://vendor.example/privacy")
    assert (status, body) == (200, PAGE_A)
    assert headers["Memento-Datetime"] == "Fri, 01 Jun 2012 00:00:00 GMT"  # the revisit's own date
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<http://vendor.example/privacy>; rel="original"' in headers["Link"]
    assert get(base, "/web/20130220101010id_/https://vendor.example/privacy")[2] == PAGE_A


def test_replay_captured_redirect_is_a_memento_with_rewritten_location(base):
    status, headers, body = get(base, "/web/20130101000000id_/https://vendor.example/legal/privacy.html")
    assert status == 301 and body == b""
    assert headers["Memento-Datetime"] == "Tue, 01 Jan 2013 00:00:00 GMT"
    location = urlsplit(headers["Location"])
    assert location.path == "/web/20130101000000id_/https://vendor.example/privacy"  # relative target resolved
    assert f"{location.scheme}://{location.netloc}" == base
    # Following it: no capture at that second, so a 302 to the nearest capture of the target.
    status, headers, _ = get(base, location.path)
    assert status == 302 and "Memento-Datetime" not in headers
    assert urlsplit(headers["Location"]).path == "/web/20130220101010id_/https://vendor.example/privacy"


def test_replay_skips_a_capture_that_redirects_to_itself(tmp_path):
    # http -> https shares the urlkey: archive.org answers with the nearest other capture, not a loop.
    page = b"<html><body>policy over https</body></html>"
    warc = write_warc(tmp_path / "self.warc.gz", [
        CaptureSpec("http://vendor.example/privacy", "20160601100000", b"", status=301,
                    headers={"Location": "https://vendor.example/privacy"}),
        CaptureSpec("https://vendor.example/privacy", "20160601100004", page),
    ])
    with LocalArchive([warc], limits=False) as archive:
        status, headers, _ = get(archive.base_url, "/web/20160601100000id_/https://vendor.example/privacy")
        assert status == 302 and headers["Location"].endswith("/web/20160601100004id_/https://vendor.example/privacy")
        assert get(archive.base_url, urlsplit(headers["Location"]).path)[2] == page


@pytest.mark.parametrize("from_warc", [True, False])
def test_a_revisited_self_redirect_is_skipped_too(tmp_path, from_warc):
    redirect = {"Location": "https://www.example.com/privacy"}
    specs = [
        CaptureSpec("http://www.example.com/privacy", "20150101000000", b"", status=301, headers=redirect),
        CaptureSpec("https://www.example.com/privacy", "20150101000005", b"<html>2015</html>"),
        CaptureSpec("http://www.example.com/privacy", "20160101000000", b"", status=301, headers=redirect),  # a revisit
        CaptureSpec("https://www.example.com/privacy", "20160101000005", b"<html>2016</html>"),
    ]
    index = ArchiveIndex.from_warcs([write_warc(tmp_path / "r.warc.gz", specs)]) if from_warc else ArchiveIndex.from_specs(specs)
    assert [r.statuscode for r in index.rows].count("-") == 1
    with LocalArchive(index, limits=False) as archive:
        status, headers, _ = get(archive.base_url, "/web/20160101000000id_/https://www.example.com/privacy")
    assert status == 302 and "/web/20160101000005id_/" in headers["Location"]


@pytest.mark.parametrize("from_warc", [True, False])
def test_a_revisited_redirect_keeps_its_own_location(tmp_path, from_warc):
    # Both redirects have the empty payload, so the second is a revisit of the first.
    specs = [
        CaptureSpec("https://vendor.example/privacy", "20160101000000", b"", status=301, headers={"Location": "/privacy-2016"}),
        CaptureSpec("https://vendor.example/privacy", "20190101000000", b"", status=301, headers={"Location": "/legal/privacy"}),
    ]
    index = ArchiveIndex.from_warcs([write_warc(tmp_path / "m.warc.gz", specs)]) if from_warc else ArchiveIndex.from_specs(specs)
    with LocalArchive(index, limits=False) as archive:
        status, headers, _ = get(archive.base_url, "/web/20190101000000id_/https://vendor.example/privacy")
    assert status == 301 and headers["Location"].endswith("/web/20190101000000id_/https://vendor.example/legal/privacy")


def test_replay_inexact_timestamp_redirects_to_nearest_capture(base):
    status, headers, body = get(base, "/web/20120520000000id_/https://vendor.example/privacy")
    assert (status, body) == (302, b"")
    assert "Memento-Datetime" not in headers
    assert headers["X-Archive-Redirect-Reason"] == "found capture at 20120512123106"
    assert headers["Location"] == f"{base}/web/20120512123106id_/https://vendor.example/privacy"
    # Nearest across schemes (the 2012-06 capture is http), partial timestamps, and far away dates.
    assert get(base, "/web/20120531id_/https://vendor.example/privacy")[1]["X-Archive-Redirect-Reason"] == "found capture at 20120601000000"
    assert get(base, "/web/2099id_/https://vendor.example/privacy")[1]["X-Archive-Redirect-Reason"] == "found capture at 20130220101010"
    assert get(base, "/web/1990id_/https://vendor.example/privacy")[1]["X-Archive-Redirect-Reason"] == "found capture at 20120512123106"


def test_replay_same_second_captures_prefer_the_url_asked_for(base):
    assert get(base, "/web/20150101000000id_/http://vendor.example/faq")[2] == b"<html><body>FAQ http</body></html>"
    assert get(base, "/web/20150101000000id_/https://vendor.example/faq")[2] == b"<html><body>FAQ https</body></html>"


def test_replay_not_archived_is_404_without_memento(base):
    status, headers, body = get(base, "/web/20120512123106id_/https://vendor.example/never-captured")
    assert status == 404
    assert "Memento-Datetime" not in headers and headers["Content-Type"].startswith("text/html")
    assert b"Wayback Machine has not archived that URL." in body


@pytest.mark.parametrize("modifier", ["", "if_"])
def test_toolbar_only_without_id(base, modifier):
    status, headers, body = get(base, f"/web/20120512123106{modifier}/https://vendor.example/privacy")
    assert status == 200 and "Memento-Datetime" in headers
    assert b"<!-- BEGIN WAYBACK TOOLBAR INSERT -->" in body and b"<!-- END WAYBACK TOOLBAR INSERT -->" in body
    assert body.index(b"<body>") < body.index(b"BEGIN WAYBACK TOOLBAR") < body.index(b"<h1>Privacy policy")
    assert b"Wayback Machine" in body
    # Uppercase <BODY ...> too.
    body_b = get(base, f"/web/20121015080000{modifier}/https://vendor.example/privacy")[2]
    assert body_b.index(b"<BODY class='x'>") < body_b.index(b"BEGIN WAYBACK TOOLBAR")
    # Inexact timestamps keep the modifier the client asked for.
    location = get(base, f"/web/20120520000000{modifier}/https://vendor.example/privacy")[1]["Location"]
    assert urlsplit(location).path == f"/web/20120512123106{modifier}/https://vendor.example/privacy"
