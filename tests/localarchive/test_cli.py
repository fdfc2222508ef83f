"""crawler/localarchive/cli.py: `python -m crawler archive serve`, its help, its errors, Ctrl-C."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.localarchive import main, write_warc
from tests.conftest import ROOT
from tests.localarchive.helpers import FIXTURE_CAPTURES, PAGE_A, get

pytestmark = pytest.mark.timeout(60)


def test_main_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and "archive serve" in out and "--no-limits" in out


def test_main_rejects_missing_and_corrupt_warcs(tmp_path, capsys):
    assert main([str(tmp_path / "missing.warc.gz"), "--port", "0"]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "missing.warc.gz" in err and len(err.splitlines()) == 1
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(b"this is not a WARC file at all\n" * 10)
    assert main([str(corrupt), "--port", "0"]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "corrupt.warc.gz" in err and len(err.splitlines()) == 1
    truncated = tmp_path / "truncated.warc.gz"
    whole = Path(write_warc(tmp_path / "whole.warc.gz", FIXTURE_CAPTURES[:3])).read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    assert main([str(truncated), "--port", "0"]) != 0  # cut inside a gzip member: warcio alone would not notice
    assert capsys.readouterr().err.startswith("error:")


def test_main_serves_until_ctrl_c(warc_path):
    command = [sys.executable, "-c", "import sys; from crawler.localarchive import main; sys.exit(main(sys.argv[1:]))",
               warc_path, "--port", "0", "--no-limits"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = process.stdout.readline()
        assert "http://127.0.0.1:" in first_line, process.stderr.read() if process.poll() is not None else first_line
        base_url = next(word for word in first_line.split() if word.startswith("http://"))
        assert get(base_url, "/web/20120512123106id_/https://vendor.example/privacy")[2] == PAGE_A
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
