"""The capture store's pipeline, first of all (the extraction drops the body): keeps every payload read
in the WARC capture store (crawler/capturestore/) before anything else is recorded."""

from crawler.capturestore import DEFAULT_MAX_BYTES, store_folder
from crawler.capturestore.keeper import CaptureKeeper
from crawler.extensions.store import PolicyStore
from crawler.items import CaptureItem, PayloadItem
from crawler.wayback import EMPTY_DIGEST


class KeepCapturePayload:
    """A replayed capture's payload (a policy or a refused page), a home page read by discovery, a
    captured redirect: each kept once per payload digest; a CaptureItem then carries `payload_digest`,
    the key the store records with the capture. A capture not fetched because its payload is known gets
    a `revisit` record. Off with KEEP_CAPTURES = False (`--no-keep-captures`)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.keeper: CaptureKeeper | None = None
        # Repeats of a payload whose first capture is still being fetched: kept as revisits once it is.
        self.waiting: dict[str, list[tuple[str, str, int, str]]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        settings = self.crawler.settings
        if not settings.getbool("KEEP_CAPTURES", True):
            return
        extension = self.crawler.get_extension(PolicyStore)
        folder = store_folder(settings.get("POLICY_DB"), settings.get("CAPTURE_STORE"))
        self.keeper = CaptureKeeper(extension.store, folder, settings.getint("CAPTURE_STORE_MAX_BYTES", DEFAULT_MAX_BYTES),
                                    extension.run_id)
        for name, cut in self.keeper.writer.dropped_tails:
            self.crawler.stats.inc_value("capturestore/truncated_tails")
            self.crawler.spider.logger.warning(f"capture store: dropped a truncated record ({cut} bytes) at the end of {name}")

    def close_spider(self):
        if self.keeper is not None:
            self.keeper.close()

    def process_item(self, item):
        if self.keeper is None:
            return item
        if isinstance(item, PayloadItem):
            self.keeper.keep(item.url, item.timestamp, item.status, item.headers, item.body, item.archive,
                             item.replay_url, item.location)
            self.crawler.stats.inc_value("capturestore/kept")
        elif isinstance(item, CaptureItem) and item.outcome == "fetched" and item.body is not None:
            url = item.captured_url or item.original
            item.payload_digest = self.keeper.keep(
                url, item.captured_timestamp or item.timestamp, item.replay_status or 200,
                item.replay_headers or ([("Content-Type", item.content_type)] if item.content_type else []),
                item.body, item.archive, "",
            )
            self.crawler.stats.inc_value("capturestore/kept")
            for repeat in self.waiting.pop(item.digest, []):
                self.keep_repeat(item.digest, *repeat)
        elif isinstance(item, CaptureItem) and item.outcome == "same_digest" and item.digest != EMPTY_DIGEST:
            status = int(item.statuscode) if item.statuscode.isdigit() else 200
            repeat = (item.original, item.timestamp, status, item.archive)
            if not self.keep_repeat(item.digest, *repeat):
                self.waiting.setdefault(item.digest, []).append(repeat)
        return item

    def keep_repeat(self, digest: str, uri: str, timestamp: str, status: int, archive: str) -> bool:
        kept = self.keeper.keep_repeat(uri, timestamp, status, digest, archive)
        if kept:
            self.crawler.stats.inc_value("capturestore/revisits")
        return kept
