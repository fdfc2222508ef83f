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


def _declared_charset(body: bytes, content_type: str | None) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (name := _codec(m.group(1))):
            return name
    m = _META_CHARSET.search(body[:8192])
    if m and (name := _codec(m.group(1))):
        # a page saved as UTF-8 can keep a stale <meta> that says otherwise: trust valid UTF-8 then
        if name.startswith("utf-16"):
            return "utf-8"
        return name
    return None


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


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Bytes -> text: charset from the HTTP header, then <meta>, then sniffing; mojibake repaired."""
    name = _declared_charset(body, content_type)
    text = None
    if name:
        if name in ("cp1252", "iso8859-15") or name.startswith("iso8859"):
            # many "latin-1" pages are really UTF-8 (the header is a server default): prefer valid UTF-8
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                pass
        if text is None:
            text = body.decode(name, errors="replace")
    else:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(body[:200_000]).best()
            text = body.decode(_codec(best.encoding) or "cp1252" if best else "cp1252", errors="replace")
    return fix_mojibake(text)
