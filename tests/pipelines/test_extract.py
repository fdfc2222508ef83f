"""pipelines/extract.py on items, with no crawl."""

from pipelines.extract import ExtractPolicyText
from tests.helpers import capture_item, fetched
from tests.samples import KERIO_A, policy_page


def test_extract_fills_the_document_and_drops_the_bytes():
    item = ExtractPolicyText().extract_item(fetched(policy_page(KERIO_A, "20120101000000")))
    assert item.title == "Privacy Policy | Kerio"
    assert "Kerio Technologies will not sell your personal information" in item.markdown
    assert "We use cookies to improve your experience" not in item.markdown
    assert item.is_policy and item.body is None


def test_extract_reads_only_fetched_captures():
    # A body on an item that was not fetched (say, a repeat of a known payload) is not read.
    item = capture_item(outcome="same_digest")
    item.body, item.content_type = policy_page(KERIO_A, "20120101000000"), "text/html"
    item = ExtractPolicyText().extract_item(item)
    assert item.markdown is None and item.title is None and item.outcome == "same_digest"


def test_an_extraction_crash_is_recorded_as_failed_for_the_next_run(monkeypatch):
    import pipelines.extract

    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pipelines.extract, "extract", crash)
    item = ExtractPolicyText().extract_item(fetched(policy_page(KERIO_A, "20120101000000"), digest="DX"))
    assert item.outcome == "failed" and "RecursionError" in item.reason and item.body is None
