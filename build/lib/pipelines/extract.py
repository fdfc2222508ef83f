from crawler.extract import extract
from crawler.items import CaptureItem


class ExtractPolicyText:
    """HTML bytes of a replayed capture -> title, Markdown body, policy score and stated date."""

    def process_item(self, item):
        if not isinstance(item, CaptureItem) or item.outcome != "fetched" or item.body is None:
            return item
        try:
            document = extract(item.body, url=item.captured_url or item.original, content_type=item.content_type)
        except Exception as error:  # noqa: BLE001 - one odd page must not stop the crawl, nor be lost
            # Recorded as failed, so the next run reads it again (after a fix, say) instead of skipping it.
            item.outcome, item.reason, item.body = "failed", f"extraction error: {type(error).__name__}: {error}"[:300], None
            return item
        item.title = document.title
        item.markdown = document.markdown
        item.score = document.score
        item.reason = document.reason
        item.policy_date = document.policy_date
        item.is_policy = document.is_policy
        item.body = None  # the bytes are not stored; drop them as early as possible
        return item
