import sys
from pathlib import Path

# The repo root holds the `crawler`, `spiders` and `pipelines` packages.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


import pytest  # noqa: E402


@pytest.fixture
def store(tmp_path):
    """A real SQLite store with kerio.com's policy URL tracked (policy_url_id 1)."""
    from crawler.store import Store

    opened = Store(tmp_path / "policies.db")
    opened.ensure_policy_url("kerio.com", "http://www.kerio.com/privacy-policy")
    yield opened
    opened.close()


@pytest.fixture(autouse=True, scope="session")
def _budget_dir(tmp_path_factory):
    """Crawls started by the tests share their archive budget in a folder of their own, not the user's cache."""
    import os

    os.environ.setdefault("POLICY_BUDGET_DIR", str(tmp_path_factory.mktemp("budget")))
    yield
