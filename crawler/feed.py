"""An Atom feed of policy changes, so people can subscribe to vendors' policy changes. One entry per
change of the timeline (the same as `changes` and `export`), newest first."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from crawler.reextract import feed_identities
from crawler.store import Store, utc_now
from crawler.views import period
from crawler.wayback import timestamp_to_iso

ATOM = "http://www.w3.org/2005/Atom"


def entry_id(change, identities: dict[int, str]) -> str:
    """Unique and stable: a vendor's change is known by its date and its text (the version's first text:
    an extraction upgrade by `reextract` keeps the entry's identity)."""
    text = identities.get(change.version_id, change.text_hash)
    return f"tag:policy-history,2026:{change.domain}/{change.timestamp}/{text[:16]}"


def atom_feed(store: Store, domain: str | None = None, limit: int = 200) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    changes = sorted(store.timeline(domain), key=lambda c: (c.timestamp, c.domain), reverse=True)[:limit]
    # An extraction upgrade (`reextract`) is no new entry: a version keeps the identity of its first text.
    identities = feed_identities(store)
    scope = domain or "tracked vendors"
    _text(feed, "title", f"Privacy policy changes: {scope}")
    _text(feed, "id", f"tag:policy-history,2026:feed/{domain or 'all'}")
    _text(feed, "updated", timestamp_to_iso(changes[0].timestamp) if changes else utc_now())
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "policy-history crawler")
    for change in changes:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        stamp = timestamp_to_iso(change.timestamp)
        _text(entry, "title", f"{change.domain}: version {change.version}, {change.title} ({stamp[:10]})")
        _text(entry, "id", entry_id(change, identities))
        _text(entry, "updated", stamp)
        _text(entry, "published", stamp)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=change.snapshot_url)
        stated = f" The policy states the date {change.policy_date}." if change.policy_date else ""
        _text(entry, "summary", f"Version {change.version} of {change.url}: {period(change)}.{stated}")
        content = _text(entry, "content", change.markdown or "")
        content.set("type", "text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = value
    return element
