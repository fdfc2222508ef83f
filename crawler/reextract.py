"""`python -m crawler reextract`: rebuilds the captures' outcomes and the versions from the capture store
with the current extractor, with no request to any archive.

Extraction runs in a pool of processes (one per core by default) over the payloads kept in the WARC
files; the results are applied in this process, one policy URL per transaction, and each policy URL
done is marked with the extractor's version (table `reextractions`), so a killed run resumes where it
stopped and a finished one is not redone until the extractor's version changes.

How a new extraction relates to the stored versions, per policy URL:
- a version whose captures all give one new text keeps its id and its place in the timeline: its text
  is updated in place, its `extractor_version` bumped, and the upgrade recorded in `upgrades` (old and
  new text hash). The `changes` view compares text hashes of consecutive captures, so it reports no
  change for it, and the feed keeps the entry's identity (its first text hash);
- two versions that now read the same are merged into the earlier (`upgrades.merged_into`): a change
  the old extractor saw that was no change of the policy;
- a version whose captures now read differently splits: the most common text keeps the version, the
  others become new versions (a change the old extractor missed);
- captures that no longer pass the policy decision become `refused`; refused pages that now pass join
  the version of their text; versions left without captures are removed; first/last dates are
  recomputed from the captures, so the timeline's dates stay right.
"""

from __future__ import annotations

import importlib
import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

from crawler.capturestore import read_payload, store_folder
from crawler.dedup import text_hash
from crawler.extractor_version import EXTRACTOR_VERSION
from crawler.store import TEXT_OUTCOMES, Store, utc_now
from crawler.wayback import snapshot_link

DEFAULT_EXTRACTOR = "crawler.extract:extract"
CHUNK = 8  # captures per task: small enough to spread one vendor over every core


@dataclass
class Extracted:
    capture_id: int
    is_policy: bool = False
    title: str | None = None
    markdown: str | None = None
    score: float | None = None
    reason: str = ""
    policy_date: str | None = None
    text_hash: str | None = None
    error: str | None = None


@dataclass
class ReextractResult:
    pages: int = 0
    seconds: float = 0.0
    workers: int = 1
    policy_urls: int = 0
    skipped_done: int = 0
    missing: int = 0
    errors: int = 0
    upgraded: int = 0
    merged: int = 0
    new_versions: int = 0
    removed: int = 0
    now_refused: int = 0
    now_policies: int = 0
    run_id: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def load_extractor(spec: str):
    module, _, name = spec.partition(":")
    if not module or not name:
        raise ValueError(f"extractor {spec!r}: give MODULE:FUNCTION, e.g. {DEFAULT_EXTRACTOR}")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"extractor {spec!r}: {error}") from None


def extract_chunk(extractor: str, folder: str, units: list[tuple]) -> list[Extracted]:
    """In a worker: read each payload from the capture store and extract it, as the pipelines would."""
    extract = load_extractor(extractor)
    results = []
    for capture_id, url, file, offset, length in units:
        try:
            stored = read_payload(folder, file, offset, length)
            document = extract(stored.body, url=url, content_type=stored.content_type)
        except Exception as error:  # noqa: BLE001 - one odd page must not stop the run
            results.append(Extracted(capture_id, error=f"{type(error).__name__}: {error}"[:300]))
            continue
        markdown = document.markdown if document.is_policy else None
        results.append(Extracted(capture_id, bool(document.is_policy), document.title, markdown, document.score,
                                 document.reason, document.policy_date, text_hash(markdown) if markdown is not None else None))
    return results


def _work_of(store: Store, policy_url_id: int, since: str | None) -> tuple[list[tuple], int]:
    """(capture id, URL, file, offset, length) of the captures to extract again, and how many have no
    stored payload."""
    rows = store.db.execute(
        """select c.id, coalesce(c.captured_url, c.original), w.file, w.offset, w.length, c.timestamp, c.version_id
           from captures c left join warc_records w on w.id = (
               select id from warc_records where digest = c.payload_digest and record_type = 'response' limit 1)
           where c.policy_url_id = ? and c.outcome in ('new_version', 'same_text', 'refused') order by c.timestamp, c.id""",
        [policy_url_id],
    ).fetchall()
    if since:
        touched = {r[6] for r in rows if r[5] >= since and r[6] is not None}
        rows = [r for r in rows if r[5] >= since or r[6] in touched]
    units = [r[:5] for r in rows if r[2] is not None]
    return units, len(rows) - len(units)


