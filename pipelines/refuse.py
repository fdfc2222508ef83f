class Refuse:
    """Captures that are not a policy (soft 404s, parked pages, home pages...) are recorded as refused,
    with their reason, and never become versions."""

    def process_item(self, item):
        if item.outcome == "fetched" and not getattr(item, "is_policy", False):
            item.outcome = "refused"
            item.markdown = None
        return item
