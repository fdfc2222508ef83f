"""pipelines/deduplicate.py and crawler/dedup.py."""

from crawler.dedup import PayloadsRead, text_hash
from crawler.wayback import EMPTY_DIGEST
from pipelines.deduplicate import DeduplicateTexts
from crawler.items import PolicyUrlItem
from tests.helpers import capture_item, fetched, store_extension


def test_text_identity_ignores_whitespace_and_unicode_forms():
    assert text_hash("Privacy  policy\n\ntext\u00a0here") == text_hash("Privacy policy text here")
    assert text_hash("Privacy policy") != text_hash("Privacy policies")


def deduplicate(extension, markdown):
    step = DeduplicateTexts(extension.crawler)
    step.store = extension
    item = fetched(b"")
    item.markdown = markdown
    return step.process_item(item)


def test_a_new_text_is_a_new_version_and_a_stored_one_the_same_text(tmp_path):
    extension = store_extension(tmp_path / "p.db")
    extension.write(PolicyUrlItem("kerio.com", "http://www.kerio.com/privacy-policy"))
    first = deduplicate(extension, "We collect your name.")
    assert first.text_hash == text_hash("We collect your name.") and first.outcome == "new_version"
    extension.write(first)
    assert deduplicate(extension, "We  collect your name.").outcome == "same_text"
    assert deduplicate(extension, "We collect your email.").outcome == "new_version"


def test_captures_not_fetched_are_left_alone():
    item = DeduplicateTexts(None).process_item(capture_item(outcome="refused", text_hash=None))
    assert item.text_hash is None and item.outcome == "refused"


def test_the_empty_digest_of_bodiless_redirects_is_never_a_known_payload():
    payloads = PayloadsRead({"D1"})
    payloads.add(EMPTY_DIGEST)
    assert payloads.known("D1") and not payloads.known(EMPTY_DIGEST) and not payloads.known("D2")
