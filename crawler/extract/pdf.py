"""PDF policies (some vendors link theirs as a PDF): text of each page -> Markdown paragraphs.

pypdf's layout mode keeps the vertical gaps, so a blank line there is a paragraph break; the lines of
a paragraph are joined (a word hyphenated across lines is put back together) and page numbers go.
"""

from __future__ import annotations

import io
import re

_PAGE_NUMBER = re.compile(r"^(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$", re.I)
# Titles that word processors put in a PDF's metadata, which say nothing of the document
_FILE_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint) - |untitled)|\.(?:docx?|rtf|odt|pdf|indd)$", re.I)


def is_pdf(body: bytes, content_type: str | None) -> bool:
    """Served as application/pdf, or the bytes start as a PDF does (a wrong or missing header)."""
    if content_type and content_type.split(";")[0].strip().lower() == "application/pdf":
        return True
    return body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-")


def _paragraphs(page_text: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", page_text):
        lines = [" ".join(line.split()) for line in block.splitlines()]
        text = ""
        for line in filter(None, lines):
            if text.endswith("-") and line[:1].islower():
                text = text[:-1] + line  # "infor-" + "mation"
            else:
                text = f"{text} {line}" if text else line
        if text and not _PAGE_NUMBER.match(text):
            out.append(text)
    return out


def read_pdf(body: bytes) -> tuple[str, str]:
    """(title from the metadata, or "" when it names a file, not the document; Markdown text).

    Raises ValueError when the PDF cannot be read (broken, encrypted)."""
    from pypdf import PdfReader  # imported here: only PDF captures pay for it
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")  # many "protected" PDFs only restrict printing, with an empty user password
        paragraphs = []
        for page in reader.pages:
            try:
                text = page.extract_text(extraction_mode="layout")
            except Exception:  # noqa: BLE001 - layout mode fails on some fonts; plain mode still reads the text
                text = page.extract_text()
            paragraphs += _paragraphs(text or "")
        title = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    except (PyPdfError, OSError, KeyError, TypeError, ValueError) as error:
        raise ValueError(f"unreadable PDF: {type(error).__name__}: {error}") from error
    return ("" if _FILE_TITLE.search(title) else title), "\n\n".join(paragraphs)
