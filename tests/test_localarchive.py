"""The local Wayback look-alike: WARC writing, indexing, CDX API, `id_` replay, rate limits, log, CLI.

Every HTTP call goes to 127.0.0.1 with a timeout; fixture pages are written here, never read from disk.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.wayback import surt
from crawler.localarchive import (
    EMPTY_DIGEST,
    ArchiveIndex,
    CaptureSpec,
    LocalArchive,
    main,
    payload_digest,
    write_warc,
)

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 5

PAGE_A = "<html><head><title>Privacy</title></head><body><h1>Privacy policy</h1><p>We respect café owners.</p></body></html>".encode("utf-8")
PAGE_B = "<html><head><title>Privacy</title></head><BODY class='x'><p>Version B, caf\u00e9 in latin-1.</p></BODY></html>".encode("latin-1")
UTF8 = {"Content-Type": "text/html; charset=utf-8", "Server": "Apache", "Date": "Sat, 12 May 2012 12:31:00 GMT"}

FIXTURE_CAPTURES = [
    CaptureSpec("https://www.vendor.example/privacy", "20120512123106", PAGE_A, headers=UTF8),
    CaptureSpec("http://vendor.example/privacy", "20120601000000", PAGE_A, headers=UTF8),  # same payload: revisit
    CaptureSpec("https://vendor.example/privacy", "20121015080000", PAGE_B, headers={"Content-Type": "TEXT/HTML"}),
    CaptureSpec("https://vendor.example/privacy", "20130220101010", PAGE_A, headers=UTF8),  # A -> B -> A
    CaptureSpec("https://vendor.example/legal/privacy.html", "20130101000000", b"", status=301,
                headers={"Location": "/privacy", "Content-Type": "text/html"}),
    CaptureSpec("https://vendor.example/terms", "20120512123106", b"<html><body>Terms</body></html>"),
    CaptureSpec("http://vendor.example/faq", "20150101000000", b"<html><body>FAQ http</body></html>"),
    CaptureSpec("https://vendor.example/faq", "20150101000000", b"<html><body>FAQ https</body></html>"),
    CaptureSpec("https://blog.vendor.example/privacy-notice", "20140101000000", b"<html><body>Blog</body></html>"),
    CaptureSpec("https://othervendor.example/privacy", "20140101000000", b"<html><body>Other</body></html>"),
]


# --- helpers -------------------------------------------------------------------------------------


def get(base_url: str, path: str, conn: http.client.HTTPConnection | None = None):
    """(status, headers, body) of one GET, never following redirects."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(urlsplit(base_url).hostname, urlsplit(base_url).port, timeout=TIMEOUT)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if own:
            conn.close()


def cdx_json(base_url: str, query: str) -> list[list[str]]:
    status, _, body = get(base_url, "/cdx/search/cdx?" + query)
    assert status == 200, body
    return json.loads(body)


def cdx_text(base_url: str, query: str) -> list[str]:
    status, _, body = get(base_url, "/cdx/search/cdx?" + query)
    assert status == 200, body
    return body.decode().splitlines()


@pytest.fixture(scope="module")
def warc_path(tmp_path_factory) -> str:
    return write_warc(tmp_path_factory.mktemp("warcs") / "fixture.warc.gz", FIXTURE_CAPTURES)


@pytest.fixture(scope="module")
def archive(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False) as served:
        yield served


@pytest.fixture(scope="module")
def base(archive) -> str:
    return archive.base_url


# --- write_warc and the index -------------------------------------------------------------------


