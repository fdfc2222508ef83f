"""An "improved" extractor for the reextract tests: the real one, then every text's wording touched the
same way (as an extraction fix would), so every stored text hash changes but no policy does."""

from dataclasses import replace

from crawler.extract import extract as real_extract

MARK = "(re-extracted)"


def extract(body, url=None, content_type=None):
    document = real_extract(body, url=url, content_type=content_type)
    return replace(document, markdown=f"{document.markdown}\n\n{MARK}")


def merging_extract(body, url=None, content_type=None):
    """An extractor that reads every policy page as the same text: every version merges into the first."""
    document = real_extract(body, url=url, content_type=content_type)
    return replace(document, markdown="The same text.")


def refusing_extract(body, url=None, content_type=None):
    """An extractor that no longer takes a "Privacy Notice" for a policy."""
    document = real_extract(body, url=url, content_type=content_type)
    if "Notice" in document.title:
        return replace(document, is_policy=False, reason="test: a notice is not a policy")
    return document
