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

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_ARCHIVE, EXIT_BLOCKED, EXIT_LOCKED, EXIT_INTERRUPTED = 0, 1, 2, 4, 5, 6, 130
# archive.org's published limits (wayback-facts): above them it answers 429, then blocks the address.
IA_CDX_PER_MINUTE, IA_REPLAYS_PER_SECOND = 30.0, 10.0
IA_HOSTS = ("web.archive.org", "archive.org")
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
    "POLICY_CAPTURE_STORE": "CAPTURE_STORE",
    "POLICY_CAPTURE_STORE_MAX_BYTES": "CAPTURE_STORE_MAX_BYTES",
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
    parser.add_argument("--db", default=None, help=DB_HELP)
    parser.add_argument("--archive", action="append", default=[], metavar="URL",
                        help=f"archive base URL, repeatable: captures from all merge into one history (or "
                        f"$POLICY_ARCHIVE; default {DEFAULT_ARCHIVE}; a pywb collection is e.g. http://127.0.0.1:8080/my-coll)")
    parser.add_argument("--archive-type", choices=("auto", "ia", "pywb"), default="auto",
                        help="the archives' API: archive.org's or pywb's (default: auto, from the URL: one with a path is pywb)")
    parser.add_argument("--cdx-per-minute", type=float, default=None,
                        help="CDX requests per minute to each archive (default 29: archive.org allows 30)")
    parser.add_argument("--replays-per-second", type=float, default=None,
                        help="replays per second from each archive (default 9.5, 95%% of archive.org's 600/min)")
    parser.add_argument("--pause-after-429", type=float, default=None, metavar="SECONDS",
                        help="pause of every request to an archive after its 429 (default 60)")
    parser.add_argument("--exceed-archive-limits", action="store_true",
                        help="allow rates above archive.org's published limits (30 CDX/min, 10 replays/s) against it")
    parser.add_argument("--no-collapse", action="store_true",
                        help="list every capture, not only digest changes (exact last-seen dates, bigger CDX pages)")
    parser.add_argument("--read", default=None, metavar="MODE",
                        help="how a listing's captures are read: every-digest (each unread payload), bisect (first and "
                        "last capture, then the middle of every two that differ: each version's first capture exact; "
                        "it can miss a text that changes and changes back between two captures of equal text whose "
                        "bytes are all new), sample:6M / sample:1Y (one capture per period), or auto (default: bisect "
                        "for a listing of 48+ unread digests, most of them unique; every-digest otherwise)")
    parser.add_argument("--capture-store", default=None, metavar="DIR",
                        help="where the WARC files of every payload read go (default: $POLICY_CAPTURE_STORE or DB.captures/)")
    parser.add_argument("--no-keep-captures", action="store_true",
                        help="keep only the extracted texts, not the pages (no re-extraction or pll export of them later)")
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
    from urllib.parse import urlsplit

    on_ia = any(urlsplit(base).hostname in IA_HOSTS for base in archives)
    too_fast = (settings.get("ARCHIVE_CDX_PER_MINUTE", 0) > IA_CDX_PER_MINUTE
                or settings.get("ARCHIVE_REPLAYS_PER_SECOND", 0) > IA_REPLAYS_PER_SECOND)
    if on_ia and too_fast and not args.exceed_archive_limits:
        raise ValueError(f"archive.org allows {IA_CDX_PER_MINUTE:g} CDX requests a minute and {IA_REPLAYS_PER_SECOND:g} "
                         "replays a second per address, then blocks it for an hour: give --exceed-archive-limits "
                         "to go faster anyway")
    if getattr(args, "read", None):
        from crawler.reading import parse_read_mode

        try:
            settings["READ_MODE"] = str(parse_read_mode(args.read))
        except ValueError as error:
            raise ValueError(f"--read: {error}") from None
    if args.no_collapse:
        settings["ARCHIVE_CDX_COLLAPSE"] = ""
    settings.update(capture_store_settings(args, settings))
    if args.verbose:
        settings["LOG_LEVEL"] = "INFO"
    return settings


