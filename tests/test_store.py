"""crawler/store.py on a real SQLite file."""

import sqlite3

import pytest

from crawler.store import Store, StoreError
from tests.helpers import capture_item



def table_dump(store):
    return {t: list(store.db.query(f"select * from {t} order by 1")) for t in ("vendors", "policy_urls", "captures", "versions")}


def test_migrations_create_the_schema_once(tmp_path):
    path = tmp_path / "p.db"
    Store(path).close()
    store = Store(path)  # applying again is a no-op
    assert {"vendors", "policy_urls", "captures", "versions", "runs"} <= set(store.db.table_names())
    assert store.db["versions_fts"].exists()
    store.close()


def test_same_text_extends_the_version_and_repeats_change_nothing(store):
    store.record_capture(capture_item("20120101000000", "D1"))
    store.record_capture(capture_item("20120601000000", "D2", outcome="same_text"))
    before = table_dump(store)
    store.record_capture(capture_item("20120601000000", "D2", outcome="same_text"))
    assert table_dump(store) == before
    [version] = store.versions("kerio.com")
    assert (version["first_timestamp"], version["last_timestamp"]) == ("20120101000000", "20120601000000")
    assert version["snapshot_url"] == "https://web.archive.org/web/20120101000000id_/http%3A//www.kerio.com/privacy-policy"


def test_a_same_digest_capture_recorded_before_its_payload_gets_the_version_later(store):
    store.record_capture(capture_item("20130101000000", "D1", outcome="same_digest"))
    assert store.db.execute("select version_id from captures").fetchone()[0] is None
    store.record_capture(capture_item("20120101000000", "D1"))
    versions = store.versions()
    assert [v["last_timestamp"] for v in versions] == ["20130101000000"]
    assert store.db.execute("select count(*) from captures where version_id is null").fetchone()[0] == 0


def test_timeline_counts_a_returning_text_as_a_new_change(store):
    for ts, digest, text in [("2010", "A1", "A"), ("2011", "B1", "B"), ("2012", "A2", "A"), ("2013", "A3", "A")]:
        store.record_capture(capture_item(ts + "0101000000", digest, text=text))
    changes = store.timeline("kerio.com")
    assert [(c.timestamp[:4], c.markdown, c.until and c.until[:4]) for c in changes] == [
        ("2010", "A", "2011"), ("2011", "B", "2012"), ("2012", "A", None)]
    assert len(store.versions()) == 2


def test_settled_and_fetched_sets_leave_failures_to_retry(store):
    store.record_capture(capture_item("20120101000000", "D1"))
    store.record_capture(capture_item("20120201000000", "D2", outcome="failed"))
    store.record_capture(capture_item("20120301000000", "D3", outcome="refused"))
    settled = store.settled_capture_keys(1, "https://web.archive.org/web")
    assert {ts for ts, _ in settled} == {"20120101000000", "20120301000000"}
    assert store.fetched_digests(1) == {"D1", "D3"}


def test_failed_capture_later_succeeds_in_place(store):
    store.record_capture(capture_item("20120201000000", "D2", outcome="failed"))
    store.record_capture(capture_item("20120201000000", "D2"))
    rows = list(store.db.query("select outcome, version_id from captures"))
    assert len(rows) == 1 and rows[0]["outcome"] == "new_version" and rows[0]["version_id"]


def test_full_text_search_finds_version_text(store):
    store.record_capture(capture_item(text="We never sell your personal information."))
    hits = list(store.db["versions"].search("sell"))
    assert len(hits) == 1


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use database"):
        Store(path)
    assert path.read_bytes() == b"this is not sqlite" * 100  # nothing overwritten


def test_a_failed_write_rolls_back_the_whole_capture(store, monkeypatch):
    def boom(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store, "_refresh_version_span", boom)
    monkeypatch.setattr(store, "_extend_version_span", boom)
    with pytest.raises(sqlite3.OperationalError):
        store.record_capture(capture_item())
    assert store.db["captures"].count == 0 and store.db["versions"].count == 0
