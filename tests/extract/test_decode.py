"""Bytes -> text: header, <meta>, sniffing, mojibake."""

from __future__ import annotations

from crawler.extract import decode_html



def test_charset_from_http_header_wins():
    body = "<html><head><meta charset='utf-8'></head><body>Stra\u00dfe \u00e9t\u00e9</body></html>".encode("cp1252")
    assert "Stra\u00dfe \u00e9t\u00e9" in decode_html(body, "text/html; charset=windows-1252")


def test_charset_from_meta_http_equiv_and_latin1_read_as_cp1252():
    html = "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'><p>\u201cQuoted\u201d M\u00fcller</p>"
    text = decode_html(html.encode("cp1252"))
    assert "\u201cQuoted\u201d M\u00fcller" in text


def test_shift_jis_meta():
    html = "<meta charset='shift_jis'><p>\u500b\u4eba\u60c5\u5831\u4fdd\u8b77\u65b9\u91dd</p>"
    assert "\u500b\u4eba\u60c5\u5831\u4fdd\u8b77\u65b9\u91dd" in decode_html(html.encode("shift_jis"))


def test_sniffing_without_any_declaration():
    text = ("<p>" + "Die Datenschutzerkl\u00e4rung regelt, wie wir Ihre personenbezogenen Daten verarbeiten. " * 5 + "</p>")
    assert "Datenschutzerkl\u00e4rung" in decode_html(text.encode("cp1252"))
    assert "Datenschutzerkl\u00e4rung" in decode_html(text.encode("utf-8"))


def test_mojibake_repaired_and_correct_text_untouched():
    assert "industry\u2019s premier" in decode_html("<p>the software industry\u00e2\u20ac\u2122s premier</p>".encode("utf-8"))
    good = "<p>Caf\u00e9 \u201cdonn\u00e9es\u201d \ufb01le \u00c2ge 5\u00a0\u20ac</p>"
    assert decode_html(good.encode("utf-8")) == good
