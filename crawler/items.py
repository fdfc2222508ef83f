"""What travels from the spider through the pipelines to the store. The spider only yields these;
the store extension writes them (crawler/extensions/store.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PolicyUrlItem:
    """A policy URL of a vendor: given, found by discovery, or reached by a captured redirect."""

    domain: str
    url: str
    found_by: str = "given"  # "given", "cdx", "home_page", "redirect"
    era_from: str | None = None  # for a discovered URL: the period it held as far as discovery saw
    era_to: str | None = None


@dataclass
class DiscoveryItem:
    """What searching a domain for its policy gave: "found", "none", or "redirect" (a new URL followed)."""

    domain: str
    outcome: str
    summary: str


@dataclass
class ListingItem:
    """A policy URL's listing in one archive went to its end up to `listed_up_to`. The store moves the
    URL's mark there once the run has finished and everything before it is settled."""

    domain: str
    policy_url: str
    archive: str
    listed_up_to: str


@dataclass
class CaptureItem:
    # Where it belongs (the store knows the policy URL by domain and URL key).
    domain: str
    policy_url: str
    archive: str
    # What the CDX listing said.
    timestamp: str
    original: str
    digest: str
    statuscode: str
    mimetype: str
    length: int | None = None
    # What the spider did: "fetched" (body below), "same_digest" (payload already known, not fetched),
    # "archived_error", "skipped_type", "not_memento", "redirect_loop", "self_redirect" (to the same URL
    # key: its target is in the same listing), "failed", "inferred_same_text" (not read: between two reads of
    # the same text, crawler/reading.py; `text_hash` says which, None for a non-policy page). Pipelines refine "fetched" into "refused", or
    # into "new_version" (a text not stored before) or "same_text" (a stored text seen again).
    outcome: str = "fetched"
    reason: str = ""
    # The capture actually replayed, after following captured redirects.
    captured_url: str | None = None
    captured_timestamp: str | None = None
    body: bytes | None = field(default=None, repr=False)
    content_type: str | None = None
    # The replay's status and headers, for the capture store (pipelines/keep.py), and the digest of the
    # payload it kept.
    replay_status: int | None = None
    replay_headers: list | None = field(default=None, repr=False)
    payload_digest: str | None = None
    # Filled in by the pipelines.
    title: str | None = None
    markdown: str | None = field(default=None, repr=False)
    score: float | None = None
    policy_date: str | None = None
    text_hash: str | None = None
    is_policy: bool | None = None


@dataclass
class PayloadItem:
    """A payload read without a capture of its own: a home page read by discovery, or a captured
    redirect on the way to a capture. Only the capture store keeps it (pipelines/keep.py)."""

    archive: str
    url: str  # the URL captured
    timestamp: str  # the capture's time (Memento-Datetime)
    status: int
    headers: list = field(repr=False)
    body: bytes = field(repr=False)
    replay_url: str = ""
    location: str | None = None  # a captured redirect's original Location
