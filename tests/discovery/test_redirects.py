"""crawler/discovery/redirects.py: the captured redirects that are no move of the policy."""

import pytest

from crawler.discovery.eras import follow_redirect
from crawler.discovery.redirects import Redirect


@pytest.mark.parametrize("target", [
    "https://x.com/privacy",  # same SURT key: http -> https, www. folded
    "http://www.x.com/",  # a removed page sent home
    "http://www.x.com/index.html",
    "http://www.x.com/404.html",
    "https://login.x.com/signin?next=/privacy",
    "mailto:privacy@x.com",
])
def test_redirects_that_are_no_move(target):
    assert follow_redirect("x.com", [], Redirect("http://www.x.com/privacy", target, "20150101000000")) is None
