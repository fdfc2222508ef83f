"""Scrapy settings. Every departure from Scrapy's defaults says why.

Only constants: flags and the environment become settings in one place (crawler/cli.py,
`settings_from`), so `scrapy crawl policy_history -s NAME=value` works for every one of them.
"""

BOT_NAME = "policy-history"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# The archive is a shared public service: say who we are.
USER_AGENT = "policy-history-crawler/0.1 (+https://github.com/; privacy-policy research)"
# The archive's robots.txt is about its own pages, not the captures we replay.
ROBOTSTXT_OBEY = False
# No cookies: replays must not depend on session state.
COOKIES_ENABLED = False

# --- Where things are stored ---
POLICY_DB = "policies.db"
# The capture store: every payload read, kept in gzipped WARC files (crawler/capturestore/) so texts
# can be re-extracted without the archive. "" means a folder beside the database, `<POLICY_DB>.captures`.
KEEP_CAPTURES = True
CAPTURE_STORE = ""
# A WARC file is closed and the next one started past this size (1 GiB, Heritrix's default).
CAPTURE_STORE_MAX_BYTES = 1 << 30
# The archives to read, a list: captures from all of them merge into one history per policy URL.
ARCHIVE_URLS = ["https://web.archive.org"]
# Their API: "auto" (from the URL: one with a path is a pywb collection), "ia" or "pywb".
ARCHIVE_TYPE = "auto"

# --- Politeness: archive.org's 2026 limits are 30 CDX/min and 600 replays/min per IP. CDX requests are
# the bottleneck, so they go at 29 a minute: the slot's fixed delay (no jitter) never puts more than 29
# in any minute, one under the limit; the `wayback` client's 80% would leave a fifth of them unused.
# Replays go at 95% of their limit. Lower
# them (flags or environment) when other clients share the address. The budget is per archive and kind
# (crawler/politeness.py), and each archive and kind has its own download slot (`cdx:<host>`,
# `replay:<host>`): a slow CDX query never holds up replays, nor one archive another.
ARCHIVE_CDX_PER_MINUTE = 29.0
ARCHIVE_REPLAYS_PER_SECOND = 9.5
# The budget is shared by every run of the crawler on this machine (archive.org limits per address): a
# state file per archive under ARCHIVE_BUDGET_DIR (default: ~/.cache/policy-history/budget), locked.
ARCHIVE_BUDGET_SHARED = True
ARCHIVE_BUDGET_DIR = ""
# After a 429 that is not an archived page, every request to the archive waits this long: archive.org
# blocks, for an hour, an IP that keeps going for about a minute after a 429.
ARCHIVE_PAUSE_AFTER_429 = 60.0
# This many refused/dropped connections in a row after a 429 mean the firewall has blocked us: stop.
ARCHIVE_BLOCKED_AFTER_FAILURES = 3
# An archive that has not answered once in a run and fails this many connections is down: the run stops
# with exit 4 instead of trying every URL in turn.
ARCHIVE_UNREACHABLE_AFTER = 3
# A request answered 429 is sent again after the pause, at most this many times.
ARCHIVE_MAX_429_RETRIES = 5
# Rows asked for per CDX page; most policies' whole history fits in one page.
ARCHIVE_CDX_PAGE_SIZE = 10000
# The discovery query of a bare domain (crawler/discovery/query.py says why these): rows per page, and
# pages before it falls back to the monthly query.
DISCOVERY_CDX_PAGE_SIZE = 50000
DISCOVERY_MAX_PAGES = 3
# collapse=digest: the index drops a row identical in payload to the one before it. Set to "" to list
# every capture (exact last-seen dates, bigger pages, the same number of CDX requests).
ARCHIVE_CDX_COLLAPSE = "digest"

# How a listing's captures are read (crawler/reading.py): "auto", "every-digest", "bisect", "sample:6M".
READ_MODE = "auto"
# A replayed body must hash to the payload digest its CDX row gives (crawler/verify.py). One that does not
# is sent again this many times in the run, then left to the next run; after this many failed fetches
# in all (across runs) the capture is settled as "unverifiable", with its reason.
ARCHIVE_VERIFY_RETRIES_IN_RUN = 1
ARCHIVE_MAX_UNVERIFIED_ATTEMPTS = 3
# Replays larger than this are not read (Scrapy's download_maxsize, per replay request): recorded as
# "oversize" with the reason. Real policies are well under 2 MB of HTML.
ARCHIVE_MAX_PAGE_BYTES = 4 * 1024 * 1024
# Extraction runs in this many worker threads, off the reactor, so downloads keep their pace.
EXTRACT_THREADS = 2

# Scrapy's own throttling would fight the fixed rates above.
AUTOTHROTTLE_ENABLED = False
# 429 is handled by ArchivePoliteness (pause everything, then resend), never by a quick retry.
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
RETRY_TIMES = 3
# Replays of big pages are slow; archive.org is slower still under load.
DOWNLOAD_TIMEOUT = 90
# The spider follows captured redirects itself, to bound them, detect loops and record the target.
REDIRECT_ENABLED = False
# Archived 404/429 pages are content, and 403 exclusions need a clear message: the spider sees all.
HTTPERROR_ALLOW_ALL = True

DOWNLOADER_MIDDLEWARES = {
    # Last before the network, so it sees exactly what is sent and received.
    "crawler.middlewares.ArchivePoliteness": 950,
    # Hashes a replay's body as received, before HttpCompressionMiddleware (590) decodes it.
    "crawler.verify.RawPayloadDigest": 940,
    # Drops a Content-Encoding the body does not have (gzip named on plain bytes), before decoding.
    "crawler.encoding.HonestContentEncoding": 930,
}

ITEM_PIPELINES = {
    # First: the extraction drops the body.
    "pipelines.keep.KeepCapturePayload": 50,
    "pipelines.extract.ExtractPolicyText": 100,
    "pipelines.refuse.RefuseNonPolicies": 200,
    "pipelines.deduplicate.DeduplicateTexts": 300,
    "pipelines.store.StoreItems": 400,
}

EXTENSIONS = {
    # The one owner of the database during a crawl.
    "crawler.extensions.store.PolicyStore": 100,
    "crawler.extensions.progress.Progress": 200,
}
# Seconds between progress lines on stderr (0: none).
PROGRESS_INTERVAL = 10.0
# Scrapy's own per-minute stats line says little to a user; Progress replaces it.
LOGSTATS_INTERVAL = 0
LOG_LEVEL = "INFO"
# Our own telnet console is of no use and opens a port.
TELNETCONSOLE_ENABLED = False
