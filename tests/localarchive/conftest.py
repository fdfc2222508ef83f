"""The fixture WARC and one archive serving it, shared by the local archive's tests (module-scoped)."""

import pytest

from crawler.localarchive import ArchiveIndex, LocalArchive, write_warc
from tests.localarchive.helpers import FIXTURE_CAPTURES


@pytest.fixture(scope="module")
def warc_path(tmp_path_factory) -> str:
    return write_warc(tmp_path_factory.mktemp("warcs") / "fixture.warc.gz", FIXTURE_CAPTURES)


@pytest.fixture(scope="module")
def archive(warc_path):
    with LocalArchive(ArchiveIndex.from_warcs([warc_path]), limits=False) as served:
        yield served


@pytest.fixture(scope="module")
def base(archive) -> str:
    return archive.base_url
