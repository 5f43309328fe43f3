"""Every module of the pipeline imports with the runtime dependencies alone.

Run in the test environment, with what only the `test` extra brings hidden: the distributions the
extra pulls in that the runtime dependencies do not (pytest, hypothesis, reportlab, frictionless and
their own requirements) have their top-level modules made unimportable, then every module of the
five packages is imported. The same verdict as a second venv without the extra, in seconds instead
of a second install (~110 s on 2 cores). Run by tests/test_dependencies.py in its own process.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.metadata as md
import pkgutil
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extractors", "normalise", "expectations", "publish", "flows")


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[=<>!~\[; (]", requirement.strip(), maxsplit=1)[0]).lower()


def closure(requirements: list[str]) -> set[str]:
    """The installed distributions these requirements bring, with their own requirements. Requirements
    of an extra are left out; other markers are not evaluated: what they name is either installed
    (kept) or not (nothing to keep)."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        name = _name(requirement)
        if name in seen or re.search(r"\bextra\s*==", requirement):
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # not installed here (another platform's requirement): nothing to keep
        seen.add(name)
        todo += dist.requires or []
    return seen


def top_level_modules(name: str) -> set[str]:
    dist = md.distribution(name)
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    found = set()
    for file in dist.files or []:
        first = file.parts[0]
        if first.endswith((".dist-info", ".data")) or first in ("..", "__pycache__") or "/bin/" in str(file):
            continue
        found.add(first.removesuffix(".py"))
    return {m for m in found if m.isidentifier()}


class Hidden(importlib.abc.MetaPathFinder):
    def __init__(self, names: set[str]):
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"{fullname} comes only with the test extra", name=fullname)
        return None


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = closure(project["dependencies"])
    test_only = closure(project["optional-dependencies"]["test"]) - runtime
    hidden = set().union(*(top_level_modules(d) for d in test_only)) if test_only else set()
    hidden -= set().union(*(top_level_modules(d) for d in runtime))  # a module both sides ship stays
    for name in list(sys.modules):
        if name.split(".")[0] in hidden:
            del sys.modules[name]
    sys.meta_path.insert(0, Hidden(hidden))
    sys.path.insert(0, str(ROOT))
    names = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        names += [package] + [info.name for info in pkgutil.walk_packages(module.__path__, package + ".")]
    for name in names:
        importlib.import_module(name)
    print(
        f"ci: {len(names)} modules import with the runtime dependencies alone ({len(test_only)} test-only "
        f"distributions hidden: {', '.join(sorted(test_only))})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
