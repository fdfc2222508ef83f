"""Item 7: the run lock is on the resolved database file: a symlink to a database in use is busy."""

import os

import pytest

from crawler.lock import LockBusy, lock_path, run_lock


def test_a_symlink_to_a_locked_database_is_locked(tmp_path):
    real = tmp_path / "real" / "policies.db"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "link.db"
    os.symlink(real, link)
    assert lock_path(str(link)) == lock_path(str(real)) == real.with_name("policies.db.lock")
    with run_lock(str(real)):
        with pytest.raises(LockBusy):
            with run_lock(str(link)):
                pass
        with pytest.raises(LockBusy):
            with run_lock(str(tmp_path / "real" / ".." / "real" / "policies.db")):
                pass
