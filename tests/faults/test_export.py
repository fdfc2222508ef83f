"""Item 9: an export that fails (full disk) leaves no `.tmp` file and no partial folder; the JSON lines
export is streamed (memory does not grow with the number of changes)."""

import errno
import tracemalloc

import pytest

import crawler.export as export_module
from crawler.export import export
from crawler.store import Store
from tests.helpers import capture_item

POLICY_URL = "http://www.kerio.com/privacy-policy"


def alternating_store(path, changes: int, words: int = 1500) -> Store:
    """`changes` captures alternating between two long texts: `changes` changes in the timeline."""
    store = Store(path)
    store.ensure_policy_url("kerio.com", POLICY_URL)
    texts = [" ".join(f"{label}{i}" for i in range(words)) for label in ("alpha", "beta")]
    for i in range(changes):
        store.record_capture(capture_item(timestamp=f"{20000101000000 + i * 1000000}", digest=f"D{i % 2}",
                                          text=texts[i % 2]))
    return store


def test_a_full_disk_leaves_no_tmp_file_and_no_partial_folder(tmp_path, monkeypatch):
    store = alternating_store(tmp_path / "p.db", 12, words=50)
    real_write, calls = export_module._write_file, []

    def full_disk(path, text):
        calls.append(path)
        if len(calls) == 5:
            path.write_text(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, text)
    monkeypatch.setattr(export_module, "_write_file", full_disk)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        export(store, out)
    store.close()
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("p.db"))


def test_a_failed_export_into_an_existing_folder_leaves_it_as_it_was(tmp_path, monkeypatch):
    store = alternating_store(tmp_path / "p.db", 6, words=50)
    out = tmp_path / "out"
    export(store, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(export_module, "_write_file", lambda path, text: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(OSError):
        export(store, out)
    store.close()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or ".partial-" in p.name]


def test_the_jsonl_export_is_streamed(tmp_path):
    store = alternating_store(tmp_path / "p.db", 600)  # ~ 600 x 12 KB of Markdown in the lines
    tracemalloc.start()
    export(store, tmp_path / "out", "jsonl")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = (tmp_path / "out" / "changes.jsonl").stat().st_size
    store.close()
    assert size > 6_000_000
    assert peak < size / 4, (peak, size)
