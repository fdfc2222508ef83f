"""The version of the text extraction (crawler/extract/ and its policy decision), stored with every
version. Bump it when a change to the extractor changes what it makes of a page: `python -m crawler
reextract` then rebuilds the texts from the capture store and records the upgrades."""

EXTRACTOR_VERSION = "2026.12.1"
