"""The command line: `python -m crawler COMMAND ...`. Parses, validates, runs; no crawling logic here.

Exit statuses: 0 done; 1 done, but some captures or listings failed (the next run retries them);
2 bad input (usage, domain, URL, date, database); 3 `extract`: the page is not a policy;
4 the archive could not be used (unreachable, garbage, excluded); 5 the archive is blocking us;
6 another run is using the database; 7 the database could not be written (captures were lost; the
next run fetches them again once there is room).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_ARCHIVE, EXIT_BLOCKED, EXIT_LOCKED = 0, 1, 2, 4, 5, 6
EXIT_STORE = 7  # the database could not be written (disk full, file size limit, I/O error): captures lost

DEFAULT_ARCHIVE = "https://web.archive.org"
DEFAULT_DB = "policies.db"
# The environment a scheduled job can set instead of flags, and the setting each becomes.
ENVIRONMENT = {
    "POLICY_DB": "POLICY_DB",
    "POLICY_ARCHIVE": "ARCHIVE_URLS",
    "POLICY_CDX_PER_MINUTE": "ARCHIVE_CDX_PER_MINUTE",
    "POLICY_REPLAYS_PER_SECOND": "ARCHIVE_REPLAYS_PER_SECOND",
    "POLICY_PAUSE_AFTER_429": "ARCHIVE_PAUSE_AFTER_429",
    "POLICY_LOG_LEVEL": "LOG_LEVEL",
    "POLICY_PROGRESS_INTERVAL": "PROGRESS_INTERVAL",
    "POLICY_DOWNLOAD_TIMEOUT": "DOWNLOAD_TIMEOUT",
    "POLICY_MAX_PAGE_BYTES": "ARCHIVE_MAX_PAGE_BYTES",
    "POLICY_BUDGET_DIR": "ARCHIVE_BUDGET_DIR",
}


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and exit 2), not a usage block."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


# --- backfill -----------------------------------------------------------------------------------

def add_crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, help="SQLite database (default: $POLICY_DB or policies.db)")
    parser.add_argument("--archive", action="append", default=[], metavar="URL",
                        help=f"archive base URL, repeatable: captures from all merge into one history (default: "
                        f"$POLICY_ARCHIVE or {DEFAULT_ARCHIVE}; a pywb collection is e.g. http://127.0.0.1:8080/my-coll)")
    parser.add_argument("--archive-type", choices=("auto", "ia", "pywb"), default="auto",
                        help="the archives' API: archive.org's or pywb's (default: auto, from the URL: one with a path is pywb)")
    parser.add_argument("--cdx-per-minute", type=float, default=None, help="CDX requests per minute (default 29: archive.org allows 30)")
    parser.add_argument("--replays-per-second", type=float, default=None, help="replays per second (default 9.5, 95%% of archive.org's 600/min)")
    parser.add_argument("--pause-after-429", type=float, default=None, metavar="SECONDS",
                        help="pause of every request after a 429 (default 60)")
    parser.add_argument("--no-collapse", action="store_true",
                        help="list every capture, not only digest changes (exact last-seen dates, bigger CDX pages)")
    parser.add_argument("-v", "--verbose", action="store_true", help="Scrapy's log at INFO level")


def database_path(args, environ=os.environ) -> str:
    return getattr(args, "db", None) or environ.get("POLICY_DB") or DEFAULT_DB


def settings_from(args, environ=os.environ) -> dict:
    """The one place where flags and the environment become Scrapy settings (flags win). Everything
    downstream (spider, middlewares, extensions) reads only these settings. Raises ValueError, naming
    the flag or variable, for a value that cannot be used."""
    from crawler.wayback import archive_for

    settings: dict = {"LOG_FORMAT": "%(levelname)s: %(message)s", "LOG_LEVEL": "WARNING"}
    for variable, name in ENVIRONMENT.items():
        if environ.get(variable):
            settings[name] = environ[variable]
    settings["POLICY_DB"] = database_path(args, environ)
    archives = args.archive or str(settings.get("ARCHIVE_URLS", DEFAULT_ARCHIVE)).split()
    for base in archives:
        try:
            archive_for(base, args.archive_type)  # a clear error now rather than inside the crawl
        except ValueError as error:
            source = "--archive" if args.archive else "POLICY_ARCHIVE"
            raise ValueError(f"{source}: {error}") from None
    settings["ARCHIVE_URLS"] = archives
    settings["ARCHIVE_TYPE"] = args.archive_type
    for flag, name in (("cdx_per_minute", "ARCHIVE_CDX_PER_MINUTE"), ("replays_per_second", "ARCHIVE_REPLAYS_PER_SECOND"),
                       ("pause_after_429", "ARCHIVE_PAUSE_AFTER_429")):
        if getattr(args, flag) is not None:
            settings[name] = getattr(args, flag)
        if name in settings:
            try:
                settings[name] = float(settings[name])
            except ValueError:
                raise ValueError(f"{name}: not a number: {settings[name]!r}") from None
    for name in ("ARCHIVE_CDX_PER_MINUTE", "ARCHIVE_REPLAYS_PER_SECOND"):
        if name in settings and settings[name] <= 0:
            raise ValueError("request rates must be positive")
    if args.no_collapse:
        settings["ARCHIVE_CDX_COLLAPSE"] = ""
    if args.verbose:
        settings["LOG_LEVEL"] = "INFO"
    return settings


def run_crawl(overrides: dict, **spider_args) -> dict:
    """Runs the policy_history spider in this process and returns its final stats."""
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.settings import Settings

    from spiders.policy_history import PolicyHistorySpider

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(PolicyHistorySpider)
    process.crawl(crawler, **spider_args)
    process.start()
    return crawler.stats.get_stats()


def cmd_backfill(args) -> int:
    from crawler.targets import TargetError, assign_policy_urls, normalize_date, normalize_domain, normalize_url, read_vendors_csv

    problems: list[str] = []
    try:
        domains = [normalize_domain(d) for d in args.domains]
        urls = [normalize_url(u) for u in args.policy_url]
        if args.vendors:
            rows, problems = read_vendors_csv(args.vendors)
            for problem in problems:
                print(f"skipped: {problem}", file=sys.stderr)
            domains += [d for d, _ in rows if d not in domains]
            urls += [u for _, u in rows if u and u not in urls]
        if not domains:
            raise TargetError("no domain given (as arguments or in --vendors)")
        assigned = assign_policy_urls(domains, urls)
        normalize_date(args.from_date)
        normalize_date(args.to_date, end=True)
        overrides = settings_from(args)
    except (TargetError, ValueError) as error:
        return fail(str(error), EXIT_USAGE)
    except OSError as error:
        return fail(f"cannot read {args.vendors}: {error.strerror}", EXIT_USAGE)
    spider_args = dict(
        domains=domains,
        policy_urls=[u for d in domains for u in assigned[d]],
        from_date=args.from_date,
        to_date=args.to_date,
    )
    status = locked_run("backfill", overrides, spider_args)
    if problems and status == EXIT_OK:
        return fail(f"{len(problems)} row(s) of {args.vendors} skipped (listed above); the others were crawled", EXIT_PARTIAL)
    return status


def locked_run(command: str, overrides: dict, spider_args: dict) -> int:
    """Opens the database (one line and exit 2 if it cannot be used), takes the run lock (exit 6 if
    another run holds it), runs the spider, reports."""
    from crawler.lock import LockBusy, run_lock
    from crawler.store import Store, StoreError

    db_path = overrides["POLICY_DB"]
    archive = ", ".join(overrides["ARCHIVE_URLS"])
    try:
        with run_lock(db_path):
            try:
                store = Store(db_path)  # fail fast, with one line, on a corrupt or unusable database
            except StoreError as error:
                return fail(str(error), EXIT_USAGE)
            tracked = len(store.policy_urls())
            store.close()
            if command == "crawl" and not tracked:
                return fail(f"no tracked policy URL in {db_path}: run backfill first", EXIT_USAGE)
            what = ", ".join(spider_args["domains"]) if spider_args.get("domains") else f"{tracked} tracked policy URLs"
            print(f"{command} of {what} from {archive} into {db_path}", file=sys.stderr)
            started = time.monotonic()
            stats = run_crawl(overrides, command=command, **spider_args)
            return report(stats, db_path, time.monotonic() - started, per_vendor=command != "crawl")
    except LockBusy as error:
        return fail(str(error), EXIT_LOCKED)
    except OSError as error:
        return fail(f"cannot use database {db_path}: {error.strerror}", EXIT_USAGE)


def report(stats: dict, db_path: str, elapsed: float, per_vendor: bool = True) -> int:
    """The summary: one line per vendor (unless `per_vendor` is off), one for the run; then the exit
    status for the outcome. The run log table has the details."""
    from crawler.store import Store

    from crawler.run_status import lost_work

    status = stats.get("run/status", "interrupted")
    run_id = stats.get("run/id")
    try:
        store = Store(db_path)
        if per_vendor and run_id is not None:
            for line in store.discovery_lines(run_id) + store.run_summary(run_id):
                print(line)
        store.close()
    except Exception as error:  # noqa: BLE001 - a full disk must not hide the summary below
        print(f"(per-vendor lines unavailable: {error})", file=sys.stderr)
    get = lambda key: stats.get(key, 0)  # noqa: E731
    unverifiable = f", {get('items/unverifiable')} unverifiable" if get("items/unverifiable") else ""
    print(
        f"{status}: {get('captures/listed')} captures listed, {get('archive/cdx_requests')} CDX and "
        f"{get('archive/replay_requests')} replay requests, "
        f"{get('archive/429')} answered 429, {elapsed:.1f} s; {get('versions/new')} new versions{unverifiable}; "
        f"database {db_path} (run {run_id})"
    )
    lost = lost_work(stats)
    if lost:
        print(f"not done: {lost}")
    if status == "store_failed":
        return fail(f"the database {db_path} could not be written ({stats.get('store/first_error')}): "
                    f"{get('store/errors')} writes lost; free space and run again, the next run fetches them again", EXIT_STORE)
    if status == "blocked":
        return fail(f"the archive is blocking this address ({stats.get('archive/blocked')}); what was stored is kept. "
                    "Wait an hour before the next run, and lower --cdx-per-minute / --replays-per-second.", EXIT_BLOCKED)
    if status == "failed":
        return fail(stats.get("archive/first_error") or "the archive could not be used", EXIT_ARCHIVE)
    if status != "ok":
        first = stats.get("archive/first_error")
        return fail(f"some captures or listings failed{': ' + first if first else ''}; the next run retries them", EXIT_PARTIAL)
    return EXIT_OK


def cmd_crawl(args) -> int:
    from crawler.targets import TargetError, normalize_domain

    try:
        domains = [normalize_domain(d) for d in args.domain]
        overrides = settings_from(args)
    except (TargetError, ValueError) as error:
        return fail(str(error), EXIT_USAGE)
    if args.save_stale is not None and args.save_stale < 0:
        return fail("--save-stale takes a number of days, 0 or more", EXIT_USAGE)
    spider_args = {"domains": domains} if domains else {}
    status = locked_run("crawl", overrides, spider_args)
    if args.save_stale is None or status not in (EXIT_OK, EXIT_PARTIAL):
        return status
    return save_stale_step(args, overrides) or status


def save_stale_step(args, overrides) -> int:
    """After the crawl: Save Page Now for each policy URL whose newest capture is older than --save-stale days."""
    from crawler.savepagenow import save_stale

    from crawler.wayback import archive_for

    db_path = overrides["POLICY_DB"]
    # Save Page Now is the Wayback Machine's: ask the first archive, judged by its own captures.
    archive = archive_for(overrides["ARCHIVE_URLS"][0], args.archive_type)
    store = open_store(argparse.Namespace(db=db_path))
    if store is None:
        return EXIT_USAGE
    try:
        results = save_stale(store, archive, args.save_stale, per_minute=args.save_per_minute)
    finally:
        store.close()
    for result in results:
        print(f"save page now: {result.url} (newest capture {result.newest_capture or 'none'}): {result.outcome}")
    asked = sum(1 for r in results if r.outcome.startswith("saved"))
    print(f"save page now: {asked} of {len(results)} stale policy URLs saved")
    return EXIT_OK


# --- read-only views ----------------------------------------------------------------------------

def open_store(args):
    """The store for a read-only command, or None after a one-line error."""
    from crawler.store import Store, StoreError

    db_path = database_path(args)
    if not Path(db_path).exists():
        fail(f"no database at {db_path} (run backfill first, or give --db)", EXIT_USAGE)
        return None
    try:
        return Store(db_path)
    except StoreError as error:
        fail(str(error), EXIT_USAGE)
        return None


def cmd_changes(args) -> int:
    from crawler.targets import TargetError, normalize_date
    from crawler.views import changes_lines

    try:
        since = normalize_date(args.since)
    except TargetError as error:
        return fail(str(error), EXIT_USAGE)
    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    lines = changes_lines(store, since, args.domain)
    store.close()
    print("\n".join(lines) if lines else "no change" + (f" since {args.since}" if args.since else ""))
    return EXIT_OK


def cmd_diff(args) -> int:
    from crawler.targets import TargetError, normalize_domain
    from crawler.views import diff_text

    try:
        domain = normalize_domain(args.domain)
    except TargetError as error:
        return fail(str(error), EXIT_USAGE)
    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    try:
        text = diff_text(store, domain, args.from_version, args.to_version)
    except LookupError as error:
        return fail(str(error), EXIT_USAGE)
    finally:
        store.close()
    print(text or "the two versions read the same", end="" if text else "\n")
    return EXIT_OK


def cmd_status(args) -> int:
    from crawler.views import status_lines

    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    print("\n".join(status_lines(store)))
    store.close()
    return EXIT_OK


def cmd_feed(args) -> int:
    from crawler.feed import atom_feed

    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    xml = atom_feed(store, args.domain)
    store.close()
    try:
        Path(args.out).write_bytes(xml)
    except OSError as error:
        return fail(f"cannot write {args.out}: {error.strerror}", EXIT_USAGE)
    print(f"wrote {args.out}")
    return EXIT_OK


# --- export -------------------------------------------------------------------------------------

def cmd_export(args) -> int:
    from crawler.export import export

    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    try:
        written = export(store, Path(args.out), args.format, args.domain)
    except OSError as error:
        return fail(f"cannot write to {args.out}: {error.strerror}", EXIT_USAGE)
    finally:
        store.close()
    noun = "file" if args.format == "jsonl" else "changes"
    print(f"wrote {len(written)} {noun} to {args.out}")
    return EXIT_OK


# --- the parser ---------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m crawler",
        description="Rebuilds the dated history of vendors' privacy policies from the Wayback Machine.",
        epilog="example: python -m crawler backfill kerio.com --policy-url http://www.kerio.com/privacy-policy\n"
        "         python -m crawler export --out policies/\n"
        "Exit statuses: 0 ok, 1 partly failed, 2 bad input, 3 not a policy (extract), 4 archive unusable, 5 blocked,\n"
        "6 another run holds the database, 7 the database could not be written.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True

    backfill = sub.add_parser(
        "backfill",
        help="list and fetch a domain's whole policy history",
        description="List every capture of each vendor's policy URL in the archive, fetch the ones with new "
        "content, and store each distinct text as a dated version.",
        epilog="example: python -m crawler backfill kerio.com --policy-url http://www.kerio.com/privacy-policy "
        "--from 2010 --to 20151231\n"
        "         python -m crawler backfill kerio.com faasoft.com        # finds each policy URL itself\n"
        "         python -m crawler backfill --vendors vendors.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    backfill.add_argument("domains", nargs="*", metavar="DOMAIN", help="vendor domain, e.g. kerio.com")
    backfill.add_argument("--policy-url", action="append", default=[], metavar="URL",
                          help="the policy's URL (repeatable; each goes to the domain it is on); without it, the "
                          "crawler finds the policy URLs of every era itself")
    backfill.add_argument("--vendors", metavar="CSV", help="a file of vendors: header `domain,policy_url`, one row per "
                          "domain and URL (the URL may be empty), # comments and blank lines ignored")
    backfill.add_argument("--from", dest="from_date", metavar="YYYYMMDD", help="first day to list")
    backfill.add_argument("--to", dest="to_date", metavar="YYYYMMDD", help="last day to list")
    add_crawl_arguments(backfill)
    backfill.set_defaults(func=cmd_backfill)

    crawl = sub.add_parser(
        "crawl",
        help="the scheduled job: pick up only captures newer than what is stored, for every tracked vendor",
        description="For every tracked policy URL (those a backfill stored), list the archive's index from where "
        "the last complete listing ended and fetch only what is new. Safe from cron: one run per database at a "
        "time (a second exits with status 6), and a killed run is resumed by the next one.",
        epilog="example: python -m crawler crawl --db /var/lib/policies/policies.db\n"
        "crontab: 17 3 * * * cd /opt/policy-history && .venv/bin/python -m crawler crawl --db policies.db",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    crawl.add_argument("--domain", action="append", default=[], help="only this tracked vendor (repeatable)")
    crawl.add_argument("--save-stale", type=float, default=None, metavar="DAYS",
                       help="then ask Save Page Now to capture each policy URL whose newest capture is older than DAYS")
    crawl.add_argument("--save-per-minute", type=float, default=float(os.environ.get("POLICY_SAVE_PER_MINUTE", 15)),
                       help="Save Page Now requests per minute (default 15, its own limit)")
    add_crawl_arguments(crawl)
    crawl.set_defaults(func=cmd_crawl)

    changes = sub.add_parser("changes", help="list each vendor's policy changes, with dates",
                             epilog="example: python -m crawler changes --since 20240101")
    changes.add_argument("--db", default=None, help="SQLite database (default: $POLICY_DB or policies.db)")
    changes.add_argument("--since", metavar="YYYYMMDD", help="only changes first archived on or after this day")
    changes.add_argument("--domain", default=None, help="only this vendor")
    changes.set_defaults(func=cmd_changes)

    diff = sub.add_parser("diff", help="show what changed between two versions of a vendor's policy",
                          epilog="example: python -m crawler diff kerio.com --from-version 3 --to-version 4")
    diff.add_argument("domain", metavar="DOMAIN")
    diff.add_argument("--db", default=None, help="SQLite database (default: $POLICY_DB or policies.db)")
    diff.add_argument("--from-version", type=int, metavar="N", help="version number as `changes` shows it")
    diff.add_argument("--to-version", type=int, metavar="M", help="version number (default: the last two changes)")
    diff.set_defaults(func=cmd_diff)

    status = sub.add_parser("status", help="the tracked vendors with their newest capture and version",
                            epilog="example: python -m crawler status --db policies.db")
    status.add_argument("--db", default=None, help="SQLite database (default: $POLICY_DB or policies.db)")
    status.set_defaults(func=cmd_status)

    feed = sub.add_parser("feed", help="write an Atom feed of new policy versions",
                          epilog="example: python -m crawler feed --out changes.xml")
    feed.add_argument("--db", default=None, help="SQLite database (default: $POLICY_DB or policies.db)")
    feed.add_argument("--out", required=True, metavar="FILE", help="where to write the feed")
    feed.add_argument("--domain", default=None, help="only this vendor")
    feed.set_defaults(func=cmd_feed)

    exp = sub.add_parser(
        "export",
        help="write the stored history as Markdown documents or JSON lines",
        description="Markdown: one file per change, DIR/<domain>/<YYYYMMDDhhmmss>.md, named by the first capture "
        "that showed that text then. JSON lines: DIR/changes.jsonl, one change per line.",
        epilog="example: python -m crawler export --out policies/ --format markdown",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("--db", default=None, help="SQLite database (default: $POLICY_DB or policies.db)")
    exp.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    exp.add_argument("--format", choices=("markdown", "jsonl"), default="markdown")
    exp.add_argument("--domain", default=None, help="only this vendor")
    exp.set_defaults(func=cmd_export)

    # Listed here for `--help` only: main() hands these commands their own arguments (see DELEGATED).
    sub.add_parser("extract", help="print the document the pipeline would store for one HTML page", add_help=False)
    sub.add_parser("demo", help="the whole path offline, against a local archive", add_help=False)
    sub.add_parser("archive", help="run a local Wayback-style archive over WARC files", add_help=False)
    return parser


DELEGATED = {"extract": "crawler.extract", "demo": "crawler.demo", "archive": "crawler.localarchive"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # These commands own their arguments (each has its own --help): hand them the rest of the line.
    if argv and argv[0] in DELEGATED:
        import importlib

        module = importlib.import_module(DELEGATED[argv[0]])
        rest = argv[1:]
        if argv[0] == "archive":
            if not rest or rest[0] not in ("serve", "-h", "--help"):
                return fail("usage: python -m crawler archive serve FILE.warc.gz [--port 8080] (see --help)", EXIT_USAGE)
            rest = rest[1:] if rest[0] == "serve" else rest
        return module.main(rest)
    args = build_parser().parse_args(argv)
    return args.func(args)