def capture_store_settings(args, settings: dict) -> dict:
    """--capture-store, --no-keep-captures and their environment as settings (raises ValueError)."""
    out = {}
    if getattr(args, "capture_store", None):
        out["CAPTURE_STORE"] = args.capture_store
    if getattr(args, "no_keep_captures", False):
        out["KEEP_CAPTURES"] = False
    if "CAPTURE_STORE_MAX_BYTES" in settings:
        try:
            out["CAPTURE_STORE_MAX_BYTES"] = int(settings["CAPTURE_STORE_MAX_BYTES"])
        except ValueError:
            raise ValueError(f"POLICY_CAPTURE_STORE_MAX_BYTES: not a number: {settings['CAPTURE_STORE_MAX_BYTES']!r}") from None
    if out.get("KEEP_CAPTURES", True):
        from crawler.capturestore import store_folder

        folder = Path(store_folder(settings["POLICY_DB"], out.get("CAPTURE_STORE") or settings.get("CAPTURE_STORE")))
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"capture store {folder} is not a folder (give --capture-store, or --no-keep-captures)")
        if folder.exists() and not os.access(folder, os.W_OK):
            raise ValueError(f"capture store {folder} is not writable (give --capture-store, or --no-keep-captures)")
    return out


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
    from crawler.targets import TargetError, assign_policy_urls, date_range, normalize_domain, normalize_url, read_vendors_csv

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
        date_range(args.from_date, args.to_date)
        overrides = settings_from(args)
        from crawler.wayback import archive_for

        bare = [d for d in domains if not assigned[d]]
        if bare and not any(archive_for(a, args.archive_type).kind == "ia" for a in overrides["ARCHIVE_URLS"]):
            raise TargetError(f"finding the policy of {', '.join(bare)} needs an archive.org-style archive "
                              "(a pywb collection has no domain-wide index): give --policy-url")
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
    from crawler.targets import TargetError

    db_path = overrides["POLICY_DB"]
    archive = ", ".join(overrides["ARCHIVE_URLS"])
    if command == "crawl" and not Path(db_path).exists():
        return fail(f"no database at {db_path} (a crawl picks up what a backfill started: run backfill first, or check --db)",
                    EXIT_USAGE)
    try:
        with run_lock(db_path):
            try:
                store = Store(db_path)  # fail fast, with one line, on a corrupt or unusable database
            except StoreError as error:
                return fail(str(error), EXIT_USAGE)
            killed = store.close_stale_runs()
            tracked = store.policy_urls()
            store.close()
            if killed:
                print(f"note: {killed} earlier run(s) had ended without closing (killed); marked as such", file=sys.stderr)
            if command == "crawl" and not tracked:
                return fail(f"no tracked policy URL in {db_path}: run backfill first", EXIT_USAGE)
            if command == "crawl" and spider_args.get("domains"):
                unknown = [d for d in spider_args["domains"] if d not in {row["domain"] for row in tracked}]
                if unknown:
                    return fail(unknown_domain_message(unknown[0], db_path, {row["domain"] for row in tracked}), EXIT_USAGE)
            what = ", ".join(spider_args["domains"]) if spider_args.get("domains") else f"{len(tracked)} tracked policy URLs"
            print(f"{command} of {what} from {archive} into {db_path}", file=sys.stderr)
            started = time.monotonic()
            try:
                stats = run_crawl(overrides, command=command, **spider_args)
            except TargetError as error:
                return fail(str(error), EXIT_USAGE)
            return report(stats, db_path, time.monotonic() - started, per_vendor=command != "crawl")
    except LockBusy as error:
        return fail(str(error), EXIT_LOCKED)
    except OSError as error:
        return fail(f"cannot use database {db_path}: {error.strerror}", EXIT_USAGE)


def unknown_domain_message(domain: str, db_path: str, known) -> str:
    """The same words in every command that takes a tracked domain."""
    listed = ", ".join(sorted(known)[:10]) + (" ..." if len(known) > 10 else "")
    return f"{domain} is not a tracked vendor in {db_path} (tracked: {listed or 'none'})"


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
    if status == "interrupted":
        return fail("interrupted: what was stored is kept; run the same command again to go on", EXIT_INTERRUPTED)
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
    """The store for a read-only command, opened read-only (nothing created, migrated or written; no
    lock taken), or None after a one-line error. A `--domain` given must be a tracked vendor."""
    from crawler.store import Store, StoreError
    from crawler.targets import TargetError, normalize_domain

    db_path = database_path(args)
    try:
        store = Store(db_path, readonly=True)
    except StoreError as error:
        fail(str(error), EXIT_USAGE)
        return None
    if getattr(args, "domain", None):
        try:
            args.domain = normalize_domain(args.domain)
        except TargetError as error:
            store.close()
            fail(str(error), EXIT_USAGE)
            return None
        known = store.domains()
        if args.domain not in known:
            store.close()
            fail(unknown_domain_message(args.domain, db_path, known), EXIT_USAGE)
            return None
    return store


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
    from crawler.views import diff_text

    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    try:
        text = diff_text(store, args.domain, args.from_version, args.to_version)
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


