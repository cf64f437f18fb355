"""Evaluation harness for the AI tools over the labelled corpora in ``bench/corpus/``.

python bench/ai_eval.py            every suite
python bench/ai_eval.py cv         one suite (cv, statements, letters, refusals — whichever exist)

Each suite is a module in ``bench/eval/`` with ``NAME`` and ``run(args) -> list[str]`` returning the
lines of its report (Markdown tables, so they can be pasted into the README). Labels live beside the
documents they describe and were written before the engine was run on them.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")
os.environ.setdefault("DEBUG", "True")  # an offline tool: development mode (production is the default)


def suites() -> dict:
    import bench.eval as package

    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"bench.eval.{info.name}")
        if hasattr(module, "run") and hasattr(module, "NAME"):
            found[module.NAME] = module
    return found


def main(argv: list[str]) -> int:
    import django

    django.setup()
    available = suites()
    wanted = argv[:1] or sorted(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"unknown suite {unknown[0]!r}; available: {', '.join(sorted(available))}")
        return 2
    for name in wanted:
        print(f"\n## {name}\n")
        for line in available[name].run(argv[1:]):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
