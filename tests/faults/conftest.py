"""Shared by the fault suite: the kerio history in a WARC, the local archive over it (no limits unless a
test asks), the fault proxy in front, a clean run's database to compare with, and the CLI."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from crawler.localarchive import LocalArchive, write_warc
from tests.conftest import ROOT
from tests.faults.proxy import FaultProxy
from tests.samples import kerio_history

POLICY_URL = "http://www.kerio.com/privacy-policy"
FAST = ["--cdx-per-minute", "600", "--replays-per-second", "50"]


def crawler_cli(*args, timeout=120, env=None):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def backfill(archive_url, db, *extra, timeout=120, env=None):
    return crawler_cli("backfill", "kerio.com", "--policy-url", POLICY_URL, "--db", str(db), "--archive", archive_url,
                       *FAST, *extra, timeout=timeout, env=env)


def canonical(db) -> dict:
    """What a run leaves that must not depend on faults: each capture's outcome and version text, each
    version's text and dates (ids, run numbers and reasons aside)."""
    con = sqlite3.connect(db)
    try:
        captures = con.execute(
            "select c.timestamp, c.original, c.digest, c.outcome, v.text_hash from captures c "
            "left join versions v on v.id = c.version_id order by 1, 2").fetchall()
        versions = con.execute(
            "select text_hash, first_timestamp, last_timestamp, title, markdown from versions order by 2").fetchall()
        listings = con.execute("select archive, listed_through from listings order by 1").fetchall()
        return {"captures": captures, "versions": versions, "listings": [l[1] for l in listings]}
    finally:
        con.close()


@pytest.fixture(scope="session")
def kerio_warc(tmp_path_factory):
    return write_warc(tmp_path_factory.mktemp("warc") / "kerio.warc.gz", kerio_history())


@pytest.fixture(scope="session")
def archive(kerio_warc):
    with LocalArchive([kerio_warc], limits=False) as served:
        yield served


@pytest.fixture(scope="session")
def clean(archive, tmp_path_factory):
    """A run with no fault, through a proxy that forwards everything (so snapshot links match)."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    with FaultProxy(archive.base_url) as proxy:
        result = backfill(proxy.base_url, db)
    assert result.returncode == 0, result.stderr
    return canonical(db)


@pytest.fixture
def proxy(archive):
    with FaultProxy(archive.base_url) as running:
        yield running
