"""scripts/restore_check.py (make restore-check, docs/backups.md): its comparisons find every kind of
difference, the media archive round-trips byte for byte, and on PostgreSQL the whole drill passes on a
real database and fails when the restored copy differs."""

import importlib.util
import shutil
from pathlib import Path

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("restore_check", ROOT / "scripts" / "restore_check.py")
restore_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(restore_check)


def test_row_counts_that_agree_give_no_difference():
    counts = {"public.accounts_user": 3, "public.payments_payment": 0}
    assert restore_check.compare_row_counts(counts, dict(counts)) == []


def test_row_count_differences_are_each_reported():
    source = {"public.a": 3, "public.b": 5, "public.gone": 1}
    restored = {"public.a": 3, "public.b": 4, "public.new": 0}
    assert restore_check.compare_row_counts(source, restored) == [
        "table public.gone: missing from the restore (1 rows)",
        "table public.new: in the restore only (0 rows)",
        "table public.b: 5 rows in the source, 4 restored",
    ]


def test_checksum_differences_are_each_reported():
    source = {"cv/a.pdf": "1" * 64, "cv/b.pdf": "2" * 64, "cv/c.pdf": "3" * 64}
    restored = {"cv/a.pdf": "1" * 64, "cv/b.pdf": "f" * 64, "cv/extra.pdf": "4" * 64}
    problems = restore_check.compare_checksums(source, restored)
    assert problems == [
        "file cv/c.pdf: missing from the restore",
        "file cv/extra.pdf: in the restore only",
        "file cv/b.pdf: checksum differs (222222222222… vs ffffffffffff…)",
    ]
    assert restore_check.compare_checksums(source, dict(source)) == []


def _tree(root: Path) -> None:
    (root / "cv").mkdir(parents=True)
    (root / "cv" / "one.pdf").write_bytes(b"%PDF-1.7 one")
    (root / "letters" / "2026").mkdir(parents=True)
    (root / "letters" / "2026" / "two.docx").write_bytes(bytes(range(256)) * 10)


def test_media_archive_round_trips_byte_for_byte_and_a_changed_byte_is_caught(tmp_path):
    source, archive, copy = tmp_path / "media", tmp_path / "media.tar.gz", tmp_path / "copy"
    _tree(source)
    restore_check.media_archive(source, archive)
    restore_check.media_restore(archive, copy)
    sums = restore_check.file_checksums(source)
    assert set(sums) == {"cv/one.pdf", "letters/2026/two.docx"}
    assert restore_check.file_checksums(copy) == sums

    (copy / "cv" / "one.pdf").write_bytes(b"%PDF-1.7 onE")
    assert restore_check.compare_checksums(sums, restore_check.file_checksums(copy)) == [
        f"file cv/one.pdf: checksum differs ({sums['cv/one.pdf'][:12]}… vs "
        f"{restore_check.file_checksums(copy)['cv/one.pdf'][:12]}…)"
    ]


def test_the_drill_needs_a_postgresql_url(capsys):
    assert restore_check.main(["--database-url", "sqlite:///db.sqlite3"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def _pg_url() -> str:
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("the restore drill needs PostgreSQL and pg_dump (CI runs it on PostgreSQL)")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_a_real_database_and_media_and_finds_them_equal(tmp_path, capsys):
    url = _pg_url()
    UserFactory.create_batch(3)
    _tree(tmp_path / "media")
    code = restore_check.main(["--database-url", url, "--media", str(tmp_path / "media"), "--min-files", "2"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "2 files" in out.out and "OK, every table's row count" in out.out


@pytest.mark.django_db(transaction=True)
def test_the_drill_fails_when_the_restored_copy_differs(tmp_path, capsys, monkeypatch):
    url = _pg_url()
    UserFactory.create_batch(2)
    _tree(tmp_path / "media")
    real_restore, real_counts = restore_check.media_restore, restore_check.database_restore

    def lossy_media(archive, target):
        real_restore(archive, target)
        (target / "cv" / "one.pdf").unlink()

    def lossy_counts(url_, scratch, dump):
        counts = real_counts(url_, scratch, dump)
        counts["public.accounts_user"] -= 1
        return counts

    monkeypatch.setattr(restore_check, "media_restore", lossy_media)
    monkeypatch.setattr(restore_check, "database_restore", lossy_counts)
    assert restore_check.main(["--database-url", url, "--media", str(tmp_path / "media")]) == 1
    err = capsys.readouterr().err
    assert "DIFFERENCE file cv/one.pdf: missing from the restore" in err
    assert "DIFFERENCE table public.accounts_user:" in err
