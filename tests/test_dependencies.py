"""Declared dependencies are exactly what the code imports: nothing missing, nothing unused.

The pipeline's packages (extractors, normalise, expectations, publish, flows) import only runtime
dependencies; tests and bench scripts may also import the `test` extra. Imports are read from the
source (AST), mapped to their distributions by the installed metadata, and compared with
pyproject.toml. And every module imports with the runtime dependencies alone: tests/runtime_imports.py
hides what only the test extra installs and imports them all, in a subprocess.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT

PIPELINE = ("extractors", "normalise", "expectations", "publish", "flows")
FIRST_PARTY = {*PIPELINE, "tests", "bench"}
# Tools a test extra holds for what they are, not for an import: the linter, and frictionless, whose CLI
# the datapackage tests run; pytest-xdist, a plugin pytest loads (addopts -n auto).
TOOLS = {"ruff", "frictionless", "pytest-xdist"}


def _name(requirement: str) -> str:
    return re.split(r"[=<>!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    return runtime, test


def _imported(folders) -> dict[str, set[str]]:
    """distribution -> files importing it, for every third-party import under the folders."""
    distributions = packages_distributions()
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in sys.stdlib_module_names or top in FIRST_PARTY:
                        continue
                    for dist in distributions.get(top, [top]):
                        found.setdefault(dist.lower().replace("_", "-"), set()).add(str(path.relative_to(ROOT)))
    return found


def test_runtime_dependencies_are_what_the_pipeline_imports():
    runtime, _ = _declared()
    imported = _imported(PIPELINE)
    assert set(imported) - runtime == set(), {d: sorted(imported[d]) for d in set(imported) - runtime}
    assert runtime - set(imported) == set()


def test_test_extra_covers_what_tests_and_bench_import_beyond_runtime():
    runtime, test = _declared()
    imported = _imported(("tests", "bench"))
    assert set(imported) - runtime - test == set()
    assert test - TOOLS - set(imported) == set()


def test_every_module_imports_without_the_test_extra():
    import subprocess

    proc = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "runtime_imports.py")], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    hidden = proc.stdout.split("hidden: ", 1)[1]
    assert "pytest" in hidden and "reportlab" in hidden  # the extra really was hidden
