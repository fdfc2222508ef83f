"""An Atom feed of policy versions, so people can subscribe to vendors' policy changes."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from crawler.wayback import timestamp_to_iso
from crawler.reextract import feed_identities
from crawler.store import Store, utc_now

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(store: Store, domain: str | None = None, limit: int = 200) -> bytes:
    """One entry per version (newest first), linking to the snapshot where the text first appeared."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    versions = sorted(store.versions(domain), key=lambda v: v["first_timestamp"], reverse=True)[:limit]
    # An extraction upgrade (`reextract`) is no new entry: a version keeps the identity of its first text.
    identities = feed_identities(store)
    scope = domain or "tracked vendors"
    _text(feed, "title", f"Privacy policy changes: {scope}")
    _text(feed, "id", f"tag:policy-history,2026:feed/{domain or 'all'}")
    updated = timestamp_to_iso(versions[0]["first_timestamp"]) if versions else utc_now()
    _text(feed, "updated", updated)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "policy-history crawler")
    for version in versions:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        stamp = timestamp_to_iso(version["first_timestamp"])
        _text(entry, "title", f"{version['domain']}: {version['title']} ({stamp[:10]})")
        _text(entry, "id", f"tag:policy-history,2026:{version['domain']}/{identities.get(version['id'], version['text_hash'])}")
        _text(entry, "updated", stamp)
        _text(entry, "published", stamp)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=version["snapshot_url"])
        stated = f" The policy states the date {version['policy_date']}." if version["policy_date"] else ""
        _text(entry, "summary", f"New text of {version['url']}, first archived {stamp}.{stated}")
        content = _text(entry, "content", version["markdown"] or "")
        content.set("type", "text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element
