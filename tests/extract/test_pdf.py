"""PDF policies: read with pypdf into Markdown paragraphs, refused or accepted like a page."""

from __future__ import annotations

import textwrap

from crawler.extract import extract, main
from crawler.extract.pdf import is_pdf

from tests.extract.pages import POLICY_PARAS, make_pdf


def policy_pdf(title: str | None = "Example Soft Privacy Policy") -> bytes:
    lines = ["Privacy Policy", "", "Last updated: March 3, 2021", ""]
    for para in POLICY_PARAS:
        lines += textwrap.wrap(para, 70) + [""]
    lines[6] = lines[6] + " infor-"  # a word hyphenated across two lines
    lines[7] = "mation " + lines[7]
    return make_pdf([lines[:18] + ["", "1"], lines[18:] + ["", "Page 2 of 2"]], title=title)


def test_a_pdf_policy_is_read_into_paragraphs():
    doc = extract(policy_pdf(), url="http://www.example.com/privacy.pdf", content_type="application/pdf")
    assert doc.is_policy and doc.reason.startswith("policy:")
    assert doc.title == "Example Soft Privacy Policy"
    paragraphs = doc.markdown.split("\n\n")
    assert paragraphs[0] == "Privacy Policy"
    assert POLICY_PARAS[-1] in paragraphs  # lines of a paragraph joined, in one paragraph
    assert "information" in doc.markdown and "infor-" not in doc.markdown
    assert "Page 2 of 2" not in doc.markdown and "\n\n1\n\n" not in doc.markdown
    assert doc.policy_date == "2021-03-03"


def test_a_file_name_in_the_metadata_is_no_title():
    doc = extract(policy_pdf(title="Microsoft Word - privacy_v3.doc"), content_type="application/pdf")
    assert doc.title == "Privacy Policy"
    assert not doc.markdown.startswith("Privacy Policy")  # said once, as the title


def test_a_pdf_is_known_by_its_bytes_whatever_the_header():
    assert is_pdf(b"%PDF-1.4\n...", "application/octet-stream")
    assert is_pdf(b"...", "application/pdf; qs=0.001")
    assert not is_pdf(b"<html>%PDF-</html>", "text/html")
    assert extract(policy_pdf(), content_type="text/html").is_policy


def test_a_pdf_that_is_not_a_policy_is_refused():
    lines = ["Price list 2012", ""] + [f"WinZap Pro {n} user licence: {n * 29} USD, upgrade {n * 12} USD." for n in range(1, 40)]
    doc = extract(make_pdf([lines]), content_type="application/pdf")
    assert not doc.is_policy


def test_a_broken_pdf_is_refused_with_its_reason():
    doc = extract(b"%PDF-1.4\nthis is not really a pdf", content_type="application/pdf")
    assert not doc.is_policy and doc.reason.startswith("unreadable PDF")


def test_the_extract_command_reads_a_pdf(tmp_path, capsys):
    f = tmp_path / "privacy.pdf"
    f.write_bytes(policy_pdf())
    assert main([str(f)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Example Soft Privacy Policy\n\nPrivacy Policy\n\nLast updated: March 3, 2021\n\n")
