"""How a listing is read (`--read`), as pure functions: which captures of one policy URL's listing to
replay next, and which unread ones to take as the same text as the reads around them. No Scrapy, no
network: the spider holds a listing until it is complete, then asks `plan` again after every read
(tests/test_reading.py).

A listing here is the sequence of one policy URL's page captures in time order, each with its payload
digest. What the spider knows of a capture is its *identity*: the hash of its text (for a policy),
NOT_POLICY (read, refused by extraction) or FAILED (read, but nothing came of it). A capture whose digest
was read before (in this run, an earlier run, another archive) has that read's identity without a request.

Modes:

- every-digest: replay every capture whose digest is not known (exhaustive; the spider's own path,
  crawler/decisions.py, not this module).
- bisect: read the first and the last capture; between two reads of the same text every capture is
  taken as that text (recorded `inferred_same_text`); between two different ones, read the middle and
  recurse, until each change lies between two adjacent captures: every version's first capture is exact.
  A digest that occurs more than once in the listing is read once first (one read settles several
  captures, and an A -> B -> A whose B repeats its bytes is caught). What bisection can miss: a text that
  changes and changes back between two captures of equal text, all with bytes never seen elsewhere.
- sample:<n>M / sample:<n>Y: the first capture of each period of n months (or years), and the last
  one; between two samples of the same text every capture is inferred; a change is dated to the first
  sample that shows it (accurate to the period), the captures before it in that period are not recorded.
- auto (the default): bisect when the listing has at least AUTO_MIN_CAPTURES unread digests and more than
  half its captures have a digest of their own (bytes that never repeat: a per-request token); every-digest
  otherwise (bytes that repeat make every-digest cheap, and a short listing costs little either way).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Collection, Mapping, Sequence

EVERY_DIGEST, BISECT, SAMPLE, AUTO = "every-digest", "bisect", "sample", "auto"
NOT_POLICY = "not-a-policy"
FAILED = "failed"  # never equal to anything, itself included: a failed read brackets nothing
AUTO_MIN_CAPTURES = 48

_SAMPLE = re.compile(r"^sample:(\d+)([MY])$", re.I)


@dataclass(frozen=True)
class ReadMode:
    kind: str
    months: int = 0  # the period of sample mode

    def __str__(self) -> str:
        if self.kind != SAMPLE:
            return self.kind
        return f"sample:{self.months // 12}Y" if self.months % 12 == 0 else f"sample:{self.months}M"


def parse_read_mode(text: str | None) -> ReadMode:
    """`every-digest`, `bisect`, `sample:6M` (`sample:1Y`), `auto` (also for None or ""). ValueError otherwise."""
    value = (text or AUTO).strip().lower()
    if value in (EVERY_DIGEST, BISECT, AUTO):
        return ReadMode(value)
    match = _SAMPLE.match(value)
    if match and int(match.group(1)) > 0:
        count = int(match.group(1))
        return ReadMode(SAMPLE, count * (12 if match.group(2).upper() == "Y" else 1))
    raise ValueError(f"unknown read mode {text!r}: every-digest, bisect, sample:<n>M, sample:<n>Y or auto")


def choose_mode(mode: ReadMode, digests: Sequence[str], known: Collection[str] = ()) -> ReadMode:
    """The mode a listing is read in: `mode` itself, or for auto the rule in this module's docstring."""
    if mode.kind != AUTO:
        return mode
    counts = Counter(digests)
    unread = sum(1 for d in counts if d not in known)
    unique = sum(1 for d, n in counts.items() if n == 1)
    if unread >= AUTO_MIN_CAPTURES and unique * 2 > len(digests):
        return ReadMode(BISECT)
    return ReadMode(EVERY_DIGEST)


def bisection_bound(captures: int, changes: int) -> int:
    """(K+1)·⌈log2 n⌉: the replays bisection needs, about, to pin K changes among n captures."""
    return (changes + 1) * math.ceil(math.log2(captures)) if captures > 1 else captures


@dataclass
class Plan:
    read: list[int] = field(default_factory=list)  # capture indices to replay now (one per digest)
    inferred: dict[int, tuple[int, int]] = field(default_factory=dict)  # index -> the two reads around it

    @property
    def done(self) -> bool:
        return not self.read


def _same(a: str, b: str) -> bool:
    return a == b and a != FAILED


def _one_per_digest(indices, digests: Sequence[str], taken: set[str]) -> list[int]:
    chosen = []
    for k in sorted(set(indices)):
        if digests[k] not in taken:
            taken.add(digests[k])
            chosen.append(k)
    return chosen


def _infer_between(points: list[int], known: Mapping[int, str], plan: Plan, split) -> list[int]:
    """Over consecutive points: infer the captures between two known points of the same text, and
    return where `split` (a, b) says to read between two known points that differ."""
    wanted = []
    for a, b in zip(points, points[1:]):
        if b - a < 2 or a not in known or b not in known:
            continue
        if _same(known[a], known[b]):
            for k in range(a + 1, b):
                plan.inferred[k] = (a, b)
        else:
            mid = split(a, b)
            if mid is not None:
                wanted.append(mid)
    return wanted


def plan_bisect(digests: Sequence[str], known: Mapping[int, str], pending: Collection[int] = (),
                read_repeated: bool = True) -> Plan:
    """The next step of bisecting one listing.

    `digests`: the payload digest of each capture, in time order. `known`: identity of the captures
    known so far (read, or whose digest was read). `pending`: captures whose read (or whose digest's
    read) is in flight. Returns the captures to read now and those inferred; nothing to read and
    nothing pending means the listing is settled. `read_repeated=False` leaves out the first reads of
    repeated digests (for sequences where equal bytes say nothing more than equal identities)."""
    n = len(digests)
    plan = Plan()
    if not n:
        return plan
    taken = {digests[k] for k in pending} | {digests[k] for k in known}
    counts = Counter(digests)
    repeated = {}
    for k, d in enumerate(digests):
        if counts[d] > 1:
            repeated.setdefault(d, k)
    wanted = [k for k in (0, n - 1) if k not in known and k not in pending]
    if read_repeated:
        wanted += [k for d, k in repeated.items() if d not in taken]
    points = sorted(set(known) | set(pending) | set(wanted))
    wanted += _infer_between(points, known, plan, lambda a, b: (a + b) // 2)
    plan.read = _one_per_digest(wanted, digests, taken)
    return plan


def _period(timestamp: str, months: int) -> int:
    return (int(timestamp[:4]) * 12 + int(timestamp[4:6]) - 1) // months


def sample_points(timestamps: Sequence[str], months: int) -> list[int]:
    """The first capture of each period of `months`, and the last capture."""
    points, last_period = [], None
    for k, ts in enumerate(timestamps):
        period = _period(ts, months)
        if period != last_period:
            points.append(k)
            last_period = period
    if timestamps and points[-1] != len(timestamps) - 1:
        points.append(len(timestamps) - 1)
    return points


def plan_sample(timestamps: Sequence[str], digests: Sequence[str], known: Mapping[int, str],
                pending: Collection[int], months: int) -> Plan:
    """The next step of sampling one listing (see the module's docstring): read every period's first
    capture; infer the captures between two samples (or known captures) of the same text."""
    plan = Plan()
    if not timestamps:
        return plan
    taken = {digests[k] for k in pending} | {digests[k] for k in known}
    samples = sample_points(timestamps, months)
    wanted = [k for k in samples if k not in known and k not in pending]
    points = sorted(set(known) | set(pending) | set(samples))
    _infer_between(points, known, plan, lambda a, b: None)
    plan.read = _one_per_digest(wanted, digests, taken)
    return plan
