"""Bytes -> text: BOM, charset of the HTTP header, <meta>, sniffing; mojibake repaired."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Browsers (WHATWG Encoding) read these labels as their superset; pages rely on it (curly quotes in "latin-1").
_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
              "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Typical UTF-8-read-as-cp1252/latin-1 sequences: 'Ã©', 'â€™', 'Â ' ...
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€|Ã[\u00a0-\u00ff]|[ÅÄ][\u0080-\u00bf\u0152-\u0178]")


def _codec(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, or None if unknown; maps labels to the browsers' superset."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 text that was decoded as cp1252/latin-1 ('industryâ€™s' -> 'industry’s').

    ftfy only runs when a typical mojibake sequence is present, and only its encoding fixer runs,
    so correct text (quotes, ligatures, accents) is never touched."""
    if not _MOJIBAKE.search(text):
        return text
    import ftfy

    return ftfy.fix_text(
        text, unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False,
        remove_control_chars=False, normalization=None, explain=False,
    )


def _declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Every charset the page declares, in order of authority: BOM, HTTP header, <meta>."""
    names = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            names.append(name)
    if content_type and (m := _HEADER_CHARSET.search(content_type)) and (name := _codec(m.group(1))):
        names.append(name)
    if (m := _META_CHARSET.search(body[:8192])) and (name := _codec(m.group(1))):
        # a <meta> that says UTF-16 in a page readable as bytes is stale: the page is UTF-8
        names.append("utf-8" if name.startswith("utf-16") else name)
    return list(dict.fromkeys(names))


def _decodes_sensibly(body: bytes, name: str) -> str | None:
    """The text if `body` decodes as `name` without an error and reads like a page (a UTF-8 page read
    as UTF-16 decodes to CJK soup with no '<'); else None."""
    try:
        text = body.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None
    if body.lstrip()[:1] == b"<" and "<" not in text[:2000]:
        return None
    return text


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes -> text: the first declared charset (header, then <meta>) that decodes the bytes cleanly and
    sensibly, else valid UTF-8, else sniffing; mojibake repaired. A header that lies (`utf-16` on a
    UTF-8 body, `utf-8` on a windows-1252 one) therefore gives way to the <meta> or to the bytes."""
    declared = _declared_charsets(body, content_type)
    text = None
    for name in declared:
        if name in ("cp1252", "iso8859-15") or name.startswith("iso8859"):
            # many "latin-1" pages are really UTF-8 (the header is a server default): prefer valid UTF-8
            text = _decodes_sensibly(body, "utf-8")
        text = text or _decodes_sensibly(body, name)
        if text is not None:
            break
    if text is None:
        text = _decodes_sensibly(body, "utf-8")
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        sniffed = _codec(best.encoding) if best else None
        fallback = sniffed or next((n for n in declared if not n.startswith("utf")), None) or "cp1252"
        text = body.decode(fallback, errors="replace")
    return fix_mojibake(text)
