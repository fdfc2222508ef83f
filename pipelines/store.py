from pipelines import StorePipeline


class StoreItems(StorePipeline):
    """Hands every item to the store extension, which writes it in one transaction."""

    def process_item(self, item):
        try:
            self.store.write(item)
        except Exception as error:
            # Not recorded: no listing mark moves in this run (see PolicyStore.spider_closed), so the
            # next run lists and reads this capture again; the run ends "store_failed" (exit 7).
            self.crawler.stats.inc_value("store/errors")
            if not self.crawler.stats.get_value("store/first_error"):
                self.crawler.stats.set_value("store/first_error", f"{type(error).__name__}: {error}"[:300])
            raise
        return item