def reextract(db_path: str, *, domains: list[str] | None = None, since: str | None = None, workers: int | None = None,
              extractor: str = DEFAULT_EXTRACTOR, version: str = EXTRACTOR_VERSION, capture_store: str | None = None,
              force: bool = False) -> ReextractResult:
    load_extractor(extractor)  # a clear error before any work
    folder = store_folder(db_path, capture_store)
    workers = max(1, workers or os.cpu_count() or 1)
    result = ReextractResult(workers=workers)
    store = Store(db_path)
    try:
        result.run_id = store.start_run("reextract", f"capture store {folder}", domains or [])
        marks = dict(store.db.execute("select policy_url_id, extractor_version from reextractions").fetchall())
        todo: dict[int, list[tuple]] = {}
        for row in store.policy_urls():
            if domains and row["domain"] not in domains:
                continue
            if not force and not since and marks.get(row["id"]) == version:
                result.skipped_done += 1
                continue
            units, missing = _work_of(store, row["id"], since)
            result.missing += missing
            todo[row["id"]] = units
        started = time.monotonic()
        pending = {pid: sum(1 for _ in range(0, len(units), CHUNK)) for pid, units in todo.items()}
        found: dict[int, list[Extracted]] = {pid: [] for pid in todo}
        for pid in [p for p, n in pending.items() if n == 0]:
            _finish(store, pid, [], version, result, since)
        chunks = [(pid, units[i:i + CHUNK]) for pid, units in todo.items() for i in range(0, len(units), CHUNK)]
        if workers == 1:
            for pid, units in chunks:
                found[pid] += extract_chunk(extractor, folder, units)
                pending[pid] -= 1
                if pending[pid] == 0:
                    _finish(store, pid, found.pop(pid), version, result, since)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(extract_chunk, extractor, folder, units): pid for pid, units in chunks}
                for future in as_completed(futures):
                    pid = futures[future]
                    found[pid] += future.result()
                    pending[pid] -= 1
                    if pending[pid] == 0:
                        _finish(store, pid, found.pop(pid), version, result, since)
        result.seconds = time.monotonic() - started
        counts = {k: getattr(result, k) for k in ("pages", "missing", "errors", "upgraded", "merged", "new_versions",
                                                  "removed", "now_refused", "now_policies", "policy_urls")}
        counts["pages_per_second"] = round(result.pages_per_second, 1)
        store.finish_run(result.run_id, "partial" if result.errors else "ok", f"extractor {version}", counts)
    finally:
        store.close()
    return result


def _finish(store: Store, policy_url_id: int, extracted: list[Extracted], version: str, result: ReextractResult,
            since: str | None) -> None:
    good = [e for e in extracted if e.error is None]
    result.errors += len(extracted) - len(good)
    result.pages += len(extracted)
    result.policy_urls += 1
    with store.db.atomic():
        apply_extraction(store, policy_url_id, good, version, result)
        if not since:
            store.db["reextractions"].upsert({"policy_url_id": policy_url_id, "extractor_version": version,
                                             "run_id": result.run_id, "at": utc_now()}, pk="policy_url_id")


