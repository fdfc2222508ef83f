"""Small builders shared by the tests."""

from crawler.items import CaptureItem


def capture_item(timestamp="20120512123106", digest="AAAA", outcome="version", text="Policy text v1",
                 policy_url_id=1, **fields) -> CaptureItem:
    from pipelines.deduplicate import text_hash

    item = CaptureItem(
        domain="kerio.com", policy_url="http://www.kerio.com/privacy-policy", policy_url_id=policy_url_id,
        archive="https://web.archive.org/web", timestamp=timestamp, original="http://www.kerio.com/privacy-policy",
        digest=digest, statuscode="200", mimetype="text/html", outcome=outcome,
    )
    if outcome == "version":
        item.title, item.markdown, item.text_hash = "Privacy Policy | Kerio", text, text_hash(text)
    for key, value in fields.items():
        setattr(item, key, value)
    return item
