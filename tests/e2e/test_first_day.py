"""A researcher's first day (issue 10): every command tells the truth, fails cleanly, installs like a
tool. Subprocess tests of the real commands against the local archive on 127.0.0.1 and real SQLite files."""

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from crawler.localarchive import LocalArchive, write_warc
from tests.conftest import ROOT
from tests.e2e.test_backfill import FAST, POLICY_URL, backfill, crawler_cli
from tests.e2e.test_crawl import wait_for_more_captures
from tests.samples import kerio_history

NOTHING_LISTENS = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def kerio_db(tmp_path_factory):
    """kerio.com backfilled from the local archive (30 captures, 4 texts, 5 changes)."""
    folder = tmp_path_factory.mktemp("kerio")
    warc = write_warc(folder / "kerio.warc.gz", kerio_history())
    with LocalArchive([warc], limits=False) as served:
        result = backfill(served.base_url, folder / "policies.db")
    assert result.returncode == 0, result.stderr
    return folder / "policies.db"


def one_line_error(result, status):
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# --- data that says something false ---------------------------------------------------------------

def test_an_unreachable_archive_is_never_recorded_as_no_policy_found(tmp_path):
    db = tmp_path / "p.db"
    result = crawler_cli("backfill", "kerio.com", "--db", str(db), "--archive", NOTHING_LISTENS, *FAST)
    assert result.returncode == 4, (result.stdout, result.stderr)
    assert "no privacy policy found" not in result.stdout + result.stderr
    outcomes = [r[0] for r in sqlite3.connect(db).execute("select outcome from discoveries")]
    assert outcomes == ["failed"]


def test_versions_are_numbered_per_vendor_from_the_oldest(kerio_db):
    lines = crawler_cli("changes", "--db", str(kerio_db)).stdout.splitlines()
    numbered = [(line.split()[1], line.split()[3].rstrip(",")) for line in lines if line.strip().startswith("version")]
    # A A B B A C D D in time: versions 1 (2008), 2 (2011), 1 again, 3, 4.
    assert [n for n, _ in numbered] == ["1", "2", "1", "3", "4"]
    assert [d for _, d in numbered] == sorted(d for _, d in numbered)
    diff = crawler_cli("diff", "kerio.com", "--db", str(kerio_db), "--from-version", "1", "--to-version", "2").stdout
    assert diff.startswith("--- kerio.com version 1 (archived 2008-03-01") and "+++ kerio.com version 2 (archived 2011" in diff


def test_changes_feed_status_and_exports_tell_one_timeline(kerio_db, tmp_path):
    changes = [line for line in crawler_cli("changes", "--db", str(kerio_db)).stdout.splitlines() if "version" in line]
    assert crawler_cli("feed", "--db", str(kerio_db), "--out", str(tmp_path / "f.xml")).returncode == 0
    entries = ET.parse(tmp_path / "f.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry")
    ids = [e.find("{http://www.w3.org/2005/Atom}id").text for e in entries]
    assert len(entries) == len(changes) == 5 and len(set(ids)) == 5
    assert crawler_cli("export", "--db", str(kerio_db), "--out", str(tmp_path / "j"), "--format", "jsonl").returncode == 0
    records = [json.loads(line) for line in (tmp_path / "j" / "changes.jsonl").read_text().splitlines()]
    assert [r["version"] for r in records] == [1, 2, 1, 3, 4]
    assert all(r["in_force_until"] == (n["archived_at"] if n else None) for r, n in zip(records, records[1:] + [None]))
    status = crawler_cli("status", "--db", str(kerio_db)).stdout
    assert "kerio.com" in status and "       4  version 4, archived 2018-05-25" in status
    # the same ids on a second feed: stable
    crawler_cli("feed", "--db", str(kerio_db), "--out", str(tmp_path / "g.xml"))
    again = [e.find("{http://www.w3.org/2005/Atom}id").text
             for e in ET.parse(tmp_path / "g.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry")]
    assert again == ids


def test_stored_outcomes_say_whether_a_text_was_new(kerio_db):
    outcomes = dict(sqlite3.connect(kerio_db).execute("select outcome, count(*) from captures group by outcome"))
    assert outcomes["new_version"] == 4 and outcomes["same_text"] > 0 and "version" not in outcomes


