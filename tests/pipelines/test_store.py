"""The whole item pipeline, Extract -> Refuse -> Deduplicate -> Store, on items and a real SQLite file."""

from pipelines.deduplicate import DeduplicateTexts
from pipelines.extract import ExtractPolicyText
from pipelines.refuse import RefuseNonPolicies
from pipelines.store import StoreItems
from crawler.items import PolicyUrlItem
from tests.helpers import fetched, store_extension
from tests.pipelines.test_refuse import SOFT_404
from tests.samples import KERIO_A, policy_page


def pipeline_run(extension, *items):
    storing, deduplicating = StoreItems(extension.crawler), DeduplicateTexts(extension.crawler)
    storing.store = deduplicating.store = extension
    steps = (ExtractPolicyText(), RefuseNonPolicies(), deduplicating, storing)
    done = []
    for item in (PolicyUrlItem("kerio.com", "http://www.kerio.com/privacy-policy"), *items):
        for step in steps:
            item = step.extract_item(item) if isinstance(step, ExtractPolicyText) else step.process_item(item)
        done.append(item)
    return done[1:]


def test_same_text_in_new_bytes_extends_the_version(tmp_path):
    extension = store_extension(tmp_path / "p.db")
    first, second = pipeline_run(
        extension,
        fetched(policy_page(KERIO_A, "20120101000000", 1), timestamp="20120101000000", digest="D1"),
        fetched(policy_page(KERIO_A, "20130101000000", 2), timestamp="20130101000000", digest="D2"),
    )
    assert (first.outcome, second.outcome) == ("new_version", "same_text")
    assert extension.stats.get_value("versions/new") == 1
    [version] = extension.store.versions()
    assert (version["first_timestamp"], version["last_timestamp"]) == ("20120101000000", "20130101000000")


def test_a_refused_page_is_recorded_but_never_a_version(tmp_path):
    extension = store_extension(tmp_path / "p.db")
    [item] = pipeline_run(extension, fetched(SOFT_404, digest="D404"))
    assert item.outcome == "refused"
    db = extension.store.db
    assert db["captures"].count == 1 and db["versions"].count == 0
    assert list(db.query("select reason from captures"))[0]["reason"] == item.reason


def test_a_store_error_is_counted_and_raised(tmp_path, monkeypatch):
    import pytest

    extension = store_extension(tmp_path / "p.db")
    storing = StoreItems(extension.crawler)
    storing.store = extension
    monkeypatch.setattr(extension.store, "record_capture", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        storing.process_item(fetched(b"x"))
    assert extension.stats.get_value("store/errors") == 1
