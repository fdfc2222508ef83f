"""crawler/wayback on real recorded archive.org answers (tests/fixtures/ia) and on strings."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.wayback import (
    CDX_FIELDS,
    EMPTY_DIGEST,
    archive_for,
    ArchiveError,
    cdx_query_url,
    is_rate_limited,
    link_original,
    memento_timestamp,
    parse_cdx,
    parse_replay_location,
    snapshot_link,
    surt,
)

IA = Path(__file__).parent.parent / "fixtures" / "ia"


def recorded(name: str) -> bytes:
    return (IA / name).read_bytes()


def recorded_headers(name: str) -> dict:
    meta = json.loads((IA / name).read_text())
    return {k: v[0] for k, v in meta["headers"].items()}


@pytest.mark.parametrize(
    "url, key",
    [
        ("http://www.kerio.com/privacy-policy", "com,kerio)/privacy-policy"),
        ("https://kerio.com/privacy-policy", "com,kerio)/privacy-policy"),
        ("HTTP://WWW.Kerio.COM:80/Privacy-Policy", "com,kerio)/privacy-policy"),
        ("http://kerio.com:8080/p?b=2&a=1", "com,kerio:8080)/p?a=1&b=2"),
        ("kerio.com", "com,kerio)/"),
    ],
)
def test_surt_folds_what_the_index_folds(url, key):
    assert surt(url) == key


def test_repeated_rows_are_read_once():
    page = parse_cdx(recorded("cdx_nasa_repeated_rows.txt"))
    assert [r.timestamp for r in page.rows] == ["19961231235847"]
    assert page.dropped == 2


def test_revisit_rows_keep_their_digest_and_have_no_status():
    page = parse_cdx(recorded("cdx_energystar_revisits.txt"))
    revisits = [r for r in page.rows if r.is_revisit]
    assert len(revisits) == 3
    assert all(r.status is None and r.statuscode == "-" for r in revisits)
    assert all(not r.is_redirect for r in revisits)
    assert any(r.is_redirect and r.status == 301 for r in page.rows)


def test_bodiless_redirect_rows_carry_the_empty_digest():
    page = parse_cdx(recorded("cdx_dw_page1.txt"))
    redirects = [r for r in page.rows if r.is_redirect]
    assert {r.mimetype for r in redirects} == {"unk", "text/html", "text/plain"}
    assert all(r.digest == EMPTY_DIGEST for r in redirects if r.mimetype == "unk")
    assert page.resume_key == "com%2Cdw%29%2F+20191218145126"


def test_invalid_timestamps_are_dropped():
    page = parse_cdx(recorded("bad_timestamp_cdx.txt"))
    assert "20000012170449" not in [r.timestamp for r in page.rows]
    assert "20000800241623" not in [r.timestamp for r in page.rows]
    assert len(page.rows) == 3 and page.dropped == 2


def test_junk_originals_are_dropped():
    page = parse_cdx(recorded("malformed_cdx.txt"))
    originals = [r.original for r in page.rows]
    assert originals == ["https://www.epa.gov/", "https://www.epa.gov/"]
    assert page.dropped == 3


def test_dash_length_reads_as_unknown():
    page = parse_cdx(recorded("zero_length_cdx.txt"))
    assert [r.length for r in page.rows][-1] is None
    assert page.rows[0].length == 24186


def test_text_resume_key_and_empty_last_page():
    page = parse_cdx(recorded("cdx_cnn_page1.txt"))
    assert page.resume_key == "com%2Ccnn%29%2F+2001041400593%3A"
    assert len({r.timestamp for r in page.rows}) == len(page.rows)
    last = parse_cdx(recorded("cdx_cnn_last_page.txt"))
    assert last.rows == [] and last.resume_key is None


def test_json_output_with_header_and_resume_key():
    body = json.dumps(
        [
            list(CDX_FIELDS),
            ["com,kerio)/privacy-policy", "20120512123106", "http://www.kerio.com/privacy-policy", "text/html", "200", "AAAA", "-"],
            ["com,kerio)/privacy-policy", "20120512123106", "http://www.kerio.com/privacy-policy", "text/html", "200", "AAAA", "-"],
            [],
            ["com%2Ckerio%29%2Fprivacy-policy+20120601000000"],
        ]
    ).encode()
    page = parse_cdx(body)
    assert len(page.rows) == 1 and page.rows[0].length is None
    assert page.resume_key == "com%2Ckerio%29%2Fprivacy-policy+20120601000000"


def test_json_header_order_is_followed():
    body = json.dumps([["timestamp", "digest", "original", "statuscode", "mimetype", "urlkey", "length"],
                       ["20120512123106", "AAAA", "http://a.com/", "200", "text/html", "com,a)/", "10"]]).encode()
    row = parse_cdx(body).rows[0]
    assert (row.timestamp, row.digest, row.original, row.length) == ("20120512123106", "AAAA", "http://a.com/", 10)


def test_no_result_is_empty():
    assert parse_cdx(b"[]").rows == []
    assert parse_cdx(b"").rows == []


@pytest.mark.parametrize(
    "garbage",
    [b"<html><body>Service unavailable</body></html>", b"{\"error\": 1}", b"[[\"a\"], [\"b\", \"c\"]", b"[1, 2]"],
)
def test_garbage_is_an_archive_error(garbage):
    with pytest.raises(ArchiveError):
        parse_cdx(garbage)


def test_cdx_query_asks_for_json_fields_collapse_and_resume_keys():
    url = cdx_query_url("https://web.archive.org/", "http://www.kerio.com/privacy-policy", from_="20100101000000",
                        to="20151231235959", limit=500, resume_key="k+1")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.path == "/cdx/search/cdx"
    assert query["output"] == ["json"] and query["fl"] == [",".join(CDX_FIELDS)]
    assert query["collapse"] == ["digest"] and query["showResumeKey"] == ["true"]
    assert query["from"] == ["20100101000000"] and query["to"] == ["20151231235959"]
    assert query["resumeKey"] == ["k+1"] and query["limit"] == ["500"]


def test_snapshot_link_matches_the_source_extracts():
    assert (
        snapshot_link("https://web.archive.org/web", "20120512123106", "http://www.kerio.com/privacy-policy")
        == "https://web.archive.org/web/20120512123106id_/http%3A//www.kerio.com/privacy-policy"
    )


def test_recorded_captured_redirect_chain():
    first = recorded_headers("replay_redirect_0.headers.json")
    assert memento_timestamp(first["Memento-Datetime"]) == "20180808094144"
    assert link_original(first["Link"]) == "https://www.epa.gov/ghgreporting/san5779-factsheet"
    ts, target = parse_replay_location(first["Location"], "https://web.archive.org/web/20180808094144id_/x")
    assert ts == "20180808094144" and target.startswith("https://www.epa.gov/ghgreporting/proposed-rule")
    second = recorded_headers("replay_redirect_1.headers.json")
    assert "Memento-Datetime" not in second  # the inexact-timestamp hop is not a memento
    assert second["X-Archive-Redirect-Reason"] == "found capture at 20180808104500"
    assert parse_replay_location(second["Location"], "https://web.archive.org/")[0] == "20180808104500"


def test_only_the_archives_own_429_is_a_rate_limit():
    assert is_rate_limited(429, has_memento_datetime=False)
    assert not is_rate_limited(429, has_memento_datetime=True)
    assert not is_rate_limited(200, has_memento_datetime=False)


PYWB = Path(__file__).parent.parent / "fixtures" / "pywb"


def test_pywb_ndjson_reads_with_archive_org_field_names():
    page = parse_cdx((PYWB / "cdx_kerio.ndjson").read_bytes())
    assert [r.timestamp for r in page.rows] == ["20080301101500", "20080602111500", "20081015080000", "20090220093000"]
    first, revisit = page.rows[0], page.rows[1]
    assert (first.original, first.mimetype, first.statuscode) == ("http://www.kerio.com/privacy-policy", "text/html", "200")
    assert revisit.is_revisit and revisit.statuscode == "-" and revisit.digest == first.digest
    assert page.resume_key is None


def test_pywb_cdxj_text_output_reads_too():
    page = parse_cdx((PYWB / "cdx_kerio.cdxj").read_bytes())
    assert len(page.rows) == 4 and page.rows[-1].is_redirect and page.rows[-1].urlkey == "com,kerio)/privacy-policy"


def test_pywb_captured_redirect_keeps_a_raw_location():
    headers = dict(line.split(": ", 1) for line in (PYWB / "replay_captured_redirect.headers.txt").read_text().splitlines()[1:] if ": " in line)
    assert parse_replay_location(headers["Location"], "http://127.0.0.1:8765/coll/x") == (None, "https://www.kerio.com/legal/privacy")
    assert memento_timestamp(headers["Memento-Datetime"]) == "20190601120000"
    assert parse_replay_location(headers["Content-Location"], "x")[0] == "20190601120000"


def test_archive_dialect_from_the_url_or_as_told():
    ia = archive_for("https://web.archive.org/")
    assert (ia.kind, ia.replay_prefix) == ("ia", "https://web.archive.org/web")
    assert ia.replay_url("20120512123106", "http://a.com/p") == "https://web.archive.org/web/20120512123106id_/http://a.com/p"
    coll = archive_for("http://127.0.0.1:8080/my-coll")
    assert (coll.kind, coll.replay_prefix) == ("pywb", "http://127.0.0.1:8080/my-coll")
    query = parse_qs(urlsplit(coll.cdx_url("http://a.com/p", from_="2010", collapse="digest", limit=5)).query)
    assert urlsplit(coll.cdx_url("http://a.com/p")).path == "/my-coll/cdx"
    assert query == {"url": ["http://a.com/p"], "output": ["json"], "from": ["2010"]}  # no fl, collapse, paging
    assert archive_for("http://127.0.0.1:8080", "pywb").cdx_url("http://a.com/").startswith("http://127.0.0.1:8080/cdx?")
    assert not coll.pages_by_resume_key and ia.pages_by_resume_key
    with pytest.raises(ValueError):
        archive_for("ftp://archive.example")


@pytest.mark.parametrize("url", [
    "http://www.kerio.com/privacy-policy",
    "http://www.example.com/content.php?content_id=privacy&lang=en",
    "https://www.example.com/legal#privacy",
    "http://www.bücher.de/datenschutz",
    "http://www.example.com/a%20b/privacy%2Fpolicy",
])
def test_snapshot_links_are_exactly_what_the_dataset_writes(url):
    from urllib.parse import quote

    assert snapshot_link("https://web.archive.org/web", "20120512123106", url) == (
        f"https://web.archive.org/web/20120512123106id_/{quote(url)}")
