"""Reading a URL: its host (punycode, SURT), its words folded for comparison, the original URL
behind an archive's replay wrapper, and the form the archive indexes a link under."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

from w3lib.url import safe_url_string

from crawler.wayback import surt


def _idna_host(host: str) -> str:
    host = (host or "").lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return host


def surt_host(url: str) -> str:
    """`https://www.Bücher.de:443/x` -> `de,xn--bcher-kva`: the host part of the SURT key (www. folded)."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    netloc = _idna_host(parts.hostname or "")
    if parts.port and parts.port not in (80, 443):
        netloc += f":{parts.port}"
    return surt(f"http://{netloc}/").split(")", 1)[0]


def hostname(url: str) -> str:
    return _idna_host(urlsplit(url).hostname or "")


def plain(text: str) -> str:
    """Lower case, percent-decoded, accents stripped, `_` read as `-`: `Datenschutzerkl%C3%A4rung` -> `datenschutzerklarung`."""
    text = unicodedata.normalize("NFKD", unquote(text).casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("_", "-")


# `/web/2015...[id_]/http://...` (archive.org, any host or relative), `/<collection>/<ts>/http...` (pywb).
_WRAPPED = re.compile(r"^.*?/(?:web/)?[0-9]{4,14}(?:[a-z]{2}_|\*)?/((?:https?:)?/+.*)$", re.I | re.S)
_WRAPPED_NO_SCHEME = re.compile(r"^/web/[0-9]{4,14}(?:[a-z]{2}_|\*)?/([^/]+\.[^/]+(?:/.*)?)$", re.I | re.S)


def unwrap_archive_url(url: str) -> str:
    """`https://web.archive.org/web/20150101000000/http://www.x.com/privacy` -> `http://www.x.com/privacy`;
    also `/web/2015...id_/...`, `http:/x.com` (slashes collapsed by rewriting), no scheme. Others unchanged."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _WRAPPED.match(path)
    if match:
        inner = match.group(1)
        inner = re.sub(r"^(https?):/+", r"\1://", inner, flags=re.I)
        if inner.startswith("/"):  # `//host/...` or `/host/...`: no scheme
            inner = "http://" + inner.lstrip("/")
        return inner + (f"#{parts.fragment}" if parts.fragment else "")
    match = _WRAPPED_NO_SCHEME.match(path)
    if match:
        return "http://" + match.group(1)
    return url


def clean_link_url(url: str) -> str:
    """Absolute URL -> the form the archive indexes: punycode host, percent-encoded path, no
    fragment, no `utm_` tracking parameters."""
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("utm_"))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))
