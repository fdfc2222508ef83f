"""Item 6 and bad CDX: lying charsets and encodings, the archive's own redirect loop, garbage and cut
CDX answers, 5xx storms on the index."""

import sqlite3

import pytest

from crawler.localarchive import CaptureSpec, LocalArchive, write_warc
from tests.faults.conftest import backfill, canonical, crawler_cli, FAST
from tests.faults.proxy import Fault
from tests.samples import KERIO_A, policy_page

VENDOR_URL = "http://www.example-vendor.com/privacy"


def vendor_backfill(archive_url, db):
    return crawler_cli("backfill", "example-vendor.com", "--policy-url", VENDOR_URL, "--db", str(db),
                       "--archive", archive_url, *FAST)


def test_a_utf16_header_on_utf8_bodies_is_read_as_utf8(proxy, clean, tmp_path):
    proxy.faults = lambda path, kind, n: Fault("headers", headers={"Content-Type": "text/html; charset=utf-16"}) \
        if kind == "replay" else None
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean


def test_a_utf8_header_on_a_windows_1252_body_is_read_by_its_meta(tmp_path):
    page = policy_page(KERIO_A, "20150101000000").replace(b'<meta charset="utf-8">', b'<meta charset="windows-1252">')
    page = page.decode("utf-8").replace("Kerio Technologies will not sell", "Kerio Technologies – café – will not sell")
    warc = write_warc(tmp_path / "w.warc.gz", [CaptureSpec(VENDOR_URL, "20150101000000", page.encode("cp1252"),
                                                           headers={"Content-Type": "text/html; charset=utf-8"})])
    with LocalArchive([warc], limits=False) as served:
        result = vendor_backfill(served.base_url, tmp_path / "p.db")
    assert result.returncode == 0, result.stdout + result.stderr
    markdown = sqlite3.connect(tmp_path / "p.db").execute("select markdown from versions").fetchone()[0]
    assert "– café –" in markdown and "\ufffd" not in markdown


def test_a_gzip_content_encoding_on_plain_bodies_is_read_as_plain(proxy, clean, tmp_path):
    proxy.faults = lambda path, kind, n: Fault("headers", headers={"Content-Encoding": "gzip"}) if kind == "replay" else None
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean


def test_the_archives_own_redirect_loop_is_an_archive_fault_not_a_settled_capture(proxy, clean, tmp_path):
    victim = "/web/20140110100000id_/http://www.kerio.com/privacy-policy"
    loop = Fault("status", status=302, headers={"Location": f"{proxy.base_url}{victim}"})
    proxy.faults = lambda path, kind, n: loop if path == victim else None
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db)
    assert result.returncode == 1, result.stdout + result.stderr
    outcome, reason = sqlite3.connect(db).execute(
        "select outcome, reason from captures where timestamp = '20140110100000'").fetchone()
    assert outcome == "failed" and "archive's own redirect loop" in reason
    proxy.faults = lambda path, kind, n: None
    assert backfill(proxy.base_url, db).returncode == 0
    assert canonical(db) == clean


@pytest.mark.parametrize("fault", [Fault("garble", body=b"<html>Internal error \x00\xff</html>"), Fault("cut_cdx", keep=3),
                                   Fault("status", status=503)], ids=["garbage", "cut", "503-storm"])
def test_a_bad_cdx_answer_is_exit_4_in_one_line_and_the_next_run_recovers(fault, proxy, clean, tmp_path):
    proxy.faults = lambda path, kind, n: fault if kind == "cdx" else None
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db)
    assert result.returncode == 4, result.stdout + result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1
    proxy.faults = lambda path, kind, n: None
    assert backfill(proxy.base_url, db).returncode == 0
    assert canonical(db) == clean