# --- reextract ----------------------------------------------------------------------------------

def cmd_reextract(args) -> int:
    from crawler.lock import LockBusy, run_lock
    from crawler.reextract import DEFAULT_EXTRACTOR, load_extractor, reextract, summary_line
    from crawler.targets import TargetError, normalize_date, normalize_domain

    try:
        domains = [normalize_domain(d) for d in args.domain]
        since = normalize_date(args.since)
        load_extractor(args.extractor or DEFAULT_EXTRACTOR)
    except (TargetError, ValueError) as error:
        return fail(str(error), EXIT_USAGE)
    if args.workers is not None and args.workers < 1:
        return fail("--workers takes a number of processes, 1 or more", EXIT_USAGE)
    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    store.close()
    db_path = database_path(args)
    from crawler.extractor_version import EXTRACTOR_VERSION

    try:
        with run_lock(db_path):
            result = reextract(db_path, domains=domains or None, since=since, workers=args.workers,
                               extractor=args.extractor or DEFAULT_EXTRACTOR,
                               version=args.extractor_version or EXTRACTOR_VERSION,
                               capture_store=args.capture_store or os.environ.get("POLICY_CAPTURE_STORE"), force=args.force)
    except LockBusy as error:
        return fail(str(error), EXIT_LOCKED)
    print(summary_line(result))
    if result.errors:
        return fail(f"{result.errors} page(s) could not be extracted; their captures are left as they were", EXIT_PARTIAL)
    return EXIT_OK


# --- export -------------------------------------------------------------------------------------

def cmd_export_pll(args) -> int:
    from crawler.pll import export_pll

    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    try:
        done = export_pll(store, Path(args.out), args.domain, git=args.git,
                          capture_store=args.capture_store or os.environ.get("POLICY_CAPTURE_STORE"))
    except FileNotFoundError as error:
        if error.filename == "git":
            return fail("--git needs git on the PATH", EXIT_USAGE)
        return fail(f"cannot write {error.filename or args.out}: {error.strerror}", EXIT_USAGE)
    except OSError as error:
        return fail(f"cannot write {error.filename or args.out}: {error.strerror}", EXIT_USAGE)
    finally:
        store.close()
    what = f"{done.commits} commits ({done.commits / done.seconds:.0f} a second) into the git repository" if args.git else f"{len(done.files)} files to"
    print(f"wrote {what} {args.out}" + (f"; {done.without_page} change(s) without a stored page (no .html)" if done.without_page else ""))
    return EXIT_OK


def cmd_export(args) -> int:
    from crawler.export import export

    if args.format == "pll":
        return cmd_export_pll(args)
    if args.git:
        return fail("--git goes with --format pll", EXIT_USAGE)
    store = open_store(args)
    if store is None:
        return EXIT_USAGE
    try:
        exported = export(store, Path(args.out), args.format, args.domain)
    except OSError as error:
        return fail(f"cannot write {error.filename or args.out}: {error.strerror}", EXIT_USAGE)
    finally:
        store.close()
    where = exported.files[0] if args.format == "jsonl" else args.out
    print(f"wrote {exported.documents} documents to {where}")
    if exported.removed:
        print(f"removed {len(exported.removed)} document(s) of an earlier export that this one no longer holds")
    return EXIT_OK


# --- the parser ---------------------------------------------------------------------------------

class HelpFormatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Examples keep their lines; every option with a default shows it."""

    def _get_help_string(self, action):
        if action.default in (None, False, []) or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


PROG = "policy-history" if Path(sys.argv[0]).name == "policy-history" else "python -m crawler"
DB_HELP = f"SQLite database (default: $POLICY_DB, else {DEFAULT_DB})"


def command_parser(sub, name: str, summary: str, description: str, examples: list[str]) -> argparse.ArgumentParser:
    """A subcommand with a description, examples and its defaults shown."""
    command = sub.add_parser(name, help=summary, description=description, formatter_class=HelpFormatter,
                             epilog="examples:\n" + "\n".join(f"  {PROG} {e}" for e in examples))
    command.set_defaults(command_parser=command)
    return command


def build_parser() -> argparse.ArgumentParser:
    from crawler import __version__

    parser = OneLineParser(
        prog=PROG,
        description="Rebuilds the dated history of vendors' privacy policies from the Wayback Machine.",
        epilog=f"examples:\n  {PROG} backfill kerio.com --policy-url http://www.kerio.com/privacy-policy\n"
        f"  {PROG} export --out policies/\n"
        f"  {PROG} COMMAND --help     (each command's options and examples)\n"
        "exit statuses: 0 ok, 1 partly failed (the next run retries), 2 bad input, 3 not a policy (extract),\n"
        "4 archive unusable, 5 blocked by the archive, 6 another run holds the database, 7 the database could not be written,\n130 interrupted.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"policy-history {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    sub.required = True

    backfill = command_parser(
        sub, "backfill", "list and fetch a domain's whole policy history",
        "List every capture of each vendor's policy URL in the archive, fetch the ones with new content, and "
        "store each distinct text as a dated version. Without --policy-url the crawler finds the policy URLs "
        "of every era itself, from one CDX query over the domain that lists their captures too, and a few "
        "archived home pages.",
        ["backfill kerio.com --policy-url http://www.kerio.com/privacy-policy --from 2010 --to 20151231",
         "backfill kerio.com faasoft.com        # finds each policy URL itself",
         "backfill --vendors vendors.csv"],
    )
    backfill.add_argument("domains", nargs="*", metavar="DOMAIN", help="vendor domain, e.g. kerio.com")
    backfill.add_argument("--policy-url", action="append", default=[], metavar="URL",
                          help="the policy's URL (repeatable; each goes to the domain it is on)")
    backfill.add_argument("--vendors", metavar="CSV", help="a file of vendors: header `domain,policy_url`, one row per "
                          "domain and URL (the URL may be empty), # comments and blank lines ignored")
    backfill.add_argument("--from", dest="from_date", metavar="YYYYMMDD", help="first day to list")
    backfill.add_argument("--to", dest="to_date", metavar="YYYYMMDD", help="last day to list")
    add_crawl_arguments(backfill)
    backfill.set_defaults(func=cmd_backfill)

    crawl = command_parser(
        sub, "crawl", "the scheduled job: pick up only captures newer than what is stored",
        "For every tracked policy URL (those a backfill stored), list the archive's index from where the last "
        "complete listing ended and fetch only what is new. Safe from cron: one run per database at a time (a "
        "second exits with status 6), and a killed run is resumed by the next one.",
        ["crawl --db /var/lib/policies/policies.db",
         "crawl --db policies.db --domain kerio.com --save-stale 90"],
    )
    crawl.add_argument("--domain", action="append", default=[], help="only this tracked vendor (repeatable)")
    crawl.add_argument("--save-stale", type=float, default=None, metavar="DAYS",
                       help="then ask Save Page Now to capture each policy URL whose newest capture is older than DAYS")
    crawl.add_argument("--save-per-minute", type=float, default=float(os.environ.get("POLICY_SAVE_PER_MINUTE", 15)),
                       help="Save Page Now requests per minute (its own limit is 15)")
    add_crawl_arguments(crawl)
    crawl.set_defaults(func=cmd_crawl)

    changes = command_parser(sub, "changes", "list each vendor's policy changes, with dates",
                             "Each vendor's changes in time order: version number (1 = the vendor's oldest text), "
                             "the day it was first archived, the day the next change was, title, snapshot link.",
                             ["changes --since 20240101", "changes --domain kerio.com --db research.db"])
    changes.add_argument("--db", default=None, help=DB_HELP)
    changes.add_argument("--since", metavar="YYYYMMDD", help="only changes first archived on or after this day")
    changes.add_argument("--domain", default=None, help="only this vendor")
    changes.set_defaults(func=cmd_changes)

    diff = command_parser(sub, "diff", "show what changed between two versions of a vendor's policy",
                          "A unified diff of two versions, numbered as `changes` shows them; by default the last two "
                          "changes.", ["diff kerio.com", "diff kerio.com --from-version 1 --to-version 3"])
    diff.add_argument("domain", metavar="DOMAIN")
    diff.add_argument("--db", default=None, help=DB_HELP)
    diff.add_argument("--from-version", type=int, metavar="N", help="version number as `changes` shows it")
    diff.add_argument("--to-version", type=int, metavar="M", help="version number as `changes` shows it")
    diff.set_defaults(func=cmd_diff)

    status = command_parser(sub, "status", "the tracked vendors with their newest capture and version",
                            "One line per tracked vendor: policy URLs, newest capture, versions, the version in force "
                            "now; then the last run.", ["status --db policies.db"])
    status.add_argument("--db", default=None, help=DB_HELP)
    status.set_defaults(func=cmd_status)

    feed = command_parser(sub, "feed", "write an Atom feed of policy changes",
                          "An Atom feed with one entry per change (the same as `changes`), newest first, each linking "
                          "to its snapshot.", ["feed --out changes.xml", "feed --out kerio.xml --domain kerio.com"])
    feed.add_argument("--db", default=None, help=DB_HELP)
    feed.add_argument("--out", required=True, metavar="FILE", help="where to write the feed")
    feed.add_argument("--domain", default=None, help="only this vendor")
    feed.set_defaults(func=cmd_feed)

    reex = command_parser(
        sub, "reextract", "rebuild the texts from the capture store with the current extractor (no archive request)",
        "Extract every stored capture's page again, from the WARC capture store, in parallel over the "
        "machine's cores, and apply the result one policy URL per transaction: a version whose text changes only "
        "because the extractor did is upgraded in place (recorded in `upgrades`; `changes` and `feed` do not report "
        "it), captures that no longer pass (or now pass) the policy decision move, dates are recomputed. Resumable: "
        "a policy URL done with this extractor version is not redone.",
        ["reextract --db policies.db", "reextract --domain kerio.com --since 2018 --workers 2"],
    )
    reex.add_argument("--db", default=None, help=DB_HELP)
    reex.add_argument("--domain", action="append", default=[], help="only this vendor (repeatable)")
    reex.add_argument("--since", metavar="YYYYMMDD", help="only captures on or after this day (and their versions' others)")
    reex.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    reex.add_argument("--capture-store", default=None, metavar="DIR", help="the WARC capture store (default: DB.captures/)")
    reex.add_argument("--force", action="store_true", help="redo policy URLs already done with this extractor version")
    reex.add_argument("--extractor", default=None, metavar="MODULE:FUNCTION",
                      help="try another extractor (default crawler.extract:extract); it takes (body, url=, content_type=)")
    reex.add_argument("--extractor-version", default=None, metavar="NAME",
                      help="the version recorded with the texts (default: crawler/extractor_version.py's)")
    reex.set_defaults(func=cmd_reextract)

    exp = command_parser(
        sub, "export", "write the stored history as Markdown documents or JSON lines",
        "Markdown: one file per change, DIR/<domain>/<YYYYMMDDhhmmss>.md, named by the first capture that showed "
        "that text then; documents of an earlier export into DIR that this one no longer holds are removed. "
        "JSON lines: DIR/changes.jsonl, one change per line (`document` is the Markdown file's text).",
        ["export --out policies/", "export --out policies/ --format jsonl --domain kerio.com"],
    )
    exp.add_argument("--db", default=None, help=DB_HELP)
    exp.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    exp.add_argument("--format", choices=("markdown", "jsonl", "pll"), default="markdown",
                     help="pll: the source dataset's layout, k/ke/ker/kerio.com.md and .html (the stored page)")
    exp.add_argument("--git", action="store_true", help="with --format pll: a git repository, one commit per change, "
                     "dated at its capture (built with git fast-import)")
    exp.add_argument("--capture-store", default=None, metavar="DIR", help="the WARC capture store (default: DB.captures/)")
    exp.add_argument("--domain", default=None, help="only this vendor")
    exp.set_defaults(func=cmd_export)

    # Listed here for `--help` only: main() hands these commands their own arguments (see DELEGATED).
    sub.add_parser("extract", help="print the document the pipeline would store for one HTML page or PDF", add_help=False)
    sub.add_parser("demo", help="the whole path offline, against a local archive", add_help=False)
    sub.add_parser("archive", help="run a local Wayback-style archive over WARC files", add_help=False)
    return parser


DELEGATED = {"extract": "crawler.extract", "demo": "crawler.demo", "archive": "crawler.localarchive"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        # These commands own their arguments (each has its own --help): hand them the rest of the line.
        if argv and argv[0] in DELEGATED:
            import importlib

            module = importlib.import_module(DELEGATED[argv[0]])
            rest = argv[1:]
            if argv[0] == "archive":
                if not rest or rest[0] not in ("serve", "-h", "--help"):
                    return fail(f"usage: {PROG} archive serve FILE.warc.gz [--port 8080] (see {PROG} archive --help)",
                                EXIT_USAGE)
                rest = rest[1:] if rest[0] == "serve" else rest
            return module.main(rest)
        parser = build_parser()
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # said by the subcommand's parser, so the message points to its own --help
            getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(unknown)}")
        return args.func(args)
    except KeyboardInterrupt:
        return fail("interrupted: what was stored is kept; run the same command again to go on", EXIT_INTERRUPTED)
