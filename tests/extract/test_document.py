"""extract() end to end on small pages: Markdown shape, title, the fallback walk, a heading not said twice."""

from __future__ import annotations

from crawler.extract import Document, extract
from crawler.extract import document as ex

from tests.extract.pages import POLICY_PARAS, page, policy_body


def test_document_text_is_title_blank_line_body_newline():
    doc = Document(title="T", markdown="Body line.", is_policy=True, score=0.9, reason="r", policy_date=None)
    assert doc.text() == "# T\n\nBody line.\n"


def test_extract_keeps_headings_and_lists_as_markdown():
    extra = "<h2>What we collect</h2><ul><li>Your name and company name</li><li>Your e-mail address</li></ul>"
    doc = extract(page(policy_body(extra)).encode())
    assert doc.is_policy
    assert doc.title == "Privacy Policy - Example Soft"
    assert "## What we collect" in doc.markdown
    assert "  * Your name and company name\n  * Your e-mail address" in doc.markdown
    assert doc.text().startswith("# Privacy Policy - Example Soft\n\n")


def test_headings_kept_when_page_has_no_article_container():
    # trafilatura alone drops <h2> when no article/main container is found; mark_main supplies one
    body = "<div class='terms-view'>" + "".join(
        f"<h2>Section {i}</h2><p>{p}</p>" for i, p in enumerate(POLICY_PARAS)) + "</div>"
    doc = extract(page(body).encode())
    assert "## Section 3" in doc.markdown


def test_no_escaped_underscores_or_brackets_and_no_indented_code():
    extra = "<p>Contact the user_support team [weekdays] about my_account settings.</p><p>    Indented paragraph text here.</p>"
    md = extract(page(policy_body(extra)).encode()).markdown
    assert "user_support" in md and "[weekdays]" in md
    assert "\\_" not in md and "\\[" not in md
    assert "\n    Indented" not in md


def test_empty_layout_table_dropped():
    extra = "<table><tr><td></td><td>&nbsp;</td></tr></table>"
    md = extract(page(policy_body(extra)).encode()).markdown
    assert "|" not in md


def test_title_from_title_element():
    assert extract(page(policy_body(), title="  Kerio |\n Privacy ").encode()).title == "Kerio | Privacy"


def test_empty_title_falls_back_to_main_heading_then_default():
    assert extract(page(policy_body(heading="Our Privacy Notice"), title="").encode()).title == "Our Privacy Notice"
    body = "<div>" + "".join(f"<p>{p}</p>" for p in POLICY_PARAS) + "</div>"
    assert extract(page(body, title=" ").encode()).title == "Privacy Policy"


# -- fallback extractor -----------------------------------------------------------------------

def test_fallback_used_when_trafilatura_keeps_too_little(monkeypatch):
    monkeypatch.setattr(ex.trafilatura, "extract", lambda *a, **k: "Only one short line.")
    doc = extract(page(policy_body("<h2>Your rights</h2><ul><li>Access your data</li></ul>")).encode())
    assert "seven years" in doc.markdown  # the walk of the main container
    assert "## Your rights" in doc.markdown and "  * Access your data" in doc.markdown
    assert "Home" not in doc.markdown  # the container, not the whole page


def test_fallback_not_used_when_trafilatura_covers_the_container(monkeypatch):
    full = "\n\n".join(POLICY_PARAS)
    monkeypatch.setattr(ex.trafilatura, "extract", lambda *a, **k: full + "\n\nMARKER")
    assert "MARKER" in extract(page(policy_body()).encode()).markdown


def test_a_body_heading_equal_to_the_title_is_not_repeated():

    words = " ".join(["We collect personal data such as your e-mail address and use cookies to operate the service."] * 20)
    page = f"<html><head><title>Privacy Policy - Faasoft</title></head><body><article><h1>Privacy Policy - Faasoft</h1><p>{words}</p></article></body></html>"
    document = extract(page.encode())
    assert document.text().count("Privacy Policy - Faasoft") == 1
    other = page.replace("<h1>Privacy Policy - Faasoft</h1>", "<h1>Our Privacy Policy</h1>")
    assert extract(other.encode()).markdown.startswith("# Our Privacy Policy")
    # The title's own part, without the site's name, is the same heading said twice too.
    short = page.replace("<h1>Privacy Policy - Faasoft</h1>", "<h1>Privacy Policy</h1>")
    assert "# Privacy Policy\n" not in extract(short.encode()).markdown
