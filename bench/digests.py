"""How often does the CDX payload digest match the replayed body? Measured on recorded archive.org
answers (vcrpy cassettes, as in /work/shared/ia-recordings, the default; `--recordings DIR` elsewhere).

For every recorded `id_` replay: the body as received (transport-gzipped) and decoded, hashed as the
crawler does (crawler/verify.py), against the digest the recorded CDX rows give for that timestamp and
URL (or the empty-payload digest for a bodiless answer). Also, within the CDX recordings: how many
revisit rows carry a digest some earlier response row of the same URL key has (what the crawler
relies on when it treats a revisit's digest as the original payload's).

    .venv/bin/python bench/digests.py [--recordings DIR]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402 (PyYAML comes with pywb, in requirements-dev.txt)

from crawler.verify import check_payload, sha1_base32  # noqa: E402
from crawler.wayback import EMPTY_DIGEST, parse_cdx  # noqa: E402

REPLAY = re.compile(r"/web/(\d{14})id_/(.+)$")


def interactions(folder: Path):
    for path in sorted(folder.glob("*.yaml")):
        for interaction in yaml.safe_load(path.read_text())["interactions"]:
            yield path.name, interaction


def body_of(response) -> tuple[bytes, bytes]:
    """(as received on the wire, decoded)."""
    raw = response["body"]["string"]
    raw = raw.encode("utf-8") if isinstance(raw, str) else raw
    encodings = [e.lower() for k, v in response["headers"].items() if k.lower() == "content-encoding" for e in v]
    return raw, gzip.decompress(raw) if "gzip" in encodings and raw[:2] == b"\x1f\x8b" else raw


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recordings", default="/work/shared/ia-recordings", type=Path)
    args = parser.parse_args(argv)
    listed: dict[tuple[str, str], str] = {}
    revisits = revisits_matched = 0
    for _, interaction in interactions(args.recordings):
        if "/cdx/search/cdx" not in interaction["request"]["uri"] or interaction["response"]["status"]["code"] != 200:
            continue
        page = parse_cdx(body_of(interaction["response"])[1])
        seen: dict[str, set] = {}
        for row in page.rows:
            listed[(row.timestamp, row.original)] = row.digest
            if row.is_revisit:
                revisits += 1
                revisits_matched += row.digest in seen.get(row.urlkey, set())
            else:
                seen.setdefault(row.urlkey, set()).add(row.digest)
    counts = {"replays": 0, "with a listed digest": 0, "matched": 0, "mismatched": 0, "not measurable": 0}
    for name, interaction in interactions(args.recordings):
        match = REPLAY.search(interaction["request"]["uri"])
        response = interaction["response"]
        mementos = any(k.lower() == "memento-datetime" for k in response["headers"])
        if not match or not mementos:
            continue
        counts["replays"] += 1
        raw, decoded = body_of(response)
        timestamp, original = match.groups()
        digest = listed.get((timestamp, original)) or (EMPTY_DIGEST if not decoded else None)
        line = f"{name}: {timestamp} {original[:60]} HTTP {response['status']['code']}, {len(decoded)} bytes, sha1 {sha1_base32(decoded)}"
        if digest is None:
            counts["not measurable"] += 1
            length = next((v[0] for k, v in response["headers"].items() if k.lower() == "x-archive-orig-content-length"), None)
            if length and length.isdigit():
                same = int(length) == len(decoded)
                counts["original length agrees"] = counts.get("original length agrees", 0) + same
                line += f" (X-Archive-Orig-Content-Length {length}: {'same length' if same else 'DIFFERENT length'})"
            print(f"{line}: no CDX row recorded for it")
            continue
        counts["with a listed digest"] += 1
        problem = check_payload(digest, decoded, sha1_base32(raw))
        counts["mismatched" if problem else "matched"] += 1
        print(f"{line}: {'MISMATCH ' + problem if problem else 'matches ' + digest}")
    print(", ".join(f"{v} {k}" for k, v in counts.items()))
    print(f"CDX revisit rows whose digest an earlier response row of the same URL has: {revisits_matched} of {revisits}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
