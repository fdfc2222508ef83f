"""crawler/localarchive/cdx.py: the CDX query language, over HTTP as clients use it."""

from urllib.parse import quote

import pytest

from crawler.localarchive import ArchiveIndex, CaptureSpec, CdxEngine, LocalArchive, payload_digest
from tests.localarchive.helpers import cdx_json, cdx_text, get, page_through

pytestmark = pytest.mark.timeout(60)


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


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_cdx_resume_key_paging_returns_every_row_once(base, as_json, limit):
    query = "url=vendor.example/*"
    everything = [" ".join(row) for row in cdx_json(base, query + "&output=json")[1:]]
    assert len(everything) == 8
    # Two captures share (urlkey, timestamp) (http and https FAQ in one second): a page may end between them.
    paged, requests = page_through(base, query, as_json, limit)
    assert paged == everything
    assert requests == -(-len(everything) // limit)  # no key after the last row, so no extra empty page


def test_cdx_resume_key_with_filters_collapse_and_many_rows():
    specs = [CaptureSpec("https://many.example/p", f"2019{month:02d}{day:02d}000000", f"v{day % 3}".encode())
             for month in range(1, 4) for day in range(1, 20)]
    with LocalArchive(ArchiveIndex.from_specs(specs, auto_revisit=False), limits=False) as served:
        for query in ("url=many.example/p", "url=many.example/p&filter=!digest:" + payload_digest(b"v0"), "url=many.example/p&from=201902&to=201902"):
            everything = [" ".join(r) for r in cdx_json(served.base_url, query + "&output=json")[1:]]
            paged, _ = page_through(served.base_url, query, True, 7)
            assert paged == everything and len(set(paged)) == len(paged) > 10


def test_cdx_output_caps_and_empty_results(base):
    assert get(base, "/cdx/search/cdx?url=nowhere.example&output=json")[2] == b"[]\n"
    assert get(base, "/cdx/search/cdx?url=nowhere.example")[2] == b""
    assert get(base, "/cdx/search/cdx?url=nowhere.example&output=json&showResumeKey=true")[2] == b"[]\n"


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


def test_cdx_prefix_keeps_the_trailing_slash_the_urlkey_drops():
    # `legal/` and `legal` share the urlkey `...)/legal`; a prefix query for `legal/*` must not reach `legalese`.
    engine = CdxEngine(ArchiveIndex.from_specs([
        CaptureSpec("https://vendor.example/legal/", "20200101000000", b"index"),
        CaptureSpec("https://vendor.example/legal/privacy", "20200101000000", b"policy"),
        CaptureSpec("https://vendor.example/legalese", "20200101000000", b"other"),
    ]))

    def originals(query):
        return [line.split(" ")[2] for line in engine.query(query).body.decode().splitlines()]

    assert originals("url=vendor.example/legal/*") == ["https://vendor.example/legal/privacy"]
    assert originals("url=vendor.example/legal*") == ["https://vendor.example/legal/", "https://vendor.example/legal/privacy", "https://vendor.example/legalese"]
    assert originals("url=vendor.example/legal/") == originals("url=vendor.example/legal") == ["https://vendor.example/legal/"]
