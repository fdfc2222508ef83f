"""Never below the whole page's trafilatura: a container that starts mid-policy, edge blocks trimmed."""

from __future__ import annotations

import pytest

from crawler.extract import document, extract, guard

from tests.extract.pages import POLICY_PARAS, page


def mid_policy_page() -> bytes:
    # The head of the policy sits in its own block, the rest (over 70% of the text) in another:
    # the main container is the second, and trafilatura on it alone would start mid-policy.
    head = ("<div class='part'><h1>Privacy Policy</h1>"
            "<p>Example Soft Ltd, 1 High Street, Leeds, is the controller of your personal data. This notice applies to "
            "our website, our desktop products and our support forum, and it was last changed in March 2021.</p></div>")
    rest = "<div class='part'>" + "".join(f"<p>{p}</p>" for p in POLICY_PARAS * 2) + "</div>"
    return page(f"<div class='page'>{head}{rest}</div>").encode()


@pytest.mark.parametrize("whole_coverage", [document.WHOLE_COVERAGE, 2.0], ids=["default", "container-run-always"])
def test_container_that_starts_mid_policy_does_not_lose_the_head(monkeypatch, whole_coverage):
    # 2.0: the container's own run always happens, so the guard (not the shortcut) must keep the head
    monkeypatch.setattr(document, "WHOLE_COVERAGE", whole_coverage)
    doc = extract(mid_policy_page())
    assert "is the controller of your personal data" in doc.markdown
    assert "seven years" in doc.markdown
    assert doc.is_policy


def test_kept_share_counts_the_yardsticks_words():
    assert guard.kept_share("a b c", "a b c d") == 0.75
    assert guard.kept_share("anything", "") == 1.0


def test_trailing_blocks_the_whole_page_left_out_are_trimmed_unless_they_read_as_policy():
    policy = "\n\n".join(POLICY_PARAS)
    blurb = "## Recent reviews by users\n\nSiteWorth is a website value calculator that estimates page rank and backlinks."
    assert guard.trim_edges(policy + "\n\n" + blurb, policy) == policy
    # a last section the whole-page extraction missed, but that is policy text, stays
    tail = "## Links to other sites\n\nLinked sites have their own privacy policy; we are not responsible for them."
    assert guard.trim_edges(policy + "\n\n" + tail, policy) == policy + "\n\n" + tail


def test_no_trimming_when_the_whole_page_extraction_failed():
    md = "\n\n".join(POLICY_PARAS) + "\n\nA closing line about nothing in particular at all."
    assert guard.trim_edges(md, "") == md
