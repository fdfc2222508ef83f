"""`python -m crawler extract FILE`: exit statuses, output, --help, run as a module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crawler.extract import extract, main

from tests.extract.pages import page, policy_body


ROOT = Path(__file__).resolve().parents[2]


def test_main_prints_document_and_exits_0(tmp_path, capsys):
    f = tmp_path / "p.html"
    f.write_bytes(page(policy_body()).encode())
    assert main([str(f), "--url", "http://www.example.com/privacy"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Privacy Policy - Example Soft\n\n") and out.endswith("\n")
    assert out == extract(f.read_bytes(), url="http://www.example.com/privacy").text()
    assert err == ""


def test_main_refused_page_exits_3_with_reason_on_stderr(tmp_path, capsys):
    f = tmp_path / "404.html"
    f.write_bytes(page("<h1>Page not found</h1><p>Sorry.</p>", title="404").encode())
    assert main([str(f)]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "soft 404" in err


def test_main_unreadable_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "missing.html")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "missing.html" in err


def test_main_help_has_example(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "example:" in capsys.readouterr().out


def test_module_runs_as_script(tmp_path):
    f = tmp_path / "p.html"
    f.write_bytes(page(policy_body()).encode())
    run = subprocess.run([sys.executable, "-m", "crawler.extract", str(f)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert run.stdout.startswith("# Privacy Policy - Example Soft\n\n")