def test_write_warc_records_digests_and_revisits(warc_path):
    with open(warc_path, "rb") as stream:
        records = [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(stream)]
    kinds = [kind for kind, *_ in records]
    assert kinds[0] == "warcinfo" and kinds.count("request") == len(FIXTURE_CAPTURES)
    responses = [r for r in records if r[0] == "response"]
    revisits = [r for r in records if r[0] == "revisit"]
    # Captures 2 and 4 repeat the first payload of the same URL (http/https/www fold together).
    assert len(revisits) == 2 and len(responses) == len(FIXTURE_CAPTURES) - 2
    first = responses[0]
    assert first[1].get_header("WARC-Payload-Digest") == "sha1:" + payload_digest(PAGE_A)
    assert first[3] == PAGE_A
    for _, headers, http_headers, _ in revisits:
        assert headers.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
        assert headers.get_header("WARC-Payload-Digest") == "sha1:" + payload_digest(PAGE_A)
        assert headers.get_header("WARC-Refers-To-Target-URI") == "https://www.vendor.example/privacy"
        assert headers.get_header("WARC-Refers-To-Date") == "2012-05-12T12:31:06Z"
        assert http_headers.get_statuscode() == "200"
    redirect = next(r for r in responses if r[1].get_header("WARC-Target-URI").endswith("privacy.html"))
    assert redirect[2].get_statuscode() == "301" and redirect[2].get_header("Location") == "/privacy"
    assert redirect[1].get_header("WARC-Payload-Digest") == "sha1:" + EMPTY_DIGEST


def test_write_warc_revisit_options(tmp_path):
    same = [CaptureSpec("https://a.example/", "20200101000000", b"x"), CaptureSpec("https://a.example/", "20200201000000", b"x")]
    path = write_warc(tmp_path / "no-auto.warc.gz", same, auto_revisit=False)
    assert [r.statuscode for r in ArchiveIndex.from_warcs([path]).rows] == ["200", "200"]
    explicit = [CaptureSpec("https://a.example/", "20200101000000", b"x"), CaptureSpec("https://a.example/", "20200201000000", revisit=True)]
    path = write_warc(tmp_path / "explicit.warc.gz", explicit, auto_revisit=False)
    rows = ArchiveIndex.from_warcs([path]).rows
    assert [r.statuscode for r in rows] == ["200", "-"] and rows[0].digest == rows[1].digest
    # Same payload on another URL is no revisit; a revisit with nothing before it is an error.
    other = [CaptureSpec("https://a.example/", "20200101000000", b"x"), CaptureSpec("https://b.example/", "20200201000000", b"x")]
    assert [r.statuscode for r in ArchiveIndex.from_specs(other).rows] == ["200", "200"]
    with pytest.raises(ValueError):
        write_warc(tmp_path / "bad.warc.gz", [CaptureSpec("https://a.example/", "20200101000000", revisit=True)])
    with pytest.raises(ValueError):
        write_warc(tmp_path / "bad.warc.gz", [{"url": "https://a.example/", "timestamp": "20201301000000"}])


def test_index_rows_match_archive_org_fields(warc_path):
    index = ArchiveIndex.from_warcs([warc_path])
    assert len(index) == len(FIXTURE_CAPTURES)  # requests and warcinfo are not indexed
    assert [(r.urlkey, r.timestamp) for r in index.rows] == sorted((r.urlkey, r.timestamp) for r in index.rows)
    privacy = index.captures(surt("https://vendor.example/privacy"))
    assert [(r.timestamp, r.original, r.mimetype, r.statuscode) for r in privacy] == [
        ("20120512123106", "https://www.vendor.example/privacy", "text/html", "200"),
        ("20120601000000", "http://vendor.example/privacy", "warc/revisit", "-"),
        ("20121015080000", "https://vendor.example/privacy", "text/html", "200"),  # lowercased, no params
        ("20130220101010", "https://vendor.example/privacy", "warc/revisit", "-"),
    ]
    assert {r.urlkey for r in privacy} == {"example,vendor)/privacy"}
    assert privacy[0].digest == privacy[1].digest == payload_digest(PAGE_A) != privacy[2].digest
    redirect = index.captures(surt("https://vendor.example/legal/privacy.html"))[0]
    assert (redirect.mimetype, redirect.statuscode, redirect.digest) == ("unk", "301", EMPTY_DIGEST)
    # length is the compressed record length, offset where replay seeks.
    with open(warc_path, "rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Date") == "2012-05-12T12:31:06Z" \
                    and record.rec_headers.get_header("WARC-Target-URI").endswith("/privacy"):
                records.read_to_end()
                assert (privacy[0].offset, privacy[0].length) == (records.get_record_offset(), str(records.get_record_length()))
                break
        else:
            pytest.fail("fixture response not found")


