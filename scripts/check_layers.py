#!/usr/bin/env python3
"""Fail on an import between our apps that docs/architecture.md does not allow.

Reads every production module (tests and migrations left out) with `ast`, function-local imports
included, and compares each app -> app import with ALLOWED below (the table in
docs/architecture.md). Also fails on any cycle between apps. Run: python scripts/check_layers.py
(`--graph` prints the app import graph with counts).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Who may import whom (lower layers only). Every app may import core; core imports no app.
BASE = {"core", "accounts", "payments"}
FEATURES = BASE | {"referrals", "ai_tools", "expert_marketplace"}
EVERY_APP = FEATURES | {"bookings", "consultations", "applications"}
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "payments": {"core", "accounts"},
    "referrals": BASE,
    "ai_tools": BASE,
    "expert_marketplace": BASE,
    "bookings": BASE | {"ai_tools", "expert_marketplace"},
    "consultations": BASE | {"ai_tools", "expert_marketplace", "bookings"},
    "applications": FEATURES | {"bookings"},
    # The top floor: the back office and the project (settings, URLconf) may import every app.
    "site_admin": EVERY_APP,
    # Data rights, retention and notices: beside site_admin on the top floor (reads and erases every app).
    "privacy": EVERY_APP | {"site_admin"},
    "talentvisa": EVERY_APP | {"site_admin", "privacy", "theme", "bench"},
}
APPS = set(ALLOWED)
SKIP_PARTS = {"tests", "migrations", "node_modules", "static_src"}


def modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIP_PARTS.intersection(rel.parts) or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield rel


def imported_apps(path: Path, app: str) -> list[tuple[str, int]]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS and top != app:
                found.append((top, node.lineno))
    return found


def graph():
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in sorted(APPS):
        if not (ROOT / app).is_dir():
            continue
        for path in modules(app):
            for target, line in imported_apps(path, app):
                edges[(app, target)].append(f"{path}:{line}")
    return edges


def cycles(edges) -> list[list[str]]:
    succ = defaultdict(set)
    for a, b in edges:
        succ[a].add(b)
    found, seen = [], set()

    def walk(node, stack):
        for nxt in sorted(succ[node]):
            if nxt in stack:
                cycle = stack[stack.index(nxt) :] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            elif len(stack) < len(APPS):
                walk(nxt, stack + [nxt])

    for start in sorted(succ):
        walk(start, [start])
    return found


def main(argv: list[str]) -> int:
    edges = graph()
    if "--graph" in argv:
        for (a, b), where in sorted(edges.items()):
            print(f"{a} -> {b}: {len(where)}")
    problems = []
    for (a, b), where in sorted(edges.items()):
        if b not in ALLOWED[a]:
            problems.append(f"{a} may not import {b} (docs/architecture.md): " + ", ".join(where[:5]))
    for cycle in cycles(edges):
        problems.append("import cycle: " + " -> ".join(cycle))
    for line in problems:
        print(line)
    counts = Counter(a for a, _ in edges)
    print(
        f"{'FAILED' if problems else 'ok'}: {sum(len(w) for w in edges.values())} imports between {len(counts)} apps checked"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
