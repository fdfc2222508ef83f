"""End to end: a policy published as a PDF, captured twice with two texts, backfilled from the local
archive (a real crawl in its own process), stored as two versions and exported like any page."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from crawler.localarchive import CaptureSpec, LocalArchive, write_warc
from tests.conftest import ROOT
from tests.extract.pages import POLICY_PARAS, make_pdf

POLICY_URL = "http://www.example-soft.com/legal/privacy.pdf"
PDF = {"Content-Type": "application/pdf"}


def pdf_text(updated: str, extra: str) -> bytes:
    lines = ["Privacy Policy", "", f"Last updated: {updated}", ""]
    for para in POLICY_PARAS + [extra]:
        lines += textwrap.wrap(para, 70) + [""]
    return make_pdf([lines], title="Example Soft Privacy Policy")


def test_pdf_policy_backfilled_stored_and_exported(tmp_path):
    first = pdf_text("March 3, 2015", "We keep support tickets for two years.")
    second = pdf_text("May 25, 2018", "Under the GDPR you may also ask us to erase your data.")
    warc = write_warc(tmp_path / "pdf.warc.gz", [
        CaptureSpec(POLICY_URL, "20150401000000", first, headers=PDF),
        CaptureSpec(POLICY_URL, "20160401000000", first, headers=PDF),  # the same bytes again: a revisit
        CaptureSpec(POLICY_URL, "20180601000000", second, headers=PDF),
    ])
    db, out = tmp_path / "policies.db", tmp_path / "out"
    with LocalArchive([warc], limits=False) as archive:
        run = subprocess.run(
            [sys.executable, "-m", "crawler", "backfill", "example-soft.com", "--policy-url", POLICY_URL, "--db", str(db),
             "--archive", archive.base_url, "--cdx-per-minute", "600", "--replays-per-second", "50"],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    con = sqlite3.connect(db)
    versions = con.execute("select first_timestamp, title, policy_date from versions order by first_timestamp").fetchall()
    assert versions == [("20150401000000", "Example Soft Privacy Policy", "2015-03-03"),
                        ("20180601000000", "Example Soft Privacy Policy", "2018-05-25")]
    assert "refused" not in dict(con.execute("select outcome, count(*) from captures group by outcome").fetchall())

    export = subprocess.run([sys.executable, "-m", "crawler", "export", "--db", str(db), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    files = sorted((out / "example-soft.com").glob("*.md"))
    assert [f.stem for f in files] == ["20150401000000", "20180601000000"]
    document = files[1].read_text(encoding="utf-8")
    assert "privacy.pdf" in document.split("\n", 1)[0]  # the header's snapshot link
    assert "\n\n# Example Soft Privacy Policy\n\nPrivacy Policy\n\nLast updated: May 25, 2018\n\n" in document
    assert f"\n\n{POLICY_PARAS[-1]}\n\n" in document and "erase your data" in document
