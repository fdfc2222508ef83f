import asyncio
from concurrent.futures import ThreadPoolExecutor

from crawler.extract import extract
from crawler.items import CaptureItem


class ExtractPolicyText:
    """HTML bytes of a replayed capture -> title, Markdown body, policy score and stated date.

    Extraction runs in a small thread pool (EXTRACT_THREADS), off the reactor's thread: a big or slow
    page never holds up the downloads (their budget and pauses keep running meanwhile)."""

    def __init__(self, threads: int = 2):
        self.threads = threads
        self.pool: ThreadPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getint("EXTRACT_THREADS", 2))

    def close_spider(self):
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    async def process_item(self, item):
        if not isinstance(item, CaptureItem) or item.outcome != "fetched" or item.body is None:
            return item
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=max(1, self.threads), thread_name_prefix="extract")
        return await asyncio.get_running_loop().run_in_executor(self.pool, self.extract_item, item)

    def extract_item(self, item):
        """The work itself, in the calling thread."""
        if not isinstance(item, CaptureItem) or item.outcome != "fetched" or item.body is None:
            return item
        try:
            document = extract(item.body, url=item.captured_url or item.original, content_type=item.content_type)
        except Exception as error:  # noqa: BLE001 - one odd page must not stop the crawl, nor be lost
            # Recorded as failed, so the next run reads it again (after a fix, say) instead of skipping it.
            item.outcome, item.reason, item.body = "failed", f"extraction error: {type(error).__name__}: {error}"[:300], None
            return item
        item.title = document.title
        item.markdown = document.markdown
        item.score = document.score
        item.reason = document.reason
        item.policy_date = document.policy_date
        item.is_policy = document.is_policy
        item.body = None  # the bytes are not stored; drop them as early as possible
        return item
