"""crawler/localarchive/quirks.py: the archive.org oddities the archive injects on request."""

import gzip
from urllib.parse import quote

import pytest

from crawler.localarchive import EMPTY_DIGEST, ArchiveIndex, LocalArchive
from tests.localarchive.helpers import PAGE_A, cdx_json, get, page_through

pytestmark = pytest.mark.timeout(60)


def test_cdx_quirk_options(warc_path):
    index = ArchiveIndex.from_warcs([warc_path])
    with LocalArchive(index, limits=False) as plain:
        clean = cdx_json(plain.base_url, "url=vendor.example/privacy&output=json")[1:]
    with LocalArchive(index, limits=False, quirk_duplicate_rows=2) as served:
        rows = cdx_json(served.base_url, "url=vendor.example/privacy&output=json")[1:]
        assert rows == [row for row in clean for _ in range(3)]
        # Paging loses no row; like archive.org's key, it skips the copies left over at a page boundary.
        paged, _ = page_through(served.base_url, "url=vendor.example/privacy", True, 5)
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


def test_quirk_gzip_content_encoding(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False, quirk_gzip_content_encoding=True) as served:
        status, headers, body = get(served.base_url, "/web/20120512123106id_/https://vendor.example/privacy")
        assert status == 200
        assert headers.get_all("Content-Encoding") == ["", "gzip"]
        assert gzip.decompress(body) == PAGE_A
