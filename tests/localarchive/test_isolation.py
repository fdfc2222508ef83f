"""The local archive is the tests' oracle: it must not share code with the crawler it checks.

Every module of crawler/localarchive imports only the standard library, third-party packages and
crawler.localarchive itself: nothing else of `crawler`, no relative import that climbs out of it.
"""

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "crawler" / "localarchive"
OWN_TOP_LEVEL = {"crawler", "spiders", "pipelines", "tests", "bench"}  # this repository's packages


def imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # A relative import may stay inside the package (level 1), never climb out of it.
            modules.append("crawler.localarchive" if node.level == 1 else "." * node.level + (node.module or ""))
    return modules


def test_the_local_archive_imports_nothing_of_the_crawler():
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 9
    outside = {
        f"{path.name}: {module}"
        for path in files
        for module in imported_modules(path)
        if (module.split(".")[0] in OWN_TOP_LEVEL or module.startswith("."))
        and not (module == "crawler.localarchive" or module.startswith("crawler.localarchive."))
    }
    assert not outside


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from crawler.archive import surt\nfrom .. import store\nimport crawler.localarchive.keys\n")
    assert imported_modules(sample) == ["crawler.archive", "..", "crawler.localarchive.keys"]