# --- one clear line and the right exit status ------------------------------------------------------

def test_an_unknown_domain_is_exit_2_with_the_same_message_everywhere(kerio_db, tmp_path):
    messages = []
    for command in (["crawl", "--domain", "nosuch.com"], ["changes", "--domain", "nosuch.com"], ["diff", "nosuch.com"],
                    ["export", "--out", str(tmp_path / "x"), "--domain", "nosuch.com"],
                    ["feed", "--out", str(tmp_path / "f.xml"), "--domain", "nosuch.com"]):
        line = one_line_error(crawler_cli(*command, "--db", str(kerio_db)), 2)
        messages.append(line)
    assert len(set(messages)) == 1 and "nosuch.com is not a tracked vendor" in messages[0]


@pytest.mark.parametrize("args, env, words", [
    (["backfill", "kerio.com"], {"POLICY_ARCHIVE": "notaurl"}, "POLICY_ARCHIVE"),
    (["backfill", "kerio.com", "--archive", "http://127.0.0.1:8765/coll", "--archive-type", "pywb"], {}, "--policy-url"),
    (["backfill", "kerio.com", "--archive", "http://127.0.0.1:99999"], {}, "not an archive URL"),
    (["backfill", "kerio.com", "--archive", "http://127.0.0.1:8765 x"], {}, "not an archive URL"),
    (["backfill", "kerio.com", "--from", "20230231"], {}, "no such day"),
    (["backfill", "kerio.com", "--from", "201313"], {}, "no such day"),
    (["backfill", "kerio.com", "--from", "2020", "--to", "2019"], {}, "after --to"),
    (["backfill", "kerio.com", "--cdx-per-minute", "0"], {}, "positive"),
    (["backfill", "kerio.com", "--replays-per-second", "50"], {}, "--exceed-archive-limits"),
    (["archive", "serve", "x.warc.gz", "--port", "70000"], {}, "port"),
    (["backfill", "kerio.com", "--no-such-flag"], {}, "backfill --help"),
])
def test_bad_input_is_one_line_and_exit_2_before_any_request(args, env, words, tmp_path):
    result = subprocess.run([sys.executable, "-m", "crawler", *args, *(["--db", str(tmp_path / "p.db")] if args[0] == "backfill" else [])],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, **env})
    assert words in one_line_error(result, 2)
    assert not (tmp_path / "p.db").exists()


def test_vendor_csv_headers_in_any_case_and_bad_files_named(tmp_path):
    from crawler.targets import TargetError, read_vendors_csv

    good = tmp_path / "v.csv"
    good.write_text("Domain, Policy URL\nkerio.com,http://www.kerio.com/privacy-policy\n")
    assert read_vendors_csv(good) == ([("kerio.com", "http://www.kerio.com/privacy-policy")], [])
    unknown = tmp_path / "u.csv"
    unknown.write_text("domain,url\nkerio.com,http://www.kerio.com/privacy-policy\n")
    with pytest.raises(TargetError, match="must name the columns"):
        read_vendors_csv(unknown)
    for name, data in (("b.csv", b"\x00\x01binary\x00"), ("l.csv", "domain\nb\xfccher.de\n".encode("latin-1"))):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(TargetError, match=name):
            read_vendors_csv(tmp_path / name)


def test_a_crawl_against_an_archive_that_is_down_stops_after_a_few_requests(tmp_path):
    db = tmp_path / "p.db"
    con = sqlite3.connect(db)
    con.close()
    from crawler.store import Store

    store = Store(db)
    for n in range(10):
        store.ensure_policy_url(f"vendor{n}.com", f"http://www.vendor{n}.com/privacy")
    store.close()
    result = crawler_cli("crawl", "--db", str(db), "--archive", NOTHING_LISTENS)
    assert result.returncode == 4, (result.stdout, result.stderr[-2000:])
    sent = int(result.stdout.split(" CDX and ")[0].rsplit(" ", 1)[1])
    assert sent <= 3, result.stdout  # at the default pace: one failed connection after another, then stop
    assert "has not answered once" in result.stderr


