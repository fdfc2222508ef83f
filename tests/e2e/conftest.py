"""Fixtures of the end-to-end tests: kerio.com's sample history as a WARC, and the local archive over it."""

import pytest

from crawler.localarchive import LocalArchive, write_warc
from tests.samples import kerio_history


@pytest.fixture(scope="module")
def kerio_warc(tmp_path_factory):
    return write_warc(tmp_path_factory.mktemp("warc") / "kerio.warc.gz", kerio_history())


@pytest.fixture
def archive(kerio_warc):
    with LocalArchive([kerio_warc], limits=False) as served:
        yield served
