"""The WARC writer and reader: digests in the CDX form, revisits, rotation, a truncated tail dropped."""

import base64
import hashlib

from warcio.archiveiterator import ArchiveIterator

from crawler.capturestore import CaptureWriter, complete_end, payload_digest, read_payload

PAGE = b"<html><title>Privacy</title><body>We collect nothing.</body></html>"
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))]


def records(path):
    with open(path, "rb") as stream:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read()) for r in ArchiveIterator(stream)]


def test_payload_digest_is_the_cdx_form():
    assert payload_digest(b"") == "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
    assert payload_digest(PAGE) == base64.b32encode(hashlib.sha1(PAGE).digest()).decode()


def test_a_response_record_is_the_capture_dated_at_its_time_with_a_metadata_record(tmp_path):
    writer = CaptureWriter(tmp_path, 1 << 20)
    where = writer.write_response("https://example.com/privacy", "20120512123106", 200, HEADERS, PAGE,
                                  [("Memento-Datetime", "Sat, 12 May 2012 12:31:06 GMT")])
    writer.close()
    found = records(tmp_path / where.file)
    assert [r[0] for r in found] == ["warcinfo", "response", "metadata"]
    _, warc, http, body = found[1]
    assert warc.get_header("WARC-Target-URI") == "https://example.com/privacy"
    assert warc.get_header("WARC-Date") == "2012-05-12T12:31:06Z"
    assert warc.get_header("WARC-Payload-Digest") == "sha1:" + payload_digest(PAGE) == "sha1:" + where.digest
    assert http.get_statuscode() == "200" and http.get_header("Content-Type") == "text/html; charset=utf-8"
    assert body == PAGE
    assert found[2][1].get_header("WARC-Concurrent-To") == warc.get_header("WARC-Record-ID")
    assert b"Memento-Datetime: Sat, 12 May 2012" in found[2][3]
    back = read_payload(tmp_path, where.file, where.offset, where.length)
    assert (back.body, back.status, back.timestamp, back.content_type) == (PAGE, 200, "20120512123106", "text/html; charset=utf-8")


def test_a_revisit_names_the_first_capture_and_keeps_its_own_headers(tmp_path):
    writer = CaptureWriter(tmp_path, 1 << 20)
    first = writer.write_response("http://example.com/privacy", "20120512123106", 200, HEADERS, PAGE, [])
    again = writer.write_revisit("http://example.com/privacy", "20130101000000", 200, HEADERS, first.digest,
                                 first.uri, first.timestamp, [])
    writer.close()
    _, warc, http, body = records(tmp_path / again.file)[3]
    assert warc.get_header("WARC-Type") == "revisit" and body == b""
    assert warc.get_header("WARC-Profile").endswith("/revisit/identical-payload-digest")
    assert warc.get_header("WARC-Refers-To-Target-URI") == "http://example.com/privacy"
    assert warc.get_header("WARC-Refers-To-Date") == "2012-05-12T12:31:06Z"
    assert warc.get_header("WARC-Payload-Digest") == "sha1:" + first.digest


def test_files_rotate_past_the_size_limit(tmp_path):
    writer = CaptureWriter(tmp_path, 2000)
    names = {writer.write_response(f"http://example.com/p{i}", "20120512123106", 200, HEADERS, PAGE * 10 + bytes([i]), []).file
             for i in range(6)}
    writer.close()
    assert len(names) >= 2 and [p.name for p in writer.files()][:2] == ["captures-00000.warc.gz", "captures-00001.warc.gz"]
    for path in writer.files():
        assert records(path)[0][0] == "warcinfo"


def test_a_record_cut_short_at_the_end_is_dropped_when_the_store_opens_again(tmp_path):
    writer = CaptureWriter(tmp_path, 1 << 20)
    kept = writer.write_response("http://example.com/a", "20120512123106", 200, HEADERS, PAGE, [])
    cut = writer.write_response("http://example.com/b", "20120512123107", 200, HEADERS, PAGE + b"!", [])
    writer.close()
    path = tmp_path / kept.file
    good_end = cut.offset
    with open(path, "r+b") as stream:  # a kill -9 in the middle of the second response record
        stream.truncate(cut.offset + cut.length // 2)
    assert complete_end(path) == good_end
    reopened = CaptureWriter(tmp_path, 1 << 20, {kept.file: kept.meta_offset + kept.meta_length})
    assert reopened.dropped_tails == [(kept.file, cut.length // 2)]
    assert path.stat().st_size == good_end
    after = reopened.write_response("http://example.com/b", "20120512123107", 200, HEADERS, PAGE + b"!", [])
    reopened.close()
    assert [r[0] for r in records(path)] == ["warcinfo", "response", "metadata", "response", "metadata"]
    assert read_payload(tmp_path, after.file, after.offset, after.length).body == PAGE + b"!"


def test_a_whole_file_is_left_alone(tmp_path):
    writer = CaptureWriter(tmp_path, 1 << 20)
    writer.write_response("http://example.com/a", "20120512123106", 200, HEADERS, PAGE, [])
    writer.close()
    size = writer.files()[0].stat().st_size
    assert complete_end(writer.files()[0]) == size
    assert CaptureWriter(tmp_path, 1 << 20).dropped_tails == []
