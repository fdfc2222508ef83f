"""crawler/localarchive/warc.py: captures written as WARC records, payload digests, revisits."""

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.localarchive import EMPTY_DIGEST, ArchiveIndex, CaptureSpec, payload_digest, write_warc
from tests.localarchive.helpers import FIXTURE_CAPTURES, PAGE_A

pytestmark = pytest.mark.timeout(60)


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
