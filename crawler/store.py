"""The SQLite store: schema (sqlite-utils Migrations) and the queries the rest of the crawler needs.

During a crawl only the store extension (crawler/extensions/store.py) holds a Store; the read-only
commands open their own. Tables:
- vendors:      one row per vendor domain.
- policy_urls:  the policy URLs tracked for a vendor, how each was found, the period it held.
- discoveries:  what searching a domain for its policy gave, per run.
- captures:     every capture seen in a listing (timestamp, digest, status, what became of it, its
                snapshot link).
- versions:     content-addressed policy texts (domain, policy URL, text hash), first/last capture.
- listings:     how far each policy URL's listing in each archive is done.
- runs:         one row per run, with its counts and outcome.
- warc_records: where each kept payload is in the capture store's WARC files (m008): a `response` record
                once per payload digest, a `revisit` record for each further capture of it.
- upgrades:     versions whose text changed because the extractor did (`reextract`), not the policy.
- reextractions: how far `reextract` is done: policy URL -> extractor version.
View:
- changes:      the timeline, one row per change of a vendor's text (a query over captures ordered by
                time, not a second copy of the data); what `changes`, `diff`, `status`, `feed` and
                `export` read, and what Datasette shows.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crawler.wayback import snapshot_link, surt

migrations = Migrations("policy-history")

# Outcomes of a capture that tie it to a version: its text was read and was new, or was a stored text.
TEXT_OUTCOMES = ("new_version", "same_text")
# Outcomes of a capture that settle it for good: a later run neither fetches nor re-records it.
# ("failed" and "not_memento" are retried by the next run.)
# ("failed", "not_memento", "unverified" are retried by the next run; "unverifiable" is a capture whose
# body never matched its digest in ARCHIVE_MAX_UNVERIFIED_ATTEMPTS fetches, recorded with its reason.)
SETTLED_OUTCOMES = (*TEXT_OUTCOMES, "same_digest", "refused", "archived_error", "skipped_type", "redirect_loop",
                    "self_redirect", "inferred_same_text", "unverifiable", "oversize")
# Outcomes whose payload digest was really read, so another capture with that digest needs no fetch.
FETCHED_OUTCOMES = (*TEXT_OUTCOMES, "refused")


class StoreError(Exception):
    """The database cannot be used (corrupt, not a database, locked, unwritable)."""


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["vendors"].create({"domain": str, "added_at": str}, pk="domain")
    db["policy_urls"].create(
        {"id": int, "domain": str, "url": str, "urlkey": str, "found_by": str, "added_at": str},
        pk="id",
        foreign_keys=[("domain", "vendors", "domain")],
    )
    db["policy_urls"].create_index(["domain", "urlkey"], unique=True)
    db["runs"].create(
        {
            "id": int, "command": str, "archive": str, "domains": str, "started_at": str,
            "finished_at": str, "status": str, "reason": str, "counts": str,
        },
        pk="id",
    )
    db["versions"].create(
        {
            "id": int, "domain": str, "policy_url_id": int, "url": str, "text_hash": str, "title": str,
            "markdown": str, "policy_date": str, "first_timestamp": str, "last_timestamp": str,
            "snapshot_url": str, "archive": str, "captured_url": str, "created_run": int,
        },
        pk="id",
        foreign_keys=[("policy_url_id", "policy_urls", "id"), ("domain", "vendors", "domain")],
    )
    db["versions"].create_index(["domain", "policy_url_id", "text_hash"], unique=True)
    db["captures"].create(
        {
            "id": int, "domain": str, "policy_url_id": int, "archive": str, "timestamp": str,
            "original": str, "digest": str, "statuscode": str, "mimetype": str, "length": int,
            "outcome": str, "reason": str, "score": float, "captured_url": str,
            "captured_timestamp": str, "version_id": int, "run_id": int,
        },
        pk="id",
        foreign_keys=[("policy_url_id", "policy_urls", "id"), ("version_id", "versions", "id")],
    )
    db["captures"].create_index(["policy_url_id", "archive", "timestamp", "original"], unique=True)
    db["captures"].create_index(["policy_url_id", "digest"])
    db["captures"].create_index(["domain", "timestamp"])
    db["captures"].create_index(["version_id"])
    db["versions"].enable_fts(["title", "markdown"], create_triggers=True)


@migrations()
def m002_listings(db: sqlite_utils.Database) -> None:
    # How far each policy URL's listing is done: every capture up to `listed_through` has been listed
    # and settled, so the scheduled crawl asks the index only from there on.
    db["listings"].create(
        {"policy_url_id": int, "archive": str, "listed_through": str, "updated_at": str},
        pk=("policy_url_id", "archive"),
        foreign_keys=[("policy_url_id", "policy_urls", "id")],
    )


@migrations()
def m003_discovery(db: sqlite_utils.Database) -> None:
    # For a policy URL the crawler found itself: the period it held as far as discovery saw.
    db["policy_urls"].add_column("era_from", str)
    db["policy_urls"].add_column("era_to", str)
    # The run log of discovery: what was found for a domain in a run, or that nothing was.
    db["discoveries"].create(
        {"id": int, "run_id": int, "domain": str, "outcome": str, "summary": str, "at": str},
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )


CHANGES_VIEW = """
with numbered as (
    -- a vendor's texts numbered from 1 = the oldest, by first appearance (one number a text, whatever
    -- the policy URL it was read at)
    select domain, text_hash,
           row_number() over (partition by domain order by min(first_timestamp), min(id)) as version
    from versions group by domain, text_hash
),
seen as (
    select c.domain, v.url as policy_url, c.timestamp, c.id as capture_id, c.archive,
           coalesce(c.captured_url, c.original) as captured_url, c.snapshot_url,
           v.id as version_id, v.text_hash, v.title, v.markdown, v.policy_date,
           lag(v.text_hash) over (partition by c.domain order by c.timestamp, c.id) as previous_hash
    from captures c join versions v on v.id = c.version_id
),
starts as (select * from seen where previous_hash is null or previous_hash != text_hash)
select starts.domain, policy_url, timestamp,
       lead(timestamp) over (partition by starts.domain order by timestamp, capture_id) as until,
       numbered.version, version_id, starts.text_hash, title, markdown, policy_date, snapshot_url, captured_url, archive
