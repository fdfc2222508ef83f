"""Is the replayed body the archived payload? The CDX row names every capture's payload by its SHA-1
(base32); a body that does not hash to it (cut at connection close, cut with a Content-Length that
matches the cut, garbled on the way) is a failed fetch, never a version.

Pure functions (tested without a crawl) plus one small downloader middleware, `RawPayloadDigest`, that
hashes the body as it came off the wire, before Scrapy's HttpCompressionMiddleware decodes it: an
original stored gzipped (its digest is of the gzipped bytes) is then still recognised after decoding.

Which digest applies:
- a capture replayed directly: the row's digest, against the body as received, the body as Scrapy
  decoded it, and the body un-gzipped (archive.org serves some stored-plain payloads gzipped, and some
  stored-gzipped ones with a bogus empty Content-Encoding next to the real one);
- a revisit row: its digest is the original payload's, and the replay serves that payload: the same check;
- a capture reached through redirects (a captured redirect, or the archive's "found capture at"
  302 to another timestamp): the body belongs to another capture, whose digest the listing did not
  give, so it is not checked (only Scrapy's own data-loss detection applies);
- a digest that is not a SHA-1 (`-`, pywb's other algorithms): not checked.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import re
import zlib

_BASE32_SHA1 = re.compile(r"^[A-Z2-7]{32}$")
_HEX_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")

# The outcome of a fetch whose body did not match its digest (retried), and of one that never did
# after the allowed attempts (settled, with its reason).
UNVERIFIED, UNVERIFIABLE = "unverified", "unverifiable"


def sha1_base32(data: bytes) -> str:
    return base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def normalise_digest(digest: str | None) -> str | None:
    """The CDX digest as base32 SHA-1, or None when it is no SHA-1 (`-`, empty, another algorithm)."""
    if not digest:
        return None
    value = digest.strip()
    if value.lower().startswith("sha1:"):
        value = value[5:]
    if _HEX_SHA1.match(value):
        return base64.b32encode(binascii.unhexlify(value)).decode("ascii")
    value = value.upper()
    return value if _BASE32_SHA1.match(value) else None


def _ungzip(body: bytes) -> bytes | None:
    if body[:2] != b"\x1f\x8b":
        return None
    try:
        return gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return None


def body_digests(body: bytes, raw_digest: str | None = None) -> list[str]:
    """Every form of the payload the archive may have hashed: as received on the wire (`raw_digest`),
    as decoded by the client, and un-gzipped."""
    forms = [raw_digest] if raw_digest else []
    forms.append(sha1_base32(body))
    plain = _ungzip(body)
    if plain is not None:
        forms.append(sha1_base32(plain))
    return forms


def check_payload(expected: str | None, body: bytes, raw_digest: str | None = None) -> str | None:
    """None when the body is the payload named by `expected` (or `expected` names no SHA-1); else the
    reason it is not, for the capture's record."""
    want = normalise_digest(expected)
    if want is None:
        return None
    forms = body_digests(body, raw_digest)
    if want in forms:
        return None
    return f"payload digest mismatch: listed {want}, got {forms[-1]} ({len(body)} bytes)"


def check_replay(expected: str | None, body: bytes, raw_digest: str | None, hops: tuple, flags=(),
                 served_timestamp: str | None = None, listed_timestamp: str | None = None) -> str | None:
    """The check for one replayed capture (see the module's notes on which digest applies). A body
    served for another timestamp than the listed one (pywb answers an inexact or self-redirecting
    capture with the nearest other capture directly) is another capture's: not checked."""
    if "dataloss" in (flags or ()):
        return f"body cut short ({len(body)} bytes received)"
    if hops or (served_timestamp and listed_timestamp and served_timestamp != listed_timestamp):
        return None
    return check_payload(expected, body, raw_digest)


def settle_unverified(attempts_before: int, max_attempts: int) -> str:
    """After `attempts_before` earlier failed verifications of a capture, the outcome of one more:
    retried by the next run (UNVERIFIED) until `max_attempts` in all, then settled as UNVERIFIABLE."""
    return UNVERIFIABLE if attempts_before + 1 >= max_attempts else UNVERIFIED


class RawPayloadDigest:
    """Downloader middleware, placed nearer the network than HttpCompressionMiddleware: records in the
    request's meta (`payload_sha1_raw`) the digest of a replay's body exactly as it was received."""

    def process_response(self, request, response):
        if request.meta.get("archive_kind") == "replay":
            request.meta["payload_sha1_raw"] = sha1_base32(response.body)
        return response
