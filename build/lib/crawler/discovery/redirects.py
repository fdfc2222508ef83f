"""Captured redirects met while listing a policy URL, and where (if anywhere) they moved the policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.wayback import surt
from crawler.discovery.patterns import home_page_pattern
from crawler.discovery.urls import clean_link_url, unwrap_archive_url


@dataclass(frozen=True)
class Redirect:
    """A captured redirect met while listing a policy URL: `from_url` answered 3xx to `to_url` at `timestamp`."""

    from_url: str
    to_url: str
    timestamp: str


# A redirect to one of these is a removed page sent somewhere generic, not a policy that moved.
_NOT_A_MOVE = re.compile(r"(?:^|/)(?:404|not[-_]?found|error|errors|login|log-in|signin|sign-in|auth|sso)(?:[./?]|$)", re.I)


def redirect_target(domain: str, redirect: Redirect) -> str | None:
    """Where a captured redirect from a policy URL moved the policy, or None when it is no move:
    a redirect within one SURT key (http -> https, bare -> www.), to a home page (a removed policy
    sent to `/`), or to an error or login page. Another host counts (www., a parent company's site)."""
    target = unwrap_archive_url(redirect.to_url)
    if urlsplit(target).scheme not in ("http", "https"):
        return None
    target = clean_link_url(target)
    path = urlsplit(target).path
    if surt(target) == surt(redirect.from_url):
        return None
    if path in ("", "/") or re.fullmatch(home_page_pattern(domain), target) or _NOT_A_MOVE.search(path):
        return None
    return target