def test_index_from_several_warcs(tmp_path):
    one = write_warc(tmp_path / "1.warc.gz", [CaptureSpec("https://a.example/", "20200101000000", b"one")])
    two = write_warc(tmp_path / "2.warc", [CaptureSpec("https://a.example/", "20190101000000", b"two")])
    index = ArchiveIndex.from_warcs([one, two])
    assert [(r.timestamp, os.path.basename(r.source)) for r in index.rows] == [("20190101000000", "2.warc"), ("20200101000000", "1.warc.gz")]
    assert index.read(index.rows[0]).body == b"two" and index.read(index.rows[1]).body == b"one"


def test_from_specs_serves_bodies_and_callables():
    calls = []

    def body():
        calls.append(1)
        return b"<html><body>generated</body></html>"

    index = ArchiveIndex.from_specs([
        {"url": "https://gen.example/p", "timestamp": "20200101000000", "body": body},
        {"url": "https://gen.example/p", "timestamp": "20200102000000", "body": body},  # same payload: revisit
        CaptureSpec("https://gen.example/q", "20200101000000", b"static"),
    ])
    assert [r.statuscode for r in index.rows] == ["200", "-", "200"]
    with LocalArchive(index, limits=False) as served:
        status, headers, payload = get(served.base_url, "/web/20200102000000id_/https://gen.example/p")
        assert (status, payload) == (200, b"<html><body>generated</body></html>")
        assert headers["Memento-Datetime"] == "Thu, 02 Jan 2020 00:00:00 GMT"
        assert get(served.base_url, "/web/20200101000000id_/https://gen.example/q")[2] == b"static"
    assert len(calls) >= 3  # digests at build time, then the body again on replay


# --- CDX -----------------------------------------------------------------------------------------


def test_cdx_requires_url(base):
    status, _, body = get(base, "/cdx/search/cdx?output=json")
    assert status == 400 and b"url" in body
    assert get(base, "/cdx/search/cdx?url=vendor.example&page=0")[0] == 400
    assert get(base, "/cdx/search/cdx?url=vendor.example&filter=nosuchfield:x")[0] == 400
    assert get(base, "/cdx/search/cdx?url=vendor.example&from=2012-01")[0] == 400


def test_cdx_exact_match_folds_scheme_www_and_case(base):
    for url in ("vendor.example/privacy", "https://www.VENDOR.example/privacy", "http://vendor.example:80/privacy"):
        rows = cdx_json(base, f"url={quote(url)}&output=json")
        assert [r[1] for r in rows[1:]] == ["20120512123106", "20120601000000", "20121015080000", "20130220101010"], url
    assert cdx_json(base, "url=vendor.example/nothing&output=json") == []


def test_cdx_json_header_follows_fl_and_text_has_no_header(base):
    rows = cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp,statuscode,original")
    assert rows[0] == ["timestamp", "statuscode", "original"]
    assert rows[1] == ["20120512123106", "200", "https://www.vendor.example/privacy"]
    assert all(isinstance(value, str) for row in rows for value in row)
    full = cdx_json(base, "url=vendor.example/privacy&output=json")
    assert full[0] == ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    assert full[2][3:5] == ["warc/revisit", "-"]
    lines = cdx_text(base, "url=vendor.example/privacy")
    assert len(lines) == 4
    assert lines[0].split(" ")[:5] == ["example,vendor)/privacy", "20120512123106", "https://www.vendor.example/privacy", "text/html", "200"]
    assert cdx_text(base, "url=vendor.example/privacy&fl=timestamp")[0] == "20120512123106"


def test_cdx_match_types(base):
    def urls(query):
        return sorted({row[0] for row in cdx_json(base, query + "&output=json&fl=original")[1:]})

    prefix = urls("url=vendor.example/*")
    assert prefix == urls("url=vendor.example/&matchType=prefix")
    assert "https://vendor.example/legal/privacy.html" in prefix and "https://vendor.example/terms" in prefix
    assert not any("blog." in u or "othervendor" in u for u in prefix)
    assert urls("url=vendor.example/legal/*") == ["https://vendor.example/legal/privacy.html"]
    assert urls("url=vendor.example&matchType=host") == prefix
    domain = urls("url=*.vendor.example")
    assert domain == urls("url=vendor.example&matchType=domain")
    assert "https://blog.vendor.example/privacy-notice" in domain and not any("othervendor" in u for u in domain)
    assert get(base, "/cdx/search/cdx?url=vendor.example&matchType=everything")[0] == 400


