"""Each pipeline on items, with no crawl: Extract -> Refuse -> Deduplicate -> StoreCapture."""

from scrapy.utils.test import get_crawler

from pipelines.deduplicate import Deduplicate, text_hash
from pipelines.extract import Extract
from pipelines.refuse import Refuse
from pipelines.store import StoreCapture
from tests.helpers import capture_item
from tests.samples import KERIO_A, policy_page

SOFT_404 = b"""<html><head><title>Page not found</title></head><body><h1>404 - Page not found</h1>
<p>Sorry, the page you are looking for does not exist. Go back to the <a href="/">home page</a>.</p></body></html>"""



def fetched(body: bytes, **fields):
    item = capture_item(outcome="fetched", **fields)
    item.body, item.content_type = body, "text/html; charset=utf-8"
    return item


CRAWLERS = {}


def crawler_stats(store):
    return CRAWLERS[id(store)].stats.get_stats()


def run(item, store):
    crawler = CRAWLERS.setdefault(id(store), get_crawler(settings_dict={"STATS_DUMP": False}))
    crawler.policy_store, crawler.policy_run_id = store, None
    for pipeline in (Extract(), Refuse(), Deduplicate(), StoreCapture(crawler)):
        item = pipeline.process_item(item)
    return item


def test_extract_fills_the_document_and_drops_the_bytes():
    item = Extract().process_item(fetched(policy_page(KERIO_A, "20120101000000")))
    assert item.title == "Privacy Policy | Kerio"
    assert "Kerio Technologies will not sell your personal information" in item.markdown
    assert "We use cookies to improve your experience" not in item.markdown
    assert item.is_policy and item.body is None


def test_extract_leaves_unfetched_captures_alone():
    item = capture_item(outcome="same_digest")
    assert Extract().process_item(item).markdown is None


def test_refuse_marks_non_policies_with_their_reason():
    item = Refuse().process_item(Extract().process_item(fetched(SOFT_404)))
    assert item.outcome == "refused" and item.reason and item.markdown is None


def test_deduplicate_ignores_whitespace_and_unicode_forms():
    assert text_hash("Privacy  policy\n\ntext\u00a0here") == text_hash("Privacy policy text here")
    assert text_hash("Privacy policy") != text_hash("Privacy policies")


def test_same_text_in_new_bytes_extends_the_version(store):
    first = run(fetched(policy_page(KERIO_A, "20120101000000", 1), timestamp="20120101000000", digest="D1"), store)
    second = run(fetched(policy_page(KERIO_A, "20130101000000", 2), timestamp="20130101000000", digest="D2"), store)
    assert (first.outcome, second.outcome) == ("version", "version")
    assert crawler_stats(store)["versions/new"] == 1
    [version] = store.versions()
    assert (version["first_timestamp"], version["last_timestamp"]) == ("20120101000000", "20130101000000")


def test_a_refused_page_is_recorded_but_never_a_version(store):
    item = run(fetched(SOFT_404, digest="D404"), store)
    assert item.outcome == "refused"
    assert store.db["captures"].count == 1 and store.db["versions"].count == 0
    assert list(store.db.query("select reason from captures"))[0]["reason"] == item.reason


def test_an_extraction_crash_is_recorded_as_failed_for_the_next_run(store, monkeypatch):
    import pipelines.extract

    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipelines.extract, "extract", crash)
    item = run(fetched(policy_page(KERIO_A, "20120101000000"), digest="DX"), store)
    assert item.outcome == "failed" and "RecursionError" in item.reason
    assert store.fetched_digests(1) == set()  # not settled: the next run fetches it again
