"""crawler/export.py: the documents in the format of the source extracts, byte for byte."""

from crawler.wayback import snapshot_link
from crawler.export import json_record, markdown_document
from crawler.store import Change

# The first lines of a source extract of the Princeton-Leuven dataset (kerio.com, 2012-05-12), copied.
SEED_START = (
    "> *The following text is extracted and transformed from the kerio.com privacy policy that was archived on "
    "2012-05-12. Please check the [original snapshot on the Wayback Machine]"
    "(https://web.archive.org/web/20120512123106id_/http%3A//www.kerio.com/privacy-policy) for the most accurate "
    "reproduction.*\n\n# Privacy Policy | Kerio\n\n### How We Use the Information We Collect\n\n"
)


def change(**fields) -> Change:
    values = dict(
        domain="kerio.com", url="http://www.kerio.com/privacy-policy", timestamp="20120512123106", until=None,
        version=1, version_id=1, text_hash="h", title="Privacy Policy | Kerio",
        markdown="### How We Use the Information We Collect\n\nAt Kerio Technologies, we know...\n\n",
        policy_date="2007-11-20",
        snapshot_url=snapshot_link("https://web.archive.org/web", "20120512123106", "http://www.kerio.com/privacy-policy"),
        captured_url="http://www.kerio.com/privacy-policy", archive="https://web.archive.org/web",
    )
    values.update(fields)
    return Change(**values)


def test_markdown_document_starts_exactly_like_the_source_extracts():
    document = markdown_document(change())
    assert document.startswith(SEED_START)
    assert document.endswith("we know...\n")


def test_json_record_dates_the_change_and_its_end():
    record = json_record(change(until="20130610100000"))
    assert record["archived_at"] == "2012-05-12T12:31:06Z" and record["in_force_until"] == "2013-06-10T10:00:00Z"
    assert record["policy_date"] == "2007-11-20"
    assert record["snapshot_url"] == "https://web.archive.org/web/20120512123106id_/http%3A//www.kerio.com/privacy-policy"