def test_cdx_from_to_inclusive_and_padded(base):
    def stamps(query):
        return [row[0] for row in cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp&" + query)[1:]]

    assert stamps("from=20120601000000&to=20121015080000") == ["20120601000000", "20121015080000"]  # both ends inclusive
    assert stamps("from=2013") == ["20130220101010"]  # from pads low
    assert stamps("to=2012") == ["20120512123106", "20120601000000", "20121015080000"]  # to pads high: all of 2012
    assert stamps("to=201206") == ["20120512123106", "20120601000000"]  # all of June
    assert stamps("from=201206&to=201206") == ["20120601000000"]
    assert stamps("from=2014") == []


def test_cdx_filters_match_the_whole_field(base):
    def stamps(*filters):
        query = "".join(f"&filter={quote(f)}" for f in filters)
        return [row[0] for row in cdx_json(base, "url=vendor.example/*&output=json&fl=timestamp" + query)[1:]]

    assert len(stamps("statuscode:2..")) == 5
    assert stamps("statuscode:2") == []  # a partial match is no match
    assert stamps("statuscode:3..") == ["20130101000000"]
    assert len(stamps("!statuscode:2..")) == 3  # the redirect and two revisits
    assert stamps("~original:legal") == ["20130101000000"]
    assert stamps("!~original:legal", "statuscode:301") == []  # all filters must hold
    assert stamps("mimetype:warc/revisit") == ["20120601000000", "20130220101010"]
    assert get(base, "/cdx/search/cdx?url=vendor.example&filter=statuscode:(")[0] == 400


def test_cdx_collapse_drops_only_adjacent_duplicates(base):
    digests = [row[0] for row in cdx_json(base, "url=vendor.example/privacy&output=json&fl=digest")[1:]]
    assert len(digests) == 4 and digests[0] == digests[1] == digests[3] != digests[2]
    collapsed = cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp,digest&collapse=digest")[1:]
    # A, A, B, A -> A, B, A: the page that came back to an old text keeps its row.
    assert [row[0] for row in collapsed] == ["20120512123106", "20121015080000", "20130220101010"]
    by_year = cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp&collapse=timestamp:4")[1:]
    assert [row[0] for row in by_year] == ["20120512123106", "20130220101010"]
    # Several collapses run one after the other, each on the rows the previous one kept.
    digest_then_year = cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp&collapse=digest&collapse=timestamp:4")[1:]
    assert [row[0] for row in digest_then_year] == ["20120512123106", "20130220101010"]
    year_then_digest = cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp&collapse=timestamp:4&collapse=digest")[1:]
    assert [row[0] for row in year_then_digest] == ["20120512123106"]  # 2013's A follows 2012's A once B is gone


def test_cdx_limit_negative_limit_and_offset(base):
    def stamps(query):
        return [row[0] for row in cdx_json(base, "url=vendor.example/privacy&output=json&fl=timestamp&" + query)[1:]]

    every = stamps("")
    assert stamps("limit=2") == every[:2]
    assert stamps("limit=-2") == every[-2:]
    assert stamps("offset=1&limit=2") == every[1:3]
    assert stamps("offset=10") == []


def _page_through(base: str, query: str, as_json: bool, limit: int) -> tuple[list[str], int]:
    rows, key, requests = [], None, 0
    while True:
        page_query = f"{query}&limit={limit}&showResumeKey=true" + (f"&resumeKey={quote(key)}" if key else "")
        requests += 1
        assert requests < 100, "resume keys loop"
        if as_json:
            page = cdx_json(base, page_query + "&output=json")
            if page[-2:-1] == [[]]:
                key, page = page[-1][0], page[:-2]
            else:
                key = None
            rows += [" ".join(row) for row in page[1:]]
        else:
            lines = cdx_text(base, page_query)
            if len(lines) >= 2 and lines[-2] == "":
                key, lines = lines[-1], lines[:-2]
                assert " " not in key
            else:
                key = None
            rows += lines
        if key is None:
            return rows, requests


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cdx_resume_key_paging_returns_every_row_once(base, as_json, limit):
    query = "url=vendor.example/*"
    everything = [" ".join(row) for row in cdx_json(base, query + "&output=json")[1:]]
    assert len(everything) == 8
    # Two captures share (urlkey, timestamp) (http and https FAQ in one second): a page may end between them.
    paged, requests = _page_through(base, query, as_json, limit)
    assert paged == everything
    assert requests == -(-len(everything) // limit)  # no key after the last row, so no extra empty page


def test_cdx_resume_key_with_filters_collapse_and_many_rows():
    specs = [CaptureSpec("https://many.example/p", f"2019{month:02d}{day:02d}000000", f"v{day % 3}".encode())
             for month in range(1, 4) for day in range(1, 20)]
    with LocalArchive(ArchiveIndex.from_specs(specs, auto_revisit=False), limits=False) as served:
        for query in ("url=many.example/p", "url=many.example/p&filter=!digest:" + payload_digest(b"v0"), "url=many.example/p&from=201902&to=201902"):
            everything = [" ".join(r) for r in cdx_json(served.base_url, query + "&output=json")[1:]]
            paged, _ = _page_through(served.base_url, query, True, 7)
            assert paged == everything and len(set(paged)) == len(paged) > 10


def test_cdx_output_caps_and_empty_results(base):
    assert get(base, "/cdx/search/cdx?url=nowhere.example&output=json")[2] == b"[]\n"
    assert get(base, "/cdx/search/cdx?url=nowhere.example")[2] == b""
    assert get(base, "/cdx/search/cdx?url=nowhere.example&output=json&showResumeKey=true")[2] == b"[]\n"


def test_cdx_quirk_options(warc_path):
    index = ArchiveIndex.from_warcs([warc_path])
    with LocalArchive(index, limits=False) as plain:
        clean = cdx_json(plain.base_url, "url=vendor.example/privacy&output=json")[1:]
    with LocalArchive(index, limits=False, quirk_duplicate_rows=2) as served:
        rows = cdx_json(served.base_url, "url=vendor.example/privacy&output=json")[1:]
        assert rows == [row for row in clean for _ in range(3)]
        # Paging loses no row; like archive.org's key, it skips the copies left over at a page boundary.
        paged, _ = _page_through(served.base_url, "url=vendor.example/privacy", True, 5)
        # 4 rows x 3 copies, pages of 5: page 1 = A A A B B (B's third copy skipped), page 2 = C C C D D.
        joined = [" ".join(r) for r in rows]
        assert paged == joined[0:5] + joined[6:11]
        assert sorted(set(paged)) == sorted(set(joined))
    with LocalArchive(index, limits=False, quirk_dash_length=True) as served:
        assert {row[6] for row in cdx_json(served.base_url, "url=vendor.example/privacy&output=json")[1:]} == {"-"}
    with LocalArchive(index, limits=False, quirk_invalid_timestamp=True, quirk_junk_original=True) as served:
        rows = cdx_json(served.base_url, "url=vendor.example/privacy&output=json")[1:]
        assert len(rows) == len(clean) + 2
        assert ["example,vendor)/privacy", "20120012123106"] == rows[1][:2]  # month 00
        assert rows[2][2].startswith("http://mailto:") and rows[2][3:6] == ["unk", "301", EMPTY_DIGEST]
    with LocalArchive(index, limits=False, quirk_resume_key_on_last_page=True) as served:
        first = cdx_json(served.base_url, "url=vendor.example/privacy&output=json&limit=4&showResumeKey=true")
        assert first[-2] == [] and len(first) == 1 + 4 + 2
        last = cdx_json(served.base_url, f"url=vendor.example/privacy&output=json&limit=4&showResumeKey=true&resumeKey={quote(first[-1][0])}")
        assert last == []  # like archive.org: a key after a full page, then an empty page


def test_cdx_excluded_site_is_403(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False, excluded=["othervendor.example"],
                      robots_excluded=["blog.vendor.example"]) as served:
        status, headers, body = get(served.base_url, "/cdx/search/cdx?url=othervendor.example/privacy")
        assert status == 403
        assert b"AdministrativeAccessControlException: Blocked Site Error" in body
        assert "AdministrativeAccessControlException" in headers["X-Archive-Wayback-Runtime-Error"]
        assert get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")[0] == 200
        status, _, body = get(served.base_url, "/cdx/search/cdx?url=blog.vendor.example/privacy-notice")
        assert status == 403 and b"RobotAccessControlException" in body
        # A domain query is allowed but leaves the excluded host out.
        originals = [row[0] for row in cdx_json(served.base_url, "url=*.vendor.example&output=json&fl=original")[1:]]
        assert originals and not any("blog." in url for url in originals)
        status, headers, body = get(served.base_url, "/web/20140101000000id_/https://othervendor.example/privacy")
        assert status == 200 and b"excluded" in body and "Memento-Datetime" not in headers


# --- replay --------------------------------------------------------------------------------------


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
def test_a_revisited_redirect_keeps_its_own_location_from_specs_too(tmp_path, from_warc):
    specs = [
        CaptureSpec("https://vendor.example/privacy", "20160101000000", b"", status=301, headers={"Location": "/privacy-2016"}),
        CaptureSpec("https://vendor.example/privacy", "20190101000000", b"", status=301, headers={"Location": "/legal/privacy"}),
    ]
    index = ArchiveIndex.from_warcs([write_warc(tmp_path / "m.warc.gz", specs)]) if from_warc else ArchiveIndex.from_specs(specs)
    with LocalArchive(index, limits=False) as archive:
        status, headers, _ = get(archive.base_url, "/web/20190101000000id_/https://vendor.example/privacy")
    assert status == 301 and headers["Location"].endswith("/web/20190101000000id_/https://vendor.example/legal/privacy")


def test_a_revisited_redirect_keeps_its_own_location(tmp_path):
    # Both redirects have the empty payload, so the second is written as a revisit of the first.
    warc = write_warc(tmp_path / "moves.warc.gz", [
        CaptureSpec("https://vendor.example/privacy", "20160101000000", b"", status=301, headers={"Location": "/privacy-2016"}),
        CaptureSpec("https://vendor.example/privacy", "20190101000000", b"", status=301, headers={"Location": "/legal/privacy"}),
    ])
    with LocalArchive([warc], limits=False) as archive:
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


def test_quirk_gzip_content_encoding(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False, quirk_gzip_content_encoding=True) as served:
        status, headers, body = get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")
        assert status == 200
        assert headers.get_all("Content-Encoding") == ["", "gzip"]
        assert gzip.decompress(body) == PAGE_A


# --- rate limits and blocking ---------------------------------------------------------------------


def test_cdx_limit_answers_429_without_retry_after_and_replay_has_its_own(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=3, replay_per_minute=4) as served:
        statuses = [get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")[0] for _ in range(3)]
        assert statuses == [200, 200, 200]
        status, headers, _ = get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")
        assert status == 429 and "Retry-After" not in headers and "Memento-Datetime" not in headers
        # Timemaps share the CDX budget; replay has its own.
        assert get(served.base_url, "/web/timemap/link/https://vendor.example/privacy")[0] == 429
        replay = [get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")[0] for _ in range(5)]
        assert replay == [200, 200, 200, 200, 429]
        # The log endpoint is never limited.
        assert get(served.base_url, "/__archive__/log")[0] == 200
        assert served.counters["rate_limited"] == 3


def test_time_scale_shrinks_the_window(warc_path):
    # 60 s / 60 = a one-second window.
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=2, time_scale=60) as served:
        path = "/cdx/search/cdx?url=vendor.example/privacy"
        assert [get(served.base_url, path)[0] for _ in range(3)] == [200, 200, 429]
        time.sleep(1.2)
        assert get(served.base_url, path)[0] == 200


def test_no_limits(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False, cdx_per_minute=1) as served:
        assert {get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")[0] for _ in range(5)} == {200}


def test_client_that_keeps_going_after_429_is_blocked(warc_path):
    # Scaled by 10: blocked after 0.3 s of 429s, for 0.5 s, then 1 s on the second block.
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=2, time_scale=10, block_after=3, block_for=5) as served:
        path = "/cdx/search/cdx?url=vendor.example/privacy"
        assert [get(served.base_url, path)[0] for _ in range(2)] == [200, 200]
        started = time.monotonic()
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            while time.monotonic() - started < 3:
                assert get(served.base_url, path)[0] == 429
                time.sleep(0.05)
        assert 0.25 < time.monotonic() - started < 1.5
        # While blocked, every connection is dropped, replay and log-less paths included.
        with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
            get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")
        time.sleep(0.6)  # the block is over: back to 429 (the window is still full), not to a block
        assert get(served.base_url, path)[0] == 429
        assert served.counters["blocked"] >= 2
        assert any(r.status is None for r in served.requests)


def test_block_drops_a_kept_alive_connection_too(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=1, time_scale=10, block_after=1, block_for=600) as served:
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(served.base_url).port, timeout=TIMEOUT)
        try:
            path = "/cdx/search/cdx?url=vendor.example/privacy"
            assert get(served.base_url, path, conn)[0] == 200
            with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):
                for _ in range(100):
                    assert get(served.base_url, path, conn)[0] == 429
                    time.sleep(0.02)
        finally:
            conn.close()


# --- request log and lifecycle --------------------------------------------------------------------


def test_request_log_in_process_and_over_http(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), cdx_per_minute=1) as served:
        before = time.monotonic()
        get(served.base_url, "/cdx/search/cdx?url=vendor.example/privacy")
        get(served.base_url, "/cdx/search/cdx?url=vendor.example/terms")
        get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")
        get(served.base_url, "/favicon.ico")
        logged = served.requests
        assert [(r.kind, r.path, r.status) for r in logged] == [
            ("cdx", "/cdx/search/cdx?url=vendor.example/privacy", 200),
            ("cdx", "/cdx/search/cdx?url=vendor.example/terms", 429),
            ("replay", "/web/20120512123106id_/https://vendor.example/privacy", 200),
            ("other", "/favicon.ico", 404),
        ]
        assert all(r.client == "127.0.0.1" and before <= r.time <= time.monotonic() for r in logged)
        assert served.counters == {"cdx": 2, "replay": 1, "other": 1, "rate_limited": 1}
        status, headers, body = get(served.base_url, "/__archive__/log")
        assert status == 200 and headers["Content-Type"] == "application/json"
        payload = json.loads(body)
        assert [r["status"] for r in payload["requests"]] == [200, 429, 200, 404]
        assert payload["counters"]["rate_limited"] == 1
        assert len(served.requests) == 4  # polling the log does not grow it
        served.clear_log()
        assert served.requests == [] and served.counters == {}