def apply_extraction(store: Store, policy_url_id: int, extracted: list[Extracted], version: str, result: ReextractResult) -> None:
    """The new extraction of some captures of one policy URL, applied to its captures and versions (in
    the caller's transaction)."""
    db = store.db
    if not extracted:
        return
    by_capture = {e.capture_id: e for e in extracted}
    marks = ",".join("?" * len(by_capture))
    captures = [dict(zip(("id", "timestamp", "outcome", "version_id", "archive", "captured_url", "captured_timestamp"), row))
                for row in db.execute(
                    f"select id, timestamp, outcome, version_id, archive, coalesce(captured_url, original), "
                    f"coalesce(captured_timestamp, timestamp) from captures where id in ({marks}) order by timestamp, id",
                    list(by_capture)).fetchall()]
    in_play = {c["version_id"] for c in captures if c["version_id"] is not None}
    versions = {row["id"]: row for row in db.query("select * from versions where policy_url_id = ?", [policy_url_id])}
    # Hashes held by versions not in play stay theirs; those in play are freed for the reassignment.
    assigned = {v["text_hash"]: vid for vid, v in versions.items() if vid not in in_play}
    for vid in in_play:
        db.execute("update versions set text_hash = ? where id = ?", [f"reextract:{vid}", vid])
    first_of: dict[str, tuple[dict, Extracted]] = {}
    for c in captures:
        e = by_capture[c["id"]]
        if e.is_policy:
            first_of.setdefault(e.text_hash, (c, e))
    kept_versions = set()
    for vid in sorted(in_play, key=lambda v: (versions[v]["first_timestamp"] or "", v)):
        members = [by_capture[c["id"]] for c in captures if c["version_id"] == vid and c["outcome"] in TEXT_OUTCOMES]
        hashes = [e.text_hash for e in members if e.is_policy]
        if not hashes:
            continue
        counts = Counter(hashes)
        main = max(counts, key=lambda h: (counts[h], -hashes.index(h)))
        old = versions[vid]
        if main in assigned:
            db["upgrades"].insert({"version_id": vid, "old_text_hash": old["text_hash"], "new_text_hash": main,
                                   "old_extractor_version": old.get("extractor_version"), "new_extractor_version": version,
                                   "merged_into": assigned[main], "run_id": result.run_id, "at": utc_now()})
            result.merged += 1
            continue
        assigned[main] = vid
        kept_versions.add(vid)
        _, text = first_of[main]
        update = {"text_hash": main, "title": text.title, "markdown": text.markdown, "policy_date": text.policy_date,
                  "extractor_version": version}
        if main != old["text_hash"] or text.markdown != old["markdown"] or text.title != old["title"]:
            db["upgrades"].insert({"version_id": vid, "old_text_hash": old["text_hash"], "new_text_hash": main,
                                   "old_extractor_version": old.get("extractor_version"), "new_extractor_version": version,
                                   "merged_into": None, "run_id": result.run_id, "at": utc_now()})
            result.upgraded += 1
        db["versions"].update(vid, update)
    for text_hash_, (c, e) in first_of.items():
        if text_hash_ in assigned:
            continue
        assigned[text_hash_] = db["versions"].insert({
            "domain": _domain_of(db, policy_url_id),
            "policy_url_id": policy_url_id, "url": _url_of(db, policy_url_id), "text_hash": text_hash_,
            "title": e.title, "markdown": e.markdown, "policy_date": e.policy_date, "first_timestamp": c["timestamp"],
            "last_timestamp": c["timestamp"], "archive": c["archive"], "captured_url": c["captured_url"],
            "snapshot_url": snapshot_link(c["archive"], c["captured_timestamp"], c["captured_url"]),
            "created_run": result.run_id, "extractor_version": version,
        }).last_pk
        result.new_versions += 1
    for c in captures:
        e = by_capture[c["id"]]
        if e.is_policy:
            if c["outcome"] == "refused":
                result.now_policies += 1
            # new_version or same_text is settled below, by time, once every version is in place
            db.execute("update captures set outcome = 'same_text', version_id = ?, score = ?, reason = ? where id = ?",
                       [assigned[e.text_hash], e.score, e.reason, c["id"]])
        else:
            if c["outcome"] in TEXT_OUTCOMES:
                result.now_refused += 1
            db.execute("update captures set outcome = 'refused', version_id = null, score = ?, reason = ? where id = ?",
                       [e.score, e.reason, c["id"]])
    # Captures not read again (same payload as one that was) follow the capture they repeat.
    db.execute(
        """update captures set version_id = (
               select c2.version_id from captures c2 where c2.policy_url_id = captures.policy_url_id
               and c2.digest = captures.digest and c2.outcome in ('new_version', 'same_text') order by c2.timestamp limit 1)
           where policy_url_id = ? and outcome = 'same_digest'""",
        [policy_url_id],
    )
    for vid in in_play - kept_versions:
        left = db.execute("select count(*) from captures where version_id = ?", [vid]).fetchone()[0]
        old = versions[vid]
        if not left:
            db.execute("delete from versions where id = ?", [vid])
            if not db.execute("select 1 from upgrades where version_id = ? and run_id = ? and merged_into is not null",
                              [vid, result.run_id]).fetchone():
                db["upgrades"].insert({"version_id": vid, "old_text_hash": old["text_hash"], "new_text_hash": None,
                                       "old_extractor_version": old.get("extractor_version"), "new_extractor_version": version,
                                       "merged_into": None, "run_id": result.run_id, "at": utc_now()})
            result.removed += 1
        elif old["text_hash"] in assigned:
            # Captures with no stored payload kept it: they join the version that now holds their text.
            db.execute("update captures set version_id = ? where version_id = ?", [assigned[old["text_hash"]], vid])
            db.execute("delete from versions where id = ?", [vid])
            result.removed += 1
        else:
            db.execute("update versions set text_hash = ? where id = ?", [old["text_hash"], vid])
            assigned[old["text_hash"]] = vid
    for vid in set(assigned.values()):
        if db.execute("select 1 from versions where id = ?", [vid]).fetchone():
            store._refresh_version_span(vid)
            store._mark_first_reading(vid)


def _domain_of(db, policy_url_id: int) -> str:
    return db.execute("select domain from policy_urls where id = ?", [policy_url_id]).fetchone()[0]


def _url_of(db, policy_url_id: int) -> str:
    return db.execute("select url from policy_urls where id = ?", [policy_url_id]).fetchone()[0]


def feed_identities(store: Store) -> dict[int, str]:
    """Each upgraded version's first text hash: the feed keeps naming the entry by it."""
    found: dict[int, str] = {}
    for version_id, old in store.db.execute(
        "select version_id, old_text_hash from upgrades where merged_into is null and new_text_hash is not null order by id"
    ).fetchall():
        found.setdefault(version_id, old)
    return found


def summary_line(result: ReextractResult) -> str:
    return (f"reextract: {result.pages} pages from the capture store in {result.seconds:.1f} s "
            f"({result.pages_per_second:.1f} pages/s on {result.workers} worker(s)), no archive request; "
            f"{result.upgraded} versions upgraded in place, {result.merged} merged, {result.new_versions} new, "
            f"{result.removed} removed; {result.now_refused} captures now refused, {result.now_policies} now policies; "
            f"{result.missing} without a stored payload, {result.errors} extraction errors; "
            f"{result.skipped_done} policy URLs already done (run {result.run_id})")