from starts join numbered on numbered.domain = starts.domain and numbered.text_hash = starts.text_hash
"""


@migrations()
def m004_changes_view(db: sqlite_utils.Database) -> None:
    # Each capture keeps the link to its own snapshot, so the timeline can be a plain SQL view.
    db["captures"].add_column("snapshot_url", str)
    rows = db.execute(
        "select id, archive, coalesce(captured_timestamp, timestamp), coalesce(captured_url, original) from captures"
    ).fetchall()
    for capture_id, archive, ts, url in rows:
        db.execute("update captures set snapshot_url = ? where id = ?", [snapshot_link(archive, ts, url), capture_id])
    db.create_view("changes", CHANGES_VIEW, replace=True)


@migrations()
def m005_text_outcomes(db: sqlite_utils.Database) -> None:
    # "version" said nothing of whether the text was new: the first capture of each version (in time)
    # is its "new_version", the others "same_text". The view numbers versions per vendor.
    db.execute(
        """update captures set outcome = case when timestamp = (
               select min(c.timestamp) from captures c where c.version_id = captures.version_id and c.outcome = 'version')
           then 'new_version' else 'same_text' end
           where outcome = 'version'"""
    )
    db.create_view("changes", CHANGES_VIEW, replace=True)


@migrations()
def m006_run_pid(db: sqlite_utils.Database) -> None:
    # Finding a version's first reading without scanning all its captures.
    db["captures"].create_index(["version_id", "outcome", "timestamp"], if_not_exists=True)
    # The process of a running run: a run still "running" when the lock is next taken ended without
    # saying so (killed), and is marked "killed".
    db["runs"].add_column("pid", int)


@migrations()
def m007_snapshot_links_as_the_dataset(db: sqlite_utils.Database) -> None:
    # Snapshot links are now quote(url) exactly, as the source dataset writes them (query strings too).
    rows = db.execute("select id, archive, coalesce(captured_timestamp, timestamp), coalesce(captured_url, original) "
                      "from captures").fetchall()
    for row_id, archive, ts, url in rows:
        db.execute("update captures set snapshot_url = ? where id = ?", [snapshot_link(archive, ts, url), row_id])
    db.execute("update versions set snapshot_url = coalesce((select c.snapshot_url from captures c where c.version_id = "
               "versions.id order by c.timestamp limit 1), snapshot_url)")


@migrations()
def m008_capture_store(db: sqlite_utils.Database) -> None:
    # The capture store (crawler/capturestore/): digest -> WARC file, offset, length.
    db["warc_records"].create(
        {"id": int, "digest": str, "record_type": str, "uri": str, "timestamp": str, "file": str, "offset": int,
         "length": int, "meta_offset": int, "meta_length": int, "archive": str, "run_id": int},
        pk="id",
    )
    # Once per payload digest; bodiless responses (the empty digest) each keep their own record.
    db.execute("create unique index warc_records_response on warc_records (digest) "
               "where record_type = 'response' and digest != '3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'")
    db["warc_records"].create_index(["uri", "timestamp", "digest"], unique=True)
    db["warc_records"].create_index(["digest"])  # the partial index above cannot serve `digest = ?`
    db["warc_records"].create_index(["file"])
    # The payload a fetched capture read (after captured redirects): its key into warc_records.
    db["captures"].add_column("payload_digest", str)
    db["captures"].create_index(["payload_digest"])
    # The extractor that made each version's text; an extraction upgrade (`reextract`) is recorded, so
    # the timeline does not report it as a change of the policy.
    db["versions"].add_column("extractor_version", str)
    db["upgrades"].create(
        {"id": int, "version_id": int, "old_text_hash": str, "new_text_hash": str, "old_extractor_version": str,
         "new_extractor_version": str, "merged_into": int, "run_id": int, "at": str},
        pk="id",
    )
    db["upgrades"].create_index(["version_id"])
    db["reextractions"].create(
        {"policy_url_id": int, "extractor_version": str, "run_id": int, "at": str}, pk="policy_url_id",
    )


@migrations()
def m009_attempts(db: sqlite_utils.Database) -> None:
    # How many fetches of a capture gave a body that did not match its payload digest (crawler/verify.py).
    db["captures"].add_column("attempts", int, not_null_default=0)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Change:
    """One step of a vendor's timeline: from `timestamp` on, the policy read like `version_id`."""

    domain: str
    url: str
    timestamp: str
    until: str | None  # first capture of the next change, if any
    version: int  # the vendor's version number: 1 = its oldest text
    version_id: int
    text_hash: str
    title: str
    markdown: str
    policy_date: str | None
    snapshot_url: str
    captured_url: str
    archive: str

    @classmethod
    def from_row(cls, row: dict) -> "Change":
        return cls(**{("url" if k == "policy_url" else k): v for k, v in row.items()})


