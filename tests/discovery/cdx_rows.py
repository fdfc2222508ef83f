"""CDX rows and home-page visits written by hand, as the discovery query and the spider give them."""

from crawler.wayback import EMPTY_DIGEST, CdxRow, surt
from crawler.discovery.home_pages import HomePageVisit
from crawler.discovery.links import PolicyLink


def row(url: str, ts: str, status: str = "200", mimetype: str = "text/html", digest: str | None = None) -> CdxRow:
    if digest is None:
        digest = EMPTY_DIGEST if status.startswith("3") else "D" + ts
    return CdxRow(surt(url), ts, url, mimetype, status, digest, 1000)


def revisit(url: str, ts: str, digest: str) -> CdxRow:
    return CdxRow(surt(url), ts, url, "warc/revisit", "-", digest, 500)


def monthly(url: str, first: str, last: str, status: str = "200") -> list[CdxRow]:
    """One row per month from `first` to `last` (YYYYMM), like the discovery query's collapse gives."""
    rows, year, month = [], int(first[:4]), int(first[4:])
    while f"{year:04d}{month:02d}" <= last:
        rows.append(row(url, f"{year:04d}{month:02d}10120000", status))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def visit(ts: str, *links: tuple[str, str, int]) -> HomePageVisit:
    return HomePageVisit(ts, "http://www.x.com/", tuple(PolicyLink(u, t, s) for u, t, s in links))


def moving_rows() -> list[CdxRow]:
    """/privacy.html 2005-2010, /privacy-policy 2010-2015, /legal/privacy 2015-2020; the old URLs then redirect."""
    rows = monthly("http://www.x.com/privacy.html", "200503", "201006")
    rows += monthly("http://www.x.com/privacy.html", "201008", "201112", status="301")
    rows += monthly("http://www.x.com/privacy-policy", "201007", "201506")
    rows += monthly("https://www.x.com/privacy-policy", "201508", "201612", status="301")
    rows += monthly("https://www.x.com/legal/privacy", "201507", "202006")
    rows += [row("http://www.x.com/", "20050115000000"), row("http://www.x.com/products", "20060101000000")]
    return rows