def slow_backfill_until_it_stored_something(served, db, **popen):
    """A backfill (2 replays a second) that has stored at least one capture; the caller ends it."""
    process = subprocess.Popen([sys.executable, "-m", "crawler", "backfill", "kerio.com", "--policy-url", POLICY_URL,
                                "--db", str(db), "--archive", served.base_url, "--replays-per-second", "2"],
                               cwd=ROOT, **popen)
    wait_for_more_captures(db, 0, process)
    return process


def test_ctrl_c_stops_cleanly_with_130_and_no_run_stays_running(tmp_path):
    warc = write_warc(tmp_path / "k.warc.gz", kerio_history())
    db = tmp_path / "p.db"
    with LocalArchive([warc], limits=False) as served:
        process = slow_backfill_until_it_stored_something(served, db, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                          text=True)
        process.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = process.communicate(timeout=30)
        stopped_in = time.monotonic() - sent
    assert process.returncode == 130, (out, err[-2000:])
    assert stopped_in < 10 and "interrupted" in err and "Traceback" not in err
    assert [r[0] for r in sqlite3.connect(db).execute("select status from runs")] == ["interrupted"]


def test_a_killed_run_is_marked_when_the_lock_is_next_taken(tmp_path):
    warc = write_warc(tmp_path / "k.warc.gz", kerio_history())
    db = tmp_path / "p.db"
    with LocalArchive([warc], limits=False) as served:
        process = slow_backfill_until_it_stored_something(served, db, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        process.kill()
        process.wait(timeout=30)
        assert [r[0] for r in sqlite3.connect(db).execute("select status from runs")] == ["running"]
        again = backfill(served.base_url, db)
    assert again.returncode == 0 and "ended without closing" in again.stderr
    assert [r[0] for r in sqlite3.connect(db).execute("select status from runs order by id")] == ["killed", "ok"]


# --- commands that only read must not write ---------------------------------------------------------

def test_read_only_commands_change_no_byte_and_leave_no_lock(kerio_db, tmp_path):
    before = {p.name: p.read_bytes() for p in kerio_db.parent.iterdir() if p.name.startswith("policies.db") and p.is_file()}
    for command in (["status"], ["changes"], ["diff", "kerio.com"], ["export", "--out", str(tmp_path / "e")],
                    ["feed", "--out", str(tmp_path / "f.xml")]):
        assert crawler_cli(*command, "--db", str(kerio_db)).returncode == 0, command
    after = {p.name: p.read_bytes() for p in kerio_db.parent.iterdir() if p.name.startswith("policies.db") and p.is_file()}
    assert after["policies.db"] == before["policies.db"]
    assert not any(name.endswith(".lock") for name in after)


def test_a_typo_in_the_database_path_creates_nothing(tmp_path):
    for command in (["status"], ["crawl"]):
        line = one_line_error(crawler_cli(*command, "--db", str(tmp_path / "typo.db")), 2)
        assert "no database at" in line
    assert list(tmp_path.iterdir()) == []


def test_the_lock_file_goes_when_a_run_ends(kerio_db):
    assert not (kerio_db.parent / "policies.db.lock").exists()


# --- domains, names and exports -------------------------------------------------------------------

def test_a_domain_is_one_vendor_whatever_its_case_or_www(kerio_db, tmp_path):
    warc = write_warc(tmp_path / "k.warc.gz", kerio_history())
    db = tmp_path / "p.db"
    with LocalArchive([warc], limits=False) as served:
        assert backfill(served.base_url, db).returncode == 0
        again = crawler_cli("backfill", "WWW.Kerio.com", "--policy-url", POLICY_URL, "--db", str(db), "--archive",
                            served.base_url, *FAST)
    assert again.returncode == 0 and "0 new versions" in again.stdout
    assert [r[0] for r in sqlite3.connect(db).execute("select domain from vendors")] == ["kerio.com"]
    assert "version 1" in crawler_cli("changes", "--db", str(db), "--domain", "KERIO.COM").stdout


def test_markdown_export_into_a_used_folder_removes_what_it_no_longer_holds(kerio_db, tmp_path):
    out = tmp_path / "out"
    first = crawler_cli("export", "--db", str(kerio_db), "--out", str(out))
    assert first.stdout.startswith("wrote 5 documents")
    stale = out / "kerio.com" / "20000101000000.md"
    stale.write_text("an old document")
    # a file this export did not write is someone else's: left alone
    mine = out / "notes.md"
    mine.write_text("my notes")
    (out / ".policy-history-export").write_text((out / ".policy-history-export").read_text() + "kerio.com/20000101000000.md\n")
    second = crawler_cli("export", "--db", str(kerio_db), "--out", str(out))
    assert "removed 1 document" in second.stdout and not stale.exists() and mine.exists()
    assert len(list((out / "kerio.com").glob("*.md"))) == 5


def test_jsonl_document_is_the_markdown_file(kerio_db, tmp_path):
    crawler_cli("export", "--db", str(kerio_db), "--out", str(tmp_path / "md"))
    crawler_cli("export", "--db", str(kerio_db), "--out", str(tmp_path / "j"), "--format", "jsonl")
    for line in (tmp_path / "j" / "changes.jsonl").read_text().splitlines():
        record = json.loads(line)
        assert record["document"] == (tmp_path / "md" / "kerio.com" / f"{record['timestamp']}.md").read_text()


def test_an_export_error_names_the_path(kerio_db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    line = one_line_error(crawler_cli("export", "--db", str(kerio_db), "--out", str(blocker / "sub")), 2)
    assert str(blocker) in line


# --- installs like a tool ----------------------------------------------------------------------------

def test_pip_install_gives_a_policy_history_command_that_works_from_any_folder(tmp_path):
    import shutil

    # Built from a copy, so the build leaves nothing in the checkout.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__",
                                                               "*.db*", "demo-output", "policies"))
    target = tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                            "--target", str(target), str(source)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    script = target / "bin" / "policy-history"
    env = {**os.environ, "PYTHONPATH": str(target)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    version = subprocess.run([sys.executable, str(script), "--version"], cwd=elsewhere, capture_output=True, text=True,
                             env=env, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("policy-history ")
    demo = subprocess.run([sys.executable, str(script), "demo", "--out", str(elsewhere / "d")], cwd=elsewhere,
                          capture_output=True, text=True, env=env, timeout=180)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert (target / "crawler" / "demo_data" / "demo.warc.gz").exists()


def test_progress_names_the_vendor_and_what_remains():
    from crawler.extensions.progress import progress_line

    line = progress_line({"archive/cdx_requests": 2, "archive/replay_requests": 30, "vendors/total": 3, "vendors/listed": 1,
                          "scheduler/enqueued": 50, "downloader/response_count": 31}, 12.0, "kerio.com", 9.5)
    assert "sent 2 CDX and 30 replay requests" in line and "vendors listed 1/3" in line and "now kerio.com" in line
    assert "19 requests to go, about 2 s left" in line


def test_a_second_demo_gives_the_same_result_and_says_where_links_point(tmp_path):
    runs = [crawler_cli("demo", "--out", str(tmp_path / "d"), timeout=180) for _ in range(2)]
    assert all(r.returncode == 0 for r in runs)
    summary = [[line for line in r.stdout.splitlines() if line.startswith(("kerio.com:", "faasoft.com:"))] for r in runs]
    assert summary[0] == summary[1] and summary[0]
    assert "point to the demo's local archive" in runs[0].stdout


def test_extract_says_what_a_file_is_instead_of_not_a_policy(tmp_path):
    from tests.extract.pages import POLICY_PARAS

    page = ("<html><head><title>Privacy Policy | Example</title></head><body><h1>Privacy Policy</h1>"
            + "".join(f"<p>{p}</p>" for p in POLICY_PARAS) + "</body></html>").encode()
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page))
    assert "empty" in one_line_error(crawler_cli("extract", str(tmp_path / "empty.html")), 2)
    assert "binary" in one_line_error(crawler_cli("extract", str(tmp_path / "blob.bin")), 2)
    unzipped = crawler_cli("extract", str(tmp_path / "page.html.gz"))
    assert unzipped.returncode == 0 and unzipped.stdout.startswith("# Privacy Policy")
    assert "not a page URL" in one_line_error(crawler_cli("extract", str(tmp_path / "page.html.gz"), "--url", "notaurl"), 2)
