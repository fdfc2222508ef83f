"""Decode what the bytes are, not what the headers say: a replay whose Content-Encoding names gzip or
deflate while its body is plain (an archive bug) would fail decompression on every run, the capture
never settled and its listing mark stuck. This downloader middleware, nearer the network than
Scrapy's HttpCompressionMiddleware, drops such a Content-Encoding so the plain body is read as it is.
A body that really is compressed keeps its header (archive.org's `content-encoding: ""` next to
`Content-Encoding: gzip` included: the spider un-gzips what is left)."""

from __future__ import annotations

import zlib

_GZIP_MAGIC = b"\x1f\x8b"


def really_encoded(body: bytes, encoding: str) -> bool:
    """Whether `body` starts like data in `encoding` (gzip, x-gzip, deflate); other encodings: assumed so."""
    name = encoding.strip().lower()
    if not body:
        return False
    if name in ("gzip", "x-gzip"):
        return body[:2] == _GZIP_MAGIC
    if name == "deflate":
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                zlib.decompressobj(wbits).decompress(body[:4096])
                return True
            except zlib.error:
                continue
        return False
    return True


class HonestContentEncoding:
    def process_response(self, request, response):
        if request.meta.get("archive_kind") != "replay":
            return response
        encodings = [e.decode("latin-1") for e in response.headers.getlist("Content-Encoding")]
        named = [e for e in encodings if e.strip()]
        if named and not all(really_encoded(response.body, e) for e in named[-1:]):
            headers = response.headers.copy()
            del headers["Content-Encoding"]
            request.meta["content_encoding_ignored"] = ", ".join(named)
            return response.replace(headers=headers)
        return response
