"""The layer check CI runs (scripts/check_layers.py) passes on the tree, and fails on a forbidden import."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location("check_layers", ROOT / "scripts" / "check_layers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_app_imports_a_higher_one_and_there_is_no_cycle(capsys):
    assert _checker().main([]) == 0, capsys.readouterr().out


def test_the_kernel_imports_no_app():
    checker = _checker()
    assert not [(a, b) for a, b in checker.graph() if a == "core"]


def test_a_forbidden_import_and_a_cycle_are_reported(monkeypatch, capsys):
    checker = _checker()
    real = checker.graph()
    fake = dict(real)
    fake[("core", "bookings")] = ["core/x.py:1"]
    fake[("payments", "bookings")] = ["payments/x.py:1"]
    monkeypatch.setattr(checker, "graph", lambda: fake)

    assert checker.main([]) == 1
    out = capsys.readouterr().out
    assert "core may not import bookings" in out and "payments may not import bookings" in out
    assert "import cycle" in out
