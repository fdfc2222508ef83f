"""crawler/run_status.py: how a run's stats become its status."""

from crawler.run_status import BLOCKED_REASON, UNREACHABLE_REASON, run_status


def test_a_clean_finished_run_is_ok():
    assert run_status({"captures/listed": 3}, "finished") == "ok"


def test_the_archive_failing_before_anything_was_listed_is_failed():
    assert run_status({"archive/errors": 1}, "finished") == "failed"
    assert run_status({"archive/errors": 3, "captures/listed": 9}, UNREACHABLE_REASON) == "failed"


def test_lost_work_is_partial_never_ok():
    assert run_status({"captures/listed": 3, "items/failed": 1}, "finished") == "partial"
    assert run_status({"captures/listed": 3, "archive/errors": 1}, "finished") == "partial"
    assert run_status({"captures/listed": 3, "captures/unsettled": 1}, "finished") == "partial"
    assert run_status({"captures/listed": 3, "listings/unsettled": 1}, "finished") == "partial"
    # The database could not be written: its own status (exit 7).
    assert run_status({"captures/listed": 3, "store/errors": 2}, "finished") == "store_failed"


def test_blocked_and_interrupted():
    assert run_status({}, BLOCKED_REASON) == "blocked"
    assert run_status({"archive/blocked": "web.archive.org"}, "finished") == "blocked"
    assert run_status({"captures/listed": 3}, "shutdown") == "interrupted"
