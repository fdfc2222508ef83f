"""pipelines/refuse.py on items, with no crawl."""

from pipelines.extract import ExtractPolicyText
from pipelines.refuse import RefuseNonPolicies
from tests.helpers import fetched

SOFT_404 = b"""<html><head><title>Page not found</title></head><body><h1>404 - Page not found</h1>
<p>Sorry, the page you are looking for does not exist. Go back to the <a href="/">home page</a>.</p></body></html>"""


def test_refuse_marks_non_policies_with_their_reason():
    item = RefuseNonPolicies().process_item(ExtractPolicyText().extract_item(fetched(SOFT_404)))
    assert item.outcome == "refused" and item.reason and item.markdown is None


def test_refuse_keeps_policies():
    item = fetched(b"")
    item.is_policy, item.markdown = True, "We collect your name."
    assert RefuseNonPolicies().process_item(item).outcome == "fetched"
