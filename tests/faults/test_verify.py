"""crawler/verify.py, without a crawl: which digests apply and how a mismatch is settled."""

import gzip
import hashlib

from crawler.encoding import really_encoded
from crawler.verify import UNVERIFIABLE, UNVERIFIED, check_payload, check_replay, normalise_digest, settle_unverified, sha1_base32
from crawler.wayback import EMPTY_DIGEST

BODY = b"<html><body>policy</body></html>"


def test_the_body_matches_in_any_form_the_archive_may_have_hashed():
    digest = sha1_base32(BODY)
    assert check_payload(digest, BODY) is None
    assert check_payload(digest, gzip.compress(BODY)) is None  # stored plain, served gzipped
    stored_gzip = gzip.compress(BODY)
    assert check_payload(sha1_base32(stored_gzip), BODY, raw_digest=sha1_base32(stored_gzip)) is None
    assert check_payload(EMPTY_DIGEST, b"") is None
    assert "mismatch" in check_payload(digest, BODY[:10])


def test_digest_forms_and_digests_that_name_no_sha1():
    digest = sha1_base32(BODY)
    assert normalise_digest("sha1:" + digest.lower()) == digest
    assert normalise_digest(hashlib.sha1(BODY).hexdigest()) == digest
    assert normalise_digest("-") is None and normalise_digest("") is None
    assert check_payload("-", b"anything") is None


def test_bodies_of_other_captures_are_not_checked_against_the_listed_digest():
    digest = sha1_base32(BODY)
    assert check_replay(digest, b"other", None, hops=("http://a",)) is None
    assert check_replay(digest, b"other", None, (), (), "20200101000000", "20190101000000") is None
    assert check_replay(digest, b"other", None, (), (), "20190101000000", "20190101000000")
    assert "cut short" in check_replay(digest, BODY, None, ("x",), ["dataloss"])


def test_a_mismatch_is_retried_then_settled_as_unverifiable():
    assert [settle_unverified(n, 3) for n in range(4)] == [UNVERIFIED, UNVERIFIED, UNVERIFIABLE, UNVERIFIABLE]


def test_a_content_encoding_the_body_does_not_have_is_recognised():
    assert really_encoded(gzip.compress(BODY), "gzip") and not really_encoded(BODY, "gzip")
    assert not really_encoded(BODY, "deflate")
