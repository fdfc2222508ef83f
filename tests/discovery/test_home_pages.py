"""crawler/discovery/home_pages.py: which archived home pages to read."""

from crawler.discovery.home_pages import home_page_sample_times, plan_home_page_fetches
from tests.discovery.cdx_rows import row


def test_home_page_sampled_twice_a_year_across_the_span():
    times = home_page_sample_times("20050310000000", "20200601000000")
    assert len(times) == 32 and times[0] == "20050310000000" and times[-1] == "20200601000000"
    assert times[1] == "20050910000000" and times[2] == "20060310000000"
    assert len(home_page_sample_times("20050310000000", "20200601000000", per_year=1)) == 17
    assert home_page_sample_times(None, None) == []


def test_home_page_samples_move_to_real_captures():
    captured = ["20100105000000", "20100620000000", "20100625000000", "20110301000000", "20121231000000"]
    times = home_page_sample_times(None, None, captured=captured)
    # targets 2010-01, 2010-07, 2011-01, 2011-07, 2012-01, 2012-07, 2012-12: nearest capture, once each
    assert times == ["20100105000000", "20100625000000", "20110301000000", "20121231000000"]


def test_plan_home_page_fetches_reads_live_captures_of_the_own_home_page():
    rows = [row("http://www.x.com/", f"{y}{m}01000000") for y in range(2010, 2013) for m in ("01", "04", "07", "10")]
    rows += [row("http://x.com/", "20100201000000", "301"), row("http://blog.x.com/", "20110101000000"),
             row("http://www.x.com/privacy", "20100101000000")]
    fetches = plan_home_page_fetches("x.com", rows)
    assert [f.timestamp for f in fetches] == ["20100101000000", "20100701000000", "20110101000000",
                                              "20110701000000", "20120101000000", "20120701000000", "20121001000000"]
    assert {f.url for f in fetches} == {"http://www.x.com/"}


def test_home_pages_are_bisected_on_the_link_they_name():
    from crawler.discovery.home_pages import HomePageFetch, next_home_page_reads

    captures = [HomePageFetch(f"2010{m:02d}01000000", "http://www.x.com/") for m in range(1, 13)]
    truth = ["/privacy.html"] * 5 + ["/privacy-policy"] * 7
    said, reads = {}, []
    for _ in range(20):
        wanted = next_home_page_reads(captures, said, ())
        if not wanted:
            break
        reads += wanted
        said.update({k: truth[k] for k in wanted})
    # The first and last, then down to the two adjacent pages where the link changes: not all twelve.
    assert 4 in said and 5 in said and said[4] != said[5]
    assert len(reads) <= 6
