"""crawler/extensions/store.py: the one writer of a crawl, on a real SQLite file."""

import pytest

from crawler.items import DiscoveryItem, ListingItem, PolicyUrlItem
from tests.helpers import capture_item, store_extension

URL = "http://www.kerio.com/privacy-policy"
IA = "https://web.archive.org/web"


class Spider:
    command, domains, archives = "backfill", ["kerio.com"], []


def test_items_are_written_and_the_spider_reads_back_what_is_known(tmp_path):
    extension = store_extension(tmp_path / "p.db")
    extension.spider_opened(Spider())
    extension.write(PolicyUrlItem("kerio.com", URL, "cdx", "2010", "2012"))
    extension.write(DiscoveryItem("kerio.com", "found", "kerio.com: 1 policy URL"))
    extension.write(capture_item("20120101000000", "D1"))
    extension.write(capture_item("20120201000000", "D2", outcome="failed"))
    settled, digests, mark = extension.known_of("kerio.com", "http://kerio.com/privacy-policy", IA)
    assert settled == {("20120101000000", URL)} and digests == {"D1"} and mark is None
    assert extension.known_of("kerio.com", "http://kerio.com/other", IA) == (set(), set(), None)
    assert extension.stats.get_value("items/new_version") == 1 and extension.stats.get_value("versions/new") == 1
    assert [r["summary"] for r in extension.store.db.query("select summary from discoveries")] == ["kerio.com: 1 policy URL"]


def test_listing_marks_move_only_when_the_run_finished_cleanly(tmp_path):
    for reason, expected in (("finished", "20120101000000"), ("shutdown", None)):
        extension = store_extension(tmp_path / f"{reason}.db")
        extension.spider_opened(Spider())
        extension.write(PolicyUrlItem("kerio.com", URL))
        extension.write(capture_item("20120101000000", "D1"))
        extension.write(ListingItem("kerio.com", URL, IA, "20120101000000"))
        extension.spider_closed(Spider(), reason)
        extension.store = type(extension.store)(tmp_path / f"{reason}.db")
        assert extension.store.listed_through(1, IA) == expected


def test_a_listing_mark_never_passes_a_capture_that_still_needs_work(tmp_path):
    extension = store_extension(tmp_path / "p.db")
    extension.spider_opened(Spider())
    extension.write(PolicyUrlItem("kerio.com", URL))
    extension.write(capture_item("20120101000000", "D1"))
    extension.write(capture_item("20120601000000", "D2", outcome="failed"))
    extension.write(ListingItem("kerio.com", URL, IA, "20121231000000"))
    extension.spider_closed(Spider(), "finished")
    extension.store = type(extension.store)(tmp_path / "p.db")
    assert extension.store.listed_through(1, IA) == "20120601000000"


def test_a_capture_of_an_untracked_url_is_refused(tmp_path):
    extension = store_extension(tmp_path / "p.db")
    with pytest.raises(Exception, match="not tracked"):
        extension.write(capture_item())
