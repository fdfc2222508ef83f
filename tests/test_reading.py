"""The read-mode planner (crawler/reading.py), pure: bisection, sampling, the auto rule."""

import pytest

from crawler.reading import (
    AUTO, BISECT, EVERY_DIGEST, FAILED, NOT_POLICY, SAMPLE, ReadMode, bisection_bound, choose_mode, parse_read_mode,
    plan_bisect, plan_sample,
)


def run(texts, digests=None, planner=None, known=None):
    """Drives a planner to its end over a listing whose true texts are `texts`: (reads, identities)."""
    digests = digests or [f"D{k}" for k in range(len(texts))]
    planner = planner or (lambda known, pending: plan_bisect(digests, known, pending))
    by_digest = dict(known or {})
    reads, inferred = [], {}
    for _ in range(10 * len(texts) + 10):
        resolved = {k: by_digest[d] for k, d in enumerate(digests) if d in by_digest}
        plan = planner(resolved, set())
        for k, (a, b) in plan.inferred.items():
            assert resolved[a] == resolved[b]
            inferred[k] = resolved[a]
        if plan.done:
            return reads, {**inferred, **resolved}
        for k in plan.read:
            assert digests[k] not in by_digest, "a known digest is never read again"
            reads.append(k)
            by_digest[digests[k]] = texts[k]
    raise AssertionError("the planner did not converge")


def first_captures(identities, n):
    firsts, previous = [], None
    for k in range(n):
        if identities.get(k) != previous:
            firsts.append(k)
            previous = identities.get(k)
    return firsts


def test_bisection_finds_every_change_at_its_exact_capture_within_the_bound():
    n = 200
    texts = ["A"] * 37 + ["B"] * 81 + ["C"] * 50 + ["D"] * 32
    reads, identities = run(texts)
    assert [identities[k] for k in range(n)] == texts
    assert first_captures(identities, n) == [0, 37, 118, 168]
    assert len(reads) <= 1.3 * bisection_bound(n, 3)


def test_one_text_costs_two_reads():
    reads, identities = run(["A"] * 500)
    assert sorted(reads) == [0, 499] and len(identities) == 500


def test_a_rollback_with_repeating_bytes_is_caught():
    # A -> B -> A -> C, volatile bytes except that B's page comes back byte for byte (two builds
    # alternating): B's digest repeats, so it is read first, and the short B stretch is not inferred away.
    texts = ["A", "A", "B", "B", "B", "A", "A", "A", "C"]
    digests = ["a0", "a1", "b", "b1", "b", "a2", "a3", "a4", "c"]
    _, identities = run(texts, digests)
    assert [identities[k] for k in range(len(texts))] == texts


def test_a_rollback_with_all_new_bytes_between_equal_texts_is_the_one_miss():
    texts = ["A"] * 10 + ["B"] * 2 + ["A"] * 20
    _, identities = run(texts)
    assert "B" not in identities.values()


def test_digests_read_before_need_no_request():
    texts = ["A"] * 50 + ["B"] * 50
    reads, identities = run(texts, known={"D0": "A", "D99": "B"})
    assert 0 not in reads and 99 not in reads and first_captures(identities, 100) == [0, 50]


def test_failed_reads_bracket_nothing_and_pending_reads_are_waited_for():
    texts = ["A"] * 5 + [FAILED] + ["A"] * 5
    _, identities = run(texts)
    assert all(identities[k] == "A" for k in range(11) if k != 5)
    digests = [f"D{k}" for k in range(10)]
    plan = plan_bisect(digests, {0: "A"}, pending={9})
    assert plan.read == [] and plan.inferred == {}
    assert plan_bisect(digests, {0: NOT_POLICY, 9: NOT_POLICY}).inferred[4] == (0, 9)


def test_sampling_reads_one_capture_per_period_and_dates_changes_to_the_period():
    timestamps = [f"{2010 + k // 12}{k % 12 + 1:02d}15000000" for k in range(48)]  # monthly, 4 years
    texts = ["A"] * 20 + ["B"] * 28
    digests = [f"D{k}" for k in range(48)]
    reads, identities = run(texts, digests, lambda known, pending: plan_sample(timestamps, digests, known, pending, 6))
    assert sorted(reads) == [0, 6, 12, 18, 24, 30, 36, 42, 47]
    # B is first sampled in 2012-01 (index 24): the captures between the last A sample and it are not recorded.
    assert identities[17] == "A" and identities[24] == "B" and not set(range(19, 24)) & set(identities)


def test_read_modes_parse_and_auto_picks_bisect_only_for_long_volatile_listings():
    assert parse_read_mode(None) == ReadMode(AUTO)
    assert parse_read_mode("sample:6M") == ReadMode(SAMPLE, 6) and str(parse_read_mode("sample:1y")) == "sample:1Y"
    with pytest.raises(ValueError):
        parse_read_mode("sample:0M")
    with pytest.raises(ValueError):
        parse_read_mode("all")
    volatile = [f"D{k}" for k in range(200)]
    repeating = [f"D{k % 10}" for k in range(200)]
    assert choose_mode(ReadMode(AUTO), volatile).kind == BISECT
    assert choose_mode(ReadMode(AUTO), repeating).kind == EVERY_DIGEST
    assert choose_mode(ReadMode(AUTO), volatile[:30]).kind == EVERY_DIGEST
    assert choose_mode(ReadMode(BISECT), repeating).kind == BISECT
