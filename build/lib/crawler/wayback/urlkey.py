"""SURT keys: the archive's own name for a URL, folding scheme, `www.`, default ports, host case and query order."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# SURT keys fold what the Wayback Machine folds: scheme, a leading "www.", default ports, host case.
_WWW = re.compile(r"^www\d*\.")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def surt(url: str) -> str:
    """The archive.org SURT key of a URL, e.g. ``http://www.Kerio.com/privacy?b=1&a=2`` -> ``com,kerio)/privacy?a=2&b=1``."""
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().strip(".")
    host = _WWW.sub("", host)
    port = parts.port
    scheme = parts.scheme.lower()
    key = ",".join(reversed(host.split("."))) if host else ""
    if port and str(port) != _DEFAULT_PORTS.get(scheme):
        key += f":{port}"
    path = parts.path or "/"
    query = parts.query
    if query:
        query = "&".join(sorted(query.split("&")))
        path += "?" + query
    return f"{key}){path.lower()}"
