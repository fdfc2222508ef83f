"""The one item that travels from the spider through the pipelines to the store: a capture seen in a listing."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CaptureItem:
    # Where it belongs.
    domain: str
    policy_url: str
    policy_url_id: int
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
    # key: its target is in the same listing), "failed". Pipelines refine
    # "fetched" into "version" (a policy text) or "refused".
    outcome: str = "fetched"
    reason: str = ""
    # The capture actually replayed, after following captured redirects.
    captured_url: str | None = None
    captured_timestamp: str | None = None
    body: bytes | None = field(default=None, repr=False)
    content_type: str | None = None
    # Filled in by the pipelines.
    title: str | None = None
    markdown: str | None = field(default=None, repr=False)
    score: float | None = None
    policy_date: str | None = None
    text_hash: str | None = None
    is_policy: bool | None = None
