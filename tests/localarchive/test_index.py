"""crawler/localarchive/index.py: WARCs (and specs) read into CDX rows, records read back."""

import os

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.localarchive import EMPTY_DIGEST, ArchiveIndex, CaptureSpec, LocalArchive, payload_digest, write_warc
from tests.localarchive.helpers import FIXTURE_CAPTURES, PAGE_A, get

pytestmark = pytest.mark.timeout(60)


def test_index_rows_match_archive_org_fields(warc_path):
    index = ArchiveIndex.from_warcs([warc_path])
    assert len(index) == len(FIXTURE_CAPTURES)  # requests and warcinfo are not indexed
    assert [(r.urlkey, r.timestamp) for r in index.rows] == sorted((r.urlkey, r.timestamp) for r in index.rows)
    privacy = index.captures("example,vendor)/privacy")
    assert [(r.timestamp, r.original, r.mimetype, r.statuscode) for r in privacy] == [
        ("20120512123106", "https://www.vendor.example/privacy", "text/html", "200"),
        ("20120601000000", "http://vendor.example/privacy", "warc/revisit", "-"),
        ("20121015080000", "https://vendor.example/privacy", "text/html", "200"),  # lowercased, no params
        ("20130220101010", "https://vendor.example/privacy", "warc/revisit", "-"),
    ]
    assert {r.urlkey for r in privacy} == {"example,vendor)/privacy"}
    assert privacy[0].digest == privacy[1].digest == payload_digest(PAGE_A) != privacy[2].digest
    redirect = index.captures("example,vendor)/legal/privacy.html")[0]
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