def test_context_manager_stops_and_frees_the_port(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False) as served:
        port = urlsplit(served.base_url).port
        assert served.base_url == f"http://127.0.0.1:{port}"
        assert get(served.base_url, "/cdx/search/cdx?url=vendor.example/terms")[0] == 200
    with pytest.raises(ConnectionError):
        get(f"http://127.0.0.1:{port}", "/cdx/search/cdx?url=vendor.example/terms")


# --- command line -----------------------------------------------------------------------------------


def test_main_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and "archive serve" in out and "--no-limits" in out


def test_main_rejects_missing_and_corrupt_warcs(tmp_path, capsys):
    assert main([str(tmp_path / "missing.warc.gz"), "--port", "0"]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "missing.warc.gz" in err and len(err.splitlines()) == 1
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(b"this is not a WARC file at all\n" * 10)
    assert main([str(corrupt), "--port", "0"]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "corrupt.warc.gz" in err and len(err.splitlines()) == 1
    truncated = tmp_path / "truncated.warc.gz"
    whole = Path(write_warc(tmp_path / "whole.warc.gz", FIXTURE_CAPTURES[:3])).read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    assert main([str(truncated), "--port", "0"]) != 0  # cut inside a gzip member: warcio alone would not notice
    assert capsys.readouterr().err.startswith("error:")


def test_main_serves_until_ctrl_c(warc_path):
    command = [sys.executable, "-c", "import sys; from crawler.localarchive import main; sys.exit(main(sys.argv[1:]))",
               warc_path, "--port", "0", "--no-limits"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = process.stdout.readline()
        assert "http://127.0.0.1:" in first_line, process.stderr.read() if process.poll() is not None else first_line
        base_url = next(word for word in first_line.split() if word.startswith("http://"))
        assert get(base_url, "/web/20120512123106id_/https://vendor.example/privacy")[2] == PAGE_A
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
