from crawler.items import CaptureItem


class RefuseNonPolicies:
    """Captures that are not a policy (soft 404s, parked pages, home pages...) are recorded as refused,
    with their reason, and never become versions."""

    def process_item(self, item):
        if isinstance(item, CaptureItem) and item.outcome == "fetched" and not item.is_policy:
            item.outcome = "refused"
            item.markdown = None
        return item
