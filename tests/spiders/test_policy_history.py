"""spiders/policy_history.py: arguments are validated once, in from_crawler, naming the argument."""

import pytest
from scrapy.utils.test import get_crawler

from crawler.targets import TargetError
from spiders.policy_history import PolicyHistorySpider


def spider(**kwargs):
    crawler = get_crawler(PolicyHistorySpider, settings_dict={"ARCHIVE_URLS": ["https://web.archive.org"]})
    return PolicyHistorySpider.from_crawler(crawler, **kwargs)


def test_lists_come_as_python_lists_or_space_separated_and_urls_keep_their_commas():
    url = "http://www.kerio.com/legal?doc=privacy,terms"
    made = spider(domains=["kerio.com"], policy_urls=[url])
    assert made.policy_urls == {"kerio.com": [url]}
    made = spider(domains="kerio.com faasoft.com", policy_urls=url)
    assert made.domains == ["kerio.com", "faasoft.com"] and made.policy_urls["kerio.com"] == [url]
    assert made.to_discover == ["faasoft.com"]


@pytest.mark.parametrize("kwargs, name", [
    ({"domains": "http://kerio.com"}, "domains"),
    ({"domains": "kerio.com", "policy_urls": "ftp://x"}, "policy_urls"),
    ({"domains": "kerio.com", "from_date": "2012x"}, "from_date"),
    ({"domains": "kerio.com", "archive": "notaurl"}, "archive"),
    ({"domains": "kerio.com", "command": "nonsense"}, "command"),
    ({}, "domains"),
])
def test_a_bad_argument_is_one_error_naming_it(kwargs, name):
    with pytest.raises(TargetError, match=f"spider argument {name}"):
        spider(**kwargs)


def test_settings_choose_the_archives_and_their_dialect():
    crawler = get_crawler(PolicyHistorySpider, settings_dict={
        "ARCHIVE_URLS": ["https://web.archive.org", "http://127.0.0.1:8080/coll"]})
    made = PolicyHistorySpider.from_crawler(crawler, domains="kerio.com", policy_urls="http://www.kerio.com/privacy")
    assert [a.kind for a in made.archives] == ["ia", "pywb"]
