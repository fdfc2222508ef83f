"""What to crawl: vendor domains and their policy URLs, validated before any request is made."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import idna

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_DATE = re.compile(r"^\d{4}(\d{2}(\d{2})?)?$")


class TargetError(ValueError):
    """A domain, URL or date given by the user that cannot be used."""


def normalize_domain(text: str) -> str:
    """A vendor's one name: `Kerio.COM` and `www.kerio.com` -> `kerio.com`; `bücher.de` -> `xn--bcher-kva.de`,
    `straße.de` -> `xn--strae-oqa.de` (IDNA 2008 with UTS 46 mapping, as browsers and registries do; Python's
    own "idna" codec is IDNA 2003 and would turn it into strasse.de, another domain). Rejects URLs, paths,
    spaces, empties."""
    domain = (text or "").strip().rstrip(".")
    if not domain:
        raise TargetError("empty domain")
    if "://" in domain or "/" in domain or " " in domain or "@" in domain or ":" in domain:
        raise TargetError(f"not a bare domain: {text!r} (give e.g. kerio.com; put URLs in --policy-url)")
    domain = _ascii_host(domain, text)
    if domain.startswith("www.") and domain.count(".") >= 2:
        domain = domain[4:]
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise TargetError(f"not a valid domain name: {text!r}")
    return domain


def _ascii_host(host: str, text: str) -> str:
    try:
        return idna.encode(host, uts46=True).decode("ascii").lower() if not host.isascii() else host.lower()
    except idna.IDNAError:
        raise TargetError(f"not a valid domain name: {text!r}") from None


def normalize_url(text: str) -> str:
    url = (text or "").strip()
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        raise TargetError(f"not a usable policy URL: {text!r}")
    try:
        parts.port
    except ValueError:
        raise TargetError(f"not a usable policy URL: {text!r} (bad port)") from None
    host = _ascii_host(parts.hostname, text)  # punycode: the archive indexes `xn--` hosts
    normalize_domain(host)  # a valid name
    if host != parts.hostname:
        netloc = parts.netloc.rsplit("@", 1)[-1].replace(parts.hostname, host) if parts.hostname in parts.netloc else host
        url = parts._replace(netloc=netloc).geturl()
    return url


def normalize_date(text: str | None, *, end: bool = False) -> str | None:
    """YYYY, YYYYMM or YYYYMMDD -> a 14-digit timestamp; `end` pads to the last second of that period."""
    if not text:
        return None
    value = text.strip().replace("-", "")
    if not _DATE.match(value):
        raise TargetError(f"not a date: {text!r} (use YYYYMMDD)")
    try:
        datetime.strptime(value + "0101"[len(value) - 4:], "%Y%m%d")
    except ValueError:
        raise TargetError(f"not a date: {text!r} (no such day)") from None
    pad = "1231235959" if end else "0101000000"
    full = value + pad[len(value) - 4 :]
    if end and len(value) == 6:  # a month's last day: CDX accepts day 31 for any month
        full = value + "31235959"
    return full


def date_range(from_text: str | None, to_text: str | None) -> tuple[str | None, str | None]:
    """--from and --to as 14-digit timestamps; --from after --to is refused."""
    from_ts, to_ts = normalize_date(from_text), normalize_date(to_text, end=True)
    if from_ts and to_ts and from_ts > to_ts:
        raise TargetError(f"--from {from_text} is after --to {to_text}")
    return from_ts, to_ts


def host_belongs_to(host: str, domain: str) -> bool:
    host = host.lower().rstrip(".")
    return host == domain or host.endswith("." + domain)


def assign_policy_urls(domains: list[str], urls: list[str]) -> dict[str, list[str]]:
    """Gives each policy URL to the domain it sits on (or to the only domain given)."""
    assigned: dict[str, list[str]] = {d: [] for d in domains}
    for url in urls:
        host = urlsplit(url).hostname or ""
        owners = [d for d in domains if host_belongs_to(host, d)]
        if not owners and len(domains) == 1:
            owners = domains
        if not owners:
            raise TargetError(f"policy URL {url} is on none of the domains given ({', '.join(domains)})")
        assigned[max(owners, key=len)].append(url)
    return assigned


VENDOR_COLUMNS = ("domain", "policy_url")


def _column(name: str) -> str:
    """`Domain`, `Policy URL`, `policy-url`, ` policy_url ` all name the same column."""
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


def read_vendors_csv(path) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Rows of a vendors file: a header row naming `domain` and optionally `policy_url`, then one row per
    (domain, policy URL); several rows per domain allowed, blank lines and `#` comments ignored.
    Returns the good rows and, for each bad one, `FILE:LINE: reason` (the others still count)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise TargetError(f"{path}: not a UTF-8 text file (save the vendors file as UTF-8 CSV)") from None
    if "\x00" in text:
        raise TargetError(f"{path}: a binary file, not a CSV of vendors")
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise TargetError(f"{path}: no header row (expected: domain,policy_url)")
    header = [_column(name) for name in next(csv.reader([lines[0][1]]))]
    unknown = [name for name in header if name not in VENDOR_COLUMNS]
    if "domain" not in header or unknown:
        raise TargetError(f"{path}:{lines[0][0]}: the header row must name the columns domain and policy_url "
                          f"(found: {lines[0][1].strip()!r})")
    rows, problems = [], []
    for number, line in lines[1:]:
        values = next(csv.reader([line]))
        if len(values) > len(header):
            problems.append(f"{path}:{number}: {len(values)} fields, the header has {len(header)}")
            continue
        record = dict(zip(header, (v.strip() for v in values)))
        try:
            domain = normalize_domain(record.get("domain", ""))
            url = normalize_url(record["policy_url"]) if record.get("policy_url") else None
        except TargetError as error:
            problems.append(f"{path}:{number}: {error}")
            continue
        rows.append((domain, url))
    return rows, problems
