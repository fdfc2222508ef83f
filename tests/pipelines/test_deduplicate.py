"""pipelines/deduplicate.py and crawler/dedup.py."""

from crawler.dedup import PayloadsRead, text_hash
from crawler.wayback import EMPTY_DIGEST
from pipelines.deduplicate import DeduplicateTexts
from tests.helpers import capture_item, fetched


def test_text_identity_ignores_whitespace_and_unicode_forms():
    assert text_hash("Privacy  policy\n\ntext\u00a0here") == text_hash("Privacy policy text here")
    assert text_hash("Privacy policy") != text_hash("Privacy policies")


def test_a_fetched_policy_text_gets_its_identity():
    item = fetched(b"")
    item.markdown = "We collect your name."
    item = DeduplicateTexts(None).process_item(item)
    assert item.text_hash == text_hash("We collect your name.") and item.outcome == "version"


def test_captures_not_fetched_are_left_alone():
    item = DeduplicateTexts(None).process_item(capture_item(outcome="refused", text_hash=None))
    assert item.text_hash is None and item.outcome == "refused"


def test_the_empty_digest_of_bodiless_redirects_is_never_a_known_payload():
    payloads = PayloadsRead({"D1"})
    payloads.add(EMPTY_DIGEST)
    assert payloads.known("D1") and not payloads.known(EMPTY_DIGEST) and not payloads.known("D2")
