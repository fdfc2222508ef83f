"""`export --format pll`: the source dataset's layout and header form, character for character."""

import subprocess

from crawler.capturestore.keeper import CaptureKeeper
from crawler.pll import HTML_HEADER, export_pll, pll_path
from tests.helpers import capture_item

# Copied by hand from the dataset (a/ap/apa/apachefriends.org.html, its first 330 characters): the
# two-line comment, a blank line, the page.
DATASET_HEAD = (
    "<!--The following is the downloaded HTML source of the apachefriends.org privacy policy that was archived on 2016-10-30.\n"
    " Please check the original snapshot on the Wayback Machine (https://web.archive.org/web/20161030172708id_/https%3A//www.apachefriends.org/privacy_policy.html) for the most accurate reproduction.-->\n"
    "\n"
    "<!DOCTYPE "
)
PAGE = b"<!DOCTYPE html><html><head><title>Privacy Policy | Kerio</title></head><body><h1>Privacy</h1></body></html>"


def test_the_header_is_the_dataset_s_character_for_character():
    link = "https://web.archive.org/web/20161030172708id_/https%3A//www.apachefriends.org/privacy_policy.html"
    made = HTML_HEADER.format(domain="apachefriends.org", date="2016-10-30", link=link) + "<!DOCTYPE "
    assert made == DATASET_HEAD


def test_the_folders_are_first_letter_first_two_first_three():
    assert pll_path("kerio.com") == "k/ke/ker/kerio.com"
    assert pll_path("app.net") == "a/ap/app/app.net"  # as the dataset: a/ap/app/app.net.md


def kept_store(store, tmp_path):
    keeper = CaptureKeeper(store, str(tmp_path / "policies.db.captures"), 1 << 20)
    items = []
    for ts, text, body in (("20120512123106", "Policy text v1", PAGE), ("20130101000000", "Policy text v2", PAGE + b" ")):
        item = capture_item(timestamp=ts, digest=ts, text=text)
        item.payload_digest = keeper.keep(item.original, ts, 200, [("Content-Type", "text/html")], body, item.archive)
        store.record_capture(item)
        items.append(item)
    keeper.close()
    return items


def test_pll_export_writes_the_md_as_today_and_the_page_after_the_header(store, tmp_path):
    kept_store(store, tmp_path)
    out = tmp_path / "pll"
    done = export_pll(store, out)
    md = (out / "k/ke/ker/kerio.com.md").read_text(encoding="utf-8")
    html = (out / "k/ke/ker/kerio.com.html").read_bytes()
    assert md.startswith("> *The following text is extracted and transformed from the kerio.com privacy policy that was "
                         "archived on 2013-01-01. Please check the [original snapshot on the Wayback Machine]"
                         "(https://web.archive.org/web/20130101000000id_/http%3A//www.kerio.com/privacy-policy) for the most "
                         "accurate reproduction.*\n\n# Privacy Policy | Kerio\n\nPolicy text v2\n")
    assert html == (
        "<!--The following is the downloaded HTML source of the kerio.com privacy policy that was archived on 2013-01-01.\n"
        " Please check the original snapshot on the Wayback Machine (https://web.archive.org/web/20130101000000id_/"
        "http%3A//www.kerio.com/privacy-policy) for the most accurate reproduction.-->\n\n").encode() + PAGE + b" "
    assert done.without_page == 0 and len(done.files) == 2


def test_pll_git_export_is_one_commit_per_change_dated_at_its_capture(store, tmp_path):
    kept_store(store, tmp_path)
    out = tmp_path / "git"
    done = export_pll(store, out, git=True)
    assert done.commits == 2
    log = subprocess.run(["git", "log", "--format=%at %s", "--", "k/ke/ker/kerio.com.md"], cwd=out, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert log == ["1356998400 kerio.com: policy archived on 2013-01-01", "1336825866 kerio.com: policy archived on 2012-05-12"]
    first = subprocess.run(["git", "show", "HEAD~1:k/ke/ker/kerio.com.html"], cwd=out, capture_output=True, check=True).stdout
    assert first.endswith(b"reproduction.-->\n\n" + PAGE)
    assert (out / "k/ke/ker/kerio.com.md").read_text().endswith("Policy text v2\n")
    # Exported again: the same history, not a second one on top.
    assert export_pll(store, out, git=True).commits == 2
    assert subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=out, capture_output=True, text=True).stdout.strip() == "2"
