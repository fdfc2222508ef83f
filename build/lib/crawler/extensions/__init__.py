"""Scrapy extensions: the store (the only writer of a crawl), and progress lines."""
