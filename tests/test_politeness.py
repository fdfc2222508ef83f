"""crawler/politeness.py: the budget of each archive, on a fake clock."""

from crawler.politeness import ArchiveBudget


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_requests_of_a_kind_are_spaced_by_the_interval_without_jitter():
    clock = Clock()
    budget = ArchiveBudget({"cdx": 2.0, "replay": 0.1}, clock)
    assert [budget.reserve("cdx", "a") for _ in range(3)] == [0.0, 2.0, 4.0]
    assert budget.reserve("replay", "a") == 0.0  # another kind has its own turn


def test_two_archives_never_share_a_budget():
    budget = ArchiveBudget({"cdx": 2.0}, Clock())
    assert budget.reserve("cdx", "web.archive.org") == 0.0
    assert budget.reserve("cdx", "arquivo.pt") == 0.0


def test_a_pause_holds_every_kind_of_that_archive_only_and_requests_already_booked():
    clock = Clock()
    budget = ArchiveBudget({"cdx": 2.0, "replay": 0.1}, clock)
    budget.reserve("replay", "a")  # booked before the 429
    budget.pause("a", 60)
    assert budget.pause_left("a") == 60
    assert budget.reserve("replay", "a") == 60.0
    assert budget.reserve("cdx", "a") == 60.0
    assert budget.reserve("cdx", "b") == 0.0
    clock.now += 61
    assert budget.pause_left("a") == 0.0
