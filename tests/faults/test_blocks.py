"""Item 3: block detection by what the connection did. Refused, reset before any byte, or timed out
(after a 429, or from an archive that answered before) is a block: paused, never retried quickly, and
after 3 in a row the run stops with exit 5. Cut bodies and mid-body resets after a 429 are not a block."""

import os
import threading

import pytest

from tests.faults.conftest import backfill, canonical
from tests.faults.proxy import Fault

PAUSE = "0.4"


def test_cut_bodies_and_mid_body_resets_after_a_429_are_not_a_block(proxy, clean, tmp_path):
    def faults(path, kind, n):
        if kind != "replay":
            return None
        if n == 2:
            return Fault("status", status=429)
        if n in (3, 4, 5):
            return Fault("truncate_length")
        if n in (6, 7, 8):
            return Fault("reset_mid")
        return None
    proxy.faults = faults
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db, "--pause-after-429", PAUSE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean


def _block_after(first_fault, then, answered=5):
    def faults(path, kind, n):
        if kind != "replay" or n < answered:
            return None
        return first_fault if (n == answered and first_fault) else then
    return faults


@pytest.mark.parametrize("with_429", [True, False], ids=["after-a-429", "no-429-seen"])
def test_connections_reset_before_any_byte_are_a_block_paused_between_tries(with_429, proxy, tmp_path):
    proxy.faults = _block_after(Fault("status", status=429) if with_429 else None, Fault("reset_before"))
    result = backfill(proxy.base_url, tmp_path / "p.db", "--pause-after-429", PAUSE, timeout=60)
    assert result.returncode == 5, result.stdout + result.stderr
    assert "blocking this address" in result.stderr
    resets = [s.time for s in proxy.seen("replay") if s.action == "reset_before"]
    # Three tries, spaced by pauses (requests in flight together fail together: one try), never quick
    # retries: the resets come in at most 3 waves, the last at least two pauses after the first.
    waves = 1 + sum(1 for a, b in zip(resets, resets[1:]) if b - a >= float(PAUSE) * 0.75)
    assert waves <= 3 and len(resets) <= 30, (waves, len(resets))
    assert resets[-1] - resets[0] >= 2 * float(PAUSE) - 0.1


def test_connections_refused_after_a_429_are_a_block(proxy, tmp_path):
    def faults(path, kind, n):
        if kind == "replay" and n == 5:
            threading.Timer(0.05, proxy.refuse).start()
            return Fault("status", status=429)
        return None
    proxy.faults = faults
    result = backfill(proxy.base_url, tmp_path / "p.db", "--pause-after-429", PAUSE, timeout=60)
    assert result.returncode == 5, result.stdout + result.stderr


def test_connections_that_time_out_after_a_429_are_a_block(proxy, tmp_path):
    proxy.faults = _block_after(Fault("status", status=429), Fault("timeout", seconds=3))
    env = {**os.environ, "POLICY_DOWNLOAD_TIMEOUT": "0.5"}
    result = backfill(proxy.base_url, tmp_path / "p.db", "--pause-after-429", PAUSE, timeout=90, env=env)
    assert result.returncode == 5, result.stdout + result.stderr


def test_transient_resets_and_5xx_are_retried_to_a_clean_result(proxy, clean, tmp_path):
    def faults(path, kind, n):
        if kind == "replay" and n % 7 == 3:
            return Fault("reset_before")
        if kind == "replay" and n % 7 == 5:
            return Fault("status", status=502)
        if kind == "replay" and n % 11 == 1:
            return Fault("latency", seconds=0.3)
        return None
    proxy.faults = faults
    db = tmp_path / "p.db"
    result = backfill(proxy.base_url, db, "--pause-after-429", "0.2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert canonical(db) == clean
