"""What the three peer scripts share: their command line, trafilatura, a small SQLite of distinct texts,
and the machine-readable end (a JSON file of the versions found) that bench/crawl.py compares.

This is the afternoon's glue a user writes around any of the libraries, kept out of the peer scripts
so that each of them shows only how its library is used. Runs in bench/.venv-peers (no project import).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import time
import unicodedata

import trafilatura

USER_AGENT = "policy-history-bench-peer/0.1 (local benchmark)"
TIME_SCALE = 1.0


def parse_args(description: str) -> argparse.Namespace:
    global TIME_SCALE
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--targets", required=True, help="JSON file: [[domain, policy_url], ...]")
    parser.add_argument("--archive", required=True, help="archive base URL, e.g. http://127.0.0.1:8080")
    parser.add_argument("--db", required=True, help="SQLite file for the distinct texts")
    parser.add_argument("--out", required=True, help="JSON file for the versions found")
    parser.add_argument("--time-scale", type=float, default=1.0,
                        help="the archive's time scale: every wait the script makes is divided by it")
    args = parser.parse_args()
    TIME_SCALE = args.time_scale
    args.archive = args.archive.rstrip("/")
    with open(args.targets) as f:
        args.target_list = [tuple(t) for t in json.load(f)]
    return args


def sleep(seconds: float) -> None:
    """time.sleep in the benchmark's scaled time (a user's `sleep(60)` is `sleep(60 / scale)` here)."""
    time.sleep(seconds / TIME_SCALE)


def extract(body: bytes) -> str:
    return trafilatura.extract(body, output_format="markdown") or ""


class Versions:
    """Distinct texts per domain, deduplicated by a hash of the whitespace-normalised text."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path)
        self.db.execute("create table if not exists versions (domain text, url text, text_hash text, "
                        "first_timestamp text, last_timestamp text, text text, primary key (domain, text_hash))")
        self.errors: list[str] = []

    def add(self, domain: str, url: str, timestamp: str, text: str) -> bool:
        text = " ".join(unicodedata.normalize("NFC", text).split())
        if not text:
            return False
        digest = hashlib.sha256(text.encode()).hexdigest()
        with self.db:
            cur = self.db.execute("update versions set first_timestamp = min(first_timestamp, ?), "
                                  "last_timestamp = max(last_timestamp, ?) where domain = ? and text_hash = ?",
                                  (timestamp, timestamp, domain, digest))
            if cur.rowcount:
                return False
            self.db.execute("insert into versions values (?, ?, ?, ?, ?, ?)", (domain, url, digest, timestamp, timestamp, text))
        return True

    def error(self, message: str) -> None:
        self.errors.append(message)
        print(f"error: {message}", file=sys.stderr)

    def dump(self, out: str, tool: str, **extra) -> None:
        rows = self.db.execute("select domain, url, first_timestamp, text from versions order by domain, first_timestamp").fetchall()
        payload = {"tool": tool, "versions": [{"domain": d, "url": u, "first_timestamp": t, "text": x} for d, u, t, x in rows],
                   "errors": self.errors, **extra}
        with open(out, "w") as f:
            json.dump(payload, f)
        print(f"{tool}: {len(rows)} versions, {len(self.errors)} errors")