class Store:
    def __init__(self, path: str | Path, readonly: bool = False):
        """Opens (and migrates) the database; `readonly` opens an existing one as it is, for commands
        that only read: nothing is created, migrated or written."""
        self.path = str(path)
        self._policy_url_ids: dict[tuple[str, str], int] = {}
        try:
            if self.path != ":memory:" and Path(self.path).is_dir():
                raise StoreError(f"database {self.path} is a directory")
            if readonly:
                if not Path(self.path).is_file():
                    raise StoreError(f"no database at {self.path} (run backfill first, or give --db)")
                uri = f"{Path(self.path).resolve().as_uri()}?mode=ro"
                self.db = sqlite_utils.Database(sqlite3.connect(uri, uri=True))
                self.db.execute("PRAGMA busy_timeout = 10000")
                if not self.db["captures"].exists():
                    raise StoreError(f"{self.path} is not a policy-history database")
                if migrations.pending(self.db):
                    raise StoreError(f"{self.path} was written by an older policy-history: run `crawl` on it once to upgrade it")
                return
            self.db = sqlite_utils.Database(self.path)
            self.db.execute("PRAGMA busy_timeout = 10000")
            if self.path != ":memory:":
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            migrations.apply(self.db)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"cannot use database {self.path}: {error}") from None

    def close(self) -> None:
        self.db.close()

    # --- vendors and policy URLs ---

    def ensure_policy_url(self, domain: str, url: str, found_by: str = "given", period: tuple = (None, None)) -> int:
        with self.db.atomic():
            if not self.db["vendors"].count_where("domain = ?", [domain]):
                self.db["vendors"].insert({"domain": domain, "added_at": utc_now()})
            key = surt(url)
            row = self.db.execute(
                "select id from policy_urls where domain = ? and urlkey = ?", [domain, key]
            ).fetchone()
            era_from, era_to = period
            if row:
                if era_from:  # what a new discovery saw widens the period; nothing else changes
                    self.db.execute(
                        "update policy_urls set era_from = min(coalesce(era_from, ?), ?), era_to = max(coalesce(era_to, ?), ?) "
                        "where id = ? and (era_from is null or era_from > ? or era_to < ?)",
                        [era_from, era_from, era_to, era_to, row[0], era_from, era_to],
                    )
                return row[0]
            return self.db["policy_urls"].insert(
                {"domain": domain, "url": url, "urlkey": key, "found_by": found_by, "added_at": utc_now(),
                 "era_from": era_from, "era_to": era_to}
            ).last_pk

    def policy_url_id(self, domain: str, url: str) -> int | None:
        """The id of a tracked policy URL, known by its domain and URL key (asked for every capture:
        remembered once found; a policy URL's id never changes)."""
        key = (domain, url)
        if key not in self._policy_url_ids:
            row = self.db.execute("select id from policy_urls where domain = ? and urlkey = ?", [domain, surt(url)]).fetchone()
            if row is None:
                return None
            self._policy_url_ids[key] = row[0]
        return self._policy_url_ids[key]

    def record_discovery(self, run_id: int | None, domain: str, outcome: str, summary: str) -> None:
        with self.db.atomic():
            if not self.db["vendors"].count_where("domain = ?", [domain]):
                self.db["vendors"].insert({"domain": domain, "added_at": utc_now()})
            self.db["discoveries"].insert({"run_id": run_id, "domain": domain, "outcome": outcome, "summary": summary, "at": utc_now()})

    def discovery_lines(self, run_id: int) -> list[str]:
        return [r["summary"] for r in self.db.query("select summary from discoveries where run_id = ? order by id", [run_id])]

    def policy_urls(self, domain: str | None = None) -> list[dict]:
        where, args = ("where domain = ?", [domain]) if domain else ("", [])
        return list(self.db.query(f"select * from policy_urls {where} order by domain, id", args))

    def listed_through(self, policy_url_id: int, archive: str) -> str | None:
        row = self.db.execute(
            "select listed_through from listings where policy_url_id = ? and archive = ?", [policy_url_id, archive]
        ).fetchone()
        return row[0] if row else None

    def advance_listing(self, policy_url_id: int, archive: str, listed_up_to: str) -> None:
        """After a complete listing up to `listed_up_to`: moves the mark there, but never past a capture
        that still needs work (a failed replay), so the next crawl lists it again."""
        marks = ",".join("?" * len(SETTLED_OUTCOMES))
        pending = self.db.execute(
            f"select min(timestamp) from captures where policy_url_id = ? and archive = ? and outcome not in ({marks})",
            [policy_url_id, archive, *SETTLED_OUTCOMES],
        ).fetchone()[0]
        current = self.listed_through(policy_url_id, archive)
        through = max(current or listed_up_to, listed_up_to)
        if pending:
            through = min(through, pending)
        if through == current:
            return
        with self.db.atomic():
            self.db["listings"].upsert(
                {"policy_url_id": policy_url_id, "archive": archive, "listed_through": through, "updated_at": utc_now()},
                pk=("policy_url_id", "archive"),
            )

    # --- what the spider asks before fetching ---

    def settled_capture_keys(self, policy_url_id: int, archive: str) -> set[tuple[str, str]]:
        """(timestamp, original) of the captures that need nothing more."""
        marks = ",".join("?" * len(SETTLED_OUTCOMES))
        return {
            (r["timestamp"], r["original"])
            for r in self.db.query(
                f"select timestamp, original from captures where policy_url_id = ? and archive = ? and outcome in ({marks})",
                [policy_url_id, archive, *SETTLED_OUTCOMES],
            )
        }

    def fetched_digests(self, policy_url_id: int) -> set[str]:
        """Payload digests already read for this policy URL: another capture with one needs no fetch."""
        marks = ",".join("?" * len(FETCHED_OUTCOMES))
        return {
            r["digest"]
            for r in self.db.query(
                f"select distinct digest from captures where policy_url_id = ? and outcome in ({marks})",
                [policy_url_id, *FETCHED_OUTCOMES],
            )
        }

    def read_identities(self, policy_url_id: int, archive: str) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
        """What the read modes (crawler/reading.py) need: the text identity of each payload digest read for
        this policy URL (a text hash, or "not-a-policy" for a refused page), and of each settled capture
        of this archive with a version or refused, by (timestamp, original)."""
        by_digest, by_key = {}, {}
        rows = self.db.execute(
            "select c.timestamp, c.original, c.digest, c.outcome, c.archive, v.text_hash from captures c "
            "left join versions v on v.id = c.version_id where c.policy_url_id = ? "
            "and (c.version_id is not null or c.outcome = 'refused')",
            [policy_url_id],
        ).fetchall()
        for timestamp, original, digest, outcome, capture_archive, text in rows:
            identity = text or "not-a-policy"
            if outcome in FETCHED_OUTCOMES:
                by_digest[digest] = identity
            if capture_archive == archive:
                by_key[(timestamp, original)] = identity
        return by_digest, by_key

    def version_for_text(self, domain: str, policy_url_id: int, text_hash: str) -> int | None:
        row = self.db.execute(
            "select id from versions where domain = ? and policy_url_id = ? and text_hash = ?",
            [domain, policy_url_id, text_hash],
        ).fetchone()
        return row[0] if row else None

    # --- writing a capture: one transaction each ---

    def record_capture(self, item, run_id: int | None = None) -> tuple[int | None, bool]:
        """Records one capture and, for a policy text, its version. Returns (version id or None, whether
        the version is new).

        Repeating the same call changes nothing: captures are keyed by (policy URL, archive,
        timestamp, original), versions by (domain, policy URL, text hash).
        """
        policy_url_id = self.policy_url_id(item.domain, item.policy_url)
        if policy_url_id is None:
            raise StoreError(f"capture of a policy URL that is not tracked: {item.policy_url}")
        with self.db.atomic():
            version_id, created = None, False
            if item.outcome in TEXT_OUTCOMES:
                version_id, created = self._upsert_version(item, policy_url_id, run_id)
            elif item.outcome == "same_digest":
                version_id = self._version_of_digest(policy_url_id, item.digest)
            elif item.outcome == "inferred_same_text" and item.text_hash:
                # Not read: between two reads of this text (crawler/reading.py), so taken as it.
                version_id = self.version_for_text(item.domain, policy_url_id, item.text_hash)
            captured_url = item.captured_url or item.original
            capture = {
                "domain": item.domain, "policy_url_id": policy_url_id, "archive": item.archive,
                "timestamp": item.timestamp, "original": item.original, "digest": item.digest,
                "statuscode": item.statuscode, "mimetype": item.mimetype, "length": item.length,
                "outcome": item.outcome, "reason": item.reason, "score": item.score,
                "captured_url": item.captured_url, "captured_timestamp": item.captured_timestamp,
                "version_id": version_id, "run_id": run_id, "payload_digest": getattr(item, "payload_digest", None),
                "snapshot_url": snapshot_link(item.archive, item.captured_timestamp or item.timestamp, captured_url),
            }
            existing = self.db.execute(
                "select id from captures where policy_url_id = ? and archive = ? and timestamp = ? and original = ?",
                [policy_url_id, item.archive, item.timestamp, item.original],
            ).fetchone()
            if item.outcome in ("unverified", "unverifiable"):
                capture["attempts"] = self.capture_attempts(policy_url_id, item.archive, item.timestamp, item.original) + 1
            if existing:
                self.db["captures"].update(existing[0], capture)
            else:
                self.db["captures"].insert(capture)
            adopted = 0
            if version_id is not None and item.outcome in TEXT_OUTCOMES:
                # Captures of the same payload recorded before this one was read now get their version.
                adopted = self.db.execute(
                    "update captures set version_id = ? where policy_url_id = ? and digest = ? "
                    "and outcome = 'same_digest' and version_id is null",
                    [version_id, policy_url_id, item.digest],
                ).rowcount
            if version_id is not None:
                if adopted:
                    self._refresh_version_span(version_id)  # rare: a payload read after its repeats
                else:
                    # The common case, in constant time: this one capture can only widen the span.
                    self._extend_version_span(version_id, item.timestamp, item.archive, captured_url,
                                              item.captured_timestamp or item.timestamp)
            if version_id is not None and item.outcome in TEXT_OUTCOMES:
                self._mark_first_reading(version_id)
            return version_id, created

    def _mark_first_reading(self, version_id: int) -> None:
        """`new_version` is the earliest capture (in time) whose text was read, `same_text` every later one,
        whatever order the captures were fetched in: an interrupted run resumed ends as an uninterrupted one."""
        first = self.db.execute(
            "select min(timestamp) from captures where version_id = ? and outcome in ('new_version', 'same_text')",
            [version_id]).fetchone()[0]
        self.db.execute("update captures set outcome = 'same_text' where version_id = ? and outcome = 'new_version' "
                        "and timestamp != ?", [version_id, first])
        self.db.execute("update captures set outcome = 'new_version' where version_id = ? and outcome = 'same_text' "
                        "and timestamp = ?", [version_id, first])

    def capture_attempts(self, policy_url_id: int | None, archive: str, timestamp: str, original: str) -> int:
        """Failed verifications of a capture so far (0 for one never recorded)."""
        row = self.db.execute(
            "select attempts from captures where policy_url_id = ? and archive = ? and timestamp = ? and original = ?",
            [policy_url_id, archive, timestamp, original],
        ).fetchone()
        return (row[0] or 0) if row else 0

    def _upsert_version(self, item, policy_url_id: int, run_id: int | None) -> tuple[int, bool]:
        version_id = self.version_for_text(item.domain, policy_url_id, item.text_hash)
        if version_id is not None:
            return version_id, False
        captured_url = item.captured_url or item.original
        captured_ts = item.captured_timestamp or item.timestamp
        new_id = self.db["versions"].insert(
            {
                "domain": item.domain, "policy_url_id": policy_url_id, "url": item.policy_url,
                "text_hash": item.text_hash, "title": item.title, "markdown": item.markdown,
                "policy_date": item.policy_date, "first_timestamp": item.timestamp,
                "last_timestamp": item.timestamp, "archive": item.archive, "captured_url": captured_url,
                "snapshot_url": snapshot_link(item.archive, captured_ts, captured_url), "created_run": run_id,
            }
        ).last_pk
        return new_id, True

    def _version_of_digest(self, policy_url_id: int, digest: str) -> int | None:
        row = self.db.execute(
            "select version_id from captures where policy_url_id = ? and digest = ? and version_id is not null limit 1",
            [policy_url_id, digest],
        ).fetchone()
        return row[0] if row else None

    def _extend_version_span(self, version_id: int, timestamp: str, archive: str, captured_url: str, captured_ts: str) -> None:
        """A capture of the version at `timestamp`: moves its first date (and snapshot) earlier, or its
        last date later, if the capture lies outside the span. No scan of the version's captures."""
        first, last = self.db.execute(
            "select first_timestamp, last_timestamp from versions where id = ?", [version_id]).fetchone()
        update = {}
        if first is None or timestamp < first:
            update.update(first_timestamp=timestamp, archive=archive, captured_url=captured_url,
                          snapshot_url=snapshot_link(archive, captured_ts, captured_url))
        if last is None or timestamp > last:
            update["last_timestamp"] = timestamp
        if update:
            self.db["versions"].update(version_id, update)

    def _refresh_version_span(self, version_id: int) -> None:
        """A version's first/last dates and its snapshot are those of its earliest and latest captures."""
        first = self.db.execute(
            "select timestamp, archive, coalesce(captured_url, original), coalesce(captured_timestamp, timestamp) "
            "from captures where version_id = ? order by timestamp limit 1",
            [version_id],
        ).fetchone()
        last = self.db.execute("select max(timestamp) from captures where version_id = ?", [version_id]).fetchone()
        if not first:
            return
        timestamp, archive, captured_url, captured_ts = first
        current = self.db["versions"].get(version_id)
        update = {
            "first_timestamp": timestamp,
            "last_timestamp": last[0],
            "archive": archive,
            "captured_url": captured_url,
            "snapshot_url": snapshot_link(archive, captured_ts, captured_url),
        }
        if any(current[k] != v for k, v in update.items()):
            self.db["versions"].update(version_id, update)

    # --- runs ---

    def start_run(self, command: str, archive: str, domains: list[str]) -> int:
        with self.db.atomic():
            return self.db["runs"].insert(
                {"command": command, "archive": archive, "domains": " ".join(domains), "started_at": utc_now(),
                 "status": "running", "pid": os.getpid()}
            ).last_pk

    def close_stale_runs(self) -> int:
        """Called with the run lock held: any run still "running" ended without saying so (killed)."""
        with self.db.atomic():
            cursor = self.db.execute(
                "update runs set status = 'killed', reason = 'the process ended without closing its run', "
                "finished_at = coalesce(finished_at, ?) where status = 'running'", [utc_now()])
            return cursor.rowcount

    def finish_run(self, run_id: int, status: str, reason: str, counts: dict) -> None:
        with self.db.atomic():
            self.db["runs"].update(
                run_id, {"finished_at": utc_now(), "status": status, "reason": reason, "counts": json.dumps(counts, sort_keys=True)}
            )

    # --- reading ---

    def timeline(self, domain: str | None = None) -> list[Change]:
        """Each vendor's changes, from the `changes` view: consecutive captures (in time) with the same
        text make one change."""
        where, args = ("where domain = ?", [domain]) if domain else ("", [])
        return [Change.from_row(row) for row in self.db.query(f"select * from changes {where} order by domain, timestamp", args)]

    def newest_captures(self, archive: str) -> list[tuple[str, str, str | None]]:
        """(domain, URL, newest capture in `archive`) of every tracked policy URL."""
        return self.db.execute(
            """select p.domain, p.url, (select max(c.timestamp) from captures c where c.policy_url_id = p.id and c.archive = ?)
               from policy_urls p order by p.domain, p.id""",
            [archive],
        ).fetchall()

    def vendor_overview(self) -> list[tuple]:
        """(domain, policy URLs, newest capture, versions) of every tracked vendor."""
        return self.db.execute(
            """select p.domain, count(distinct p.id),
                      (select max(timestamp) from captures c where c.domain = p.domain),
                      (select count(*) from versions v where v.domain = p.domain)
               from policy_urls p group by p.domain order by p.domain"""
        ).fetchall()

    def last_run(self) -> tuple | None:
        return self.db.execute("select id, command, finished_at, status from runs order by id desc limit 1").fetchone()

    def iter_timeline(self, domain: str | None = None):
        """`timeline`, one change at a time (for exports of any size)."""
        where, args = ("where domain = ?", [domain]) if domain else ("", [])
        for row in self.db.query(f"select * from changes {where} order by domain, timestamp", args):
            yield Change.from_row(row)

    def run_summary(self, run_id: int) -> list[str]:
        """One line per vendor of a run: what became of the captures it recorded, and the versions held."""
        run = self.db["runs"].get(run_id)
        lines = []
        for domain in (run["domains"] or "").split():
            outcomes = dict(
                self.db.execute(
                    "select outcome, count(*) from captures where run_id = ? and domain = ? group by outcome",
                    [run_id, domain],
                ).fetchall()
            )
            held = self.db["versions"].count_where("domain = ?", [domain])
            recorded = ", ".join(f"{n} {o.replace('_', ' ')}" for o, n in sorted(outcomes.items())) or "nothing new"
            lines.append(f"{domain}: {recorded}; {held} versions held")
        return lines

    def domains(self) -> list[str]:
        return [r[0] for r in self.db.execute("select domain from vendors order by domain").fetchall()]

    def versions(self, domain: str | None = None) -> list[dict]:
        where, args = ("where domain = ?", [domain]) if domain else ("", [])
        return list(self.db.query(f"select * from versions {where} order by domain, first_timestamp", args))
