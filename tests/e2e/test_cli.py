"""The command line: help with examples, the demo, the `scrapy crawl` entry point, exit statuses."""

import sqlite3
import subprocess
import sys

import pytest

from crawler.localarchive import ArchiveIndex, LocalArchive
from tests.conftest import ROOT
from tests.samples import build_demo_warc

DEMO_WARC = ROOT / "crawler" / "demo_data" / "demo.warc.gz"


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("command", [[], ["backfill"], ["crawl"], ["changes"], ["diff"], ["status"], ["feed"], ["export"],
                                     ["extract"], ["demo"], ["archive", "serve"]])
def test_every_command_has_help_with_a_description_and_an_example(command):
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    usage, _, rest = result.stdout.partition("\n\n")
    assert rest.strip() and not rest.lstrip().startswith(("positional", "options"))  # a description first
    assert "example" in result.stdout and "python -m crawler " in result.stdout


def test_an_unknown_command_is_one_line_and_exit_2():
    result = run("frobnicate")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_export_without_a_database_says_so(tmp_path):
    result = run("export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "no database" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_demo_runs_the_whole_path_offline(tmp_path):
    result = run("demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(tmp_path / "policies").as_posix() for p in (tmp_path / "policies").rglob("*.md"))
    assert len(files) == 7 and "kerio.com/20180525120000.md" in files
    assert "faasoft.com: " in result.stdout and "1 refused" in result.stdout
    assert "exported 7 dated documents" in result.stdout


def test_the_shipped_demo_warc_is_what_the_samples_build(tmp_path):
    """crawler/demo_data/demo.warc.gz is rebuilt with `python -m tests.samples` after a sample changes."""
    def cdx(path):
        return [row[:6] for row in ArchiveIndex.from_warcs([path]).rows]  # urlkey ... digest: no offsets

    assert cdx(build_demo_warc(tmp_path / "demo.warc.gz")) == cdx(DEMO_WARC)


def test_the_spider_runs_with_scrapy_crawl_from_the_repo_root(tmp_path):
    db = tmp_path / "p.db"
    with LocalArchive([DEMO_WARC], limits=False) as archive:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "policy_history", "-a", "domains=kerio.com",
             "-a", "policy_urls=http://www.kerio.com/privacy-policy", "-a", f"archive={archive.base_url}",
             "-s", f"POLICY_DB={db}", "-s", "LOG_LEVEL=WARNING"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 0, result.stderr
    assert sqlite3.connect(db).execute("select count(*) from versions").fetchone()[0] == 4
