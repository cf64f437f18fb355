#!/usr/bin/env python
"""Restore drill (docs/backups.md): back up the database and the private media, restore both into
scratch places, and prove the copy is whole.

1. Opens a read-only REPEATABLE READ transaction on the source database, exports its snapshot and
   runs `pg_dump --format=custom --snapshot=…`, so the dump and the row counts taken in that
   transaction see exactly the same data even while the site keeps writing.
2. Archives the private media folder (tar.gz) and records the SHA-256 of every file in it.
3. Creates a scratch database (<source>_restore_check), `pg_restore`s the dump into it, unpacks the
   archive into a scratch folder.
4. Compares the exact row count of every table and the checksum of every file; prints a summary and
   exits 1 on any difference (2 on a usage or tool error). The scratch database and folder are
   removed at the end; `--keep DIR` keeps the dump and the archive there.

    .venv/bin/python scripts/restore_check.py [--database-url URL] [--media DIR] [--min-files N]
                                              [--seed-documents] [--keep DIR]

DATABASE_URL and PRIVATE_MEDIA_ROOT (default: ./private_media) are read like the settings read them.
--seed-documents first uploads two CVs from bench/corpus/cv for the demo clients through the app's
own document service (idempotent), so a freshly seeded CI database has private files to check
(run `manage.py migrate` and `manage.py seed_demo` before; CI does, see .ci/run).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


# --- comparison (pure; tested in talentvisa/tests/test_restore_check.py) --------------------------


def _differences(source: dict, restored: dict, *, missing, extra, differs) -> list[str]:
    problems = [missing(key, source[key]) for key in sorted(source.keys() - restored)]
    problems += [extra(key, restored[key]) for key in sorted(restored.keys() - source)]
    problems += [
        differs(key, source[key], restored[key])
        for key in sorted(source.keys() & restored.keys())
        if source[key] != restored[key]
    ]
    return problems


def compare_row_counts(source: dict[str, int], restored: dict[str, int]) -> list[str]:
    """Every difference between two {table: rows} maps, one line each; empty when they agree."""
    return _differences(
        source,
        restored,
        missing=lambda table, rows: f"table {table}: missing from the restore ({rows} rows)",
        extra=lambda table, rows: f"table {table}: in the restore only ({rows} rows)",
        differs=lambda table, rows, got: f"table {table}: {rows} rows in the source, {got} restored",
    )


def compare_checksums(source: dict[str, str], restored: dict[str, str]) -> list[str]:
    """Every difference between two {relative path: sha256} maps, one line each."""
    return _differences(
        source,
        restored,
        missing=lambda path, _: f"file {path}: missing from the restore",
        extra=lambda path, _: f"file {path}: in the restore only",
        differs=lambda path, want, got: f"file {path}: checksum differs ({want[:12]}… vs {got[:12]}…)",
    )


def file_checksums(root: Path) -> dict[str, str]:
    """{path relative to root (posix): sha256 hex} for every regular file under root."""
    sums: dict[str, str] = {}
    if not root.exists():
        return sums
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256()
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            sums[path.relative_to(root).as_posix()] = digest.hexdigest()
    return sums


# --- private media ----------------------------------------------------------------------------------


def media_archive(source: Path, archive: Path) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        if source.exists():
            tar.add(source, arcname=".")


def media_restore(archive: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(target, filter="data")


# --- database ---------------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def row_counts(cursor) -> dict[str, int]:
    """Exact row count of every table outside the system schemas, as schema.table."""
    from psycopg import sql

    cursor.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_type = 'BASE TABLE' AND table_schema <> ALL(%s) ORDER BY 1, 2",
        (list(SYSTEM_SCHEMAS),),
    )
    counts = {}
    for schema, table in cursor.fetchall():
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def database_dump(url: str, dump: Path) -> dict[str, int]:
    """pg_dump the database and count its rows in the same snapshot; returns the counts."""
    import psycopg

    with psycopg.connect(url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}", f"--dbname={url}"])
            counts = row_counts(cur)
        conn.rollback()
    return counts


def database_restore(url: str, scratch: str, dump: Path) -> dict[str, int]:
    """Recreate the scratch database, pg_restore the dump into it, return its row counts."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    scratch_url = _with_database(url, scratch)
    _run(["pg_restore", "--exit-on-error", "--no-owner", "--no-privileges", f"--dbname={scratch_url}", str(dump)])
    with psycopg.connect(scratch_url) as conn, conn.cursor() as cur:
        return row_counts(cur)


def database_drop(url: str, scratch: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch)))


# --- optional data for a freshly seeded database ---------------------------------------------------

SEED_DOCUMENTS = {
    "priya@demo.talentvisa.local": "bench/corpus/cv/priya-raman.pdf",
    "tomasz@demo.talentvisa.local": "bench/corpus/cv/tomasz-nowak.pdf",
}


def seed_documents() -> int:
    """Upload a CV for each demo client without one whose file is on disk, through ai_tools' own service.

    A CI database outlives the clone's media folder: a row whose file is gone does not count."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentvisa.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from ai_tools.models import Document
    from ai_tools.private_storage import private_storage
    from ai_tools.services import document_create

    created = 0
    for email, path in SEED_DOCUMENTS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            raise RuntimeError(f"{email} does not exist: run `manage.py seed_demo` first")
        names = Document.objects.filter(owner=user).values_list("storage_name", flat=True)
        if any(private_storage().exists(name) for name in names):
            continue
        data = (ROOT / path).read_bytes()
        document_create(owner=user, upload=SimpleUploadedFile(Path(path).name, data, "application/pdf"))
        created += 1
    return created


# --- the drill -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--media", type=Path, default=Path(os.environ.get("PRIVATE_MEDIA_ROOT", ROOT / "private_media"))
    )
    parser.add_argument("--min-files", type=int, default=0, help="fail unless the media folder holds this many files")
    parser.add_argument("--seed-documents", action="store_true", help="upload demo CVs first (CI)")
    parser.add_argument("--keep", type=Path, help="keep the dump and the media archive in this folder")
    args = parser.parse_args(argv)

    if not args.database_url.startswith(("postgres://", "postgresql://")):
        print("restore-check: needs a PostgreSQL DATABASE_URL (or --database-url)", file=sys.stderr)
        return 2
    if args.seed_documents:
        print(f"restore-check: seeded {seed_documents()} document(s)")

    source_db = _database_name(args.database_url)
    scratch_db = f"{source_db}_restore_check"[:63]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="restore-check-") as tmp:
        work = Path(tmp)
        dump, archive, media_copy = work / "db.dump", work / "private_media.tar.gz", work / "private_media"
        try:
            source_counts = database_dump(args.database_url, dump)
            source_sums = file_checksums(args.media)
            media_archive(args.media, archive)
            restored_counts = database_restore(args.database_url, scratch_db, dump)
            media_restore(archive, media_copy)
            restored_sums = file_checksums(media_copy)
        except (RuntimeError, OSError) as exc:
            print(f"restore-check: {exc}", file=sys.stderr)
            return 2
        finally:
            try:
                database_drop(args.database_url, scratch_db)
            except Exception as exc:  # report, but do not hide the drill's own outcome
                print(f"restore-check: could not drop {scratch_db}: {exc}", file=sys.stderr)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(dump, args.keep / dump.name)
            shutil.copy2(archive, args.keep / archive.name)
        dump_bytes, archive_bytes = dump.stat().st_size, archive.stat().st_size

    problems = compare_row_counts(source_counts, restored_counts) + compare_checksums(source_sums, restored_sums)
    rows = sum(source_counts.values())
    if rows == 0:
        problems.append("the source database holds no rows: a restore of nothing proves nothing")
    if len(source_sums) < args.min_files:
        problems.append(f"the media folder {args.media} holds {len(source_sums)} file(s), fewer than {args.min_files}")
    print(
        f"restore-check: {source_db} -> {scratch_db}: {len(source_counts)} tables, {rows} rows "
        f"(dump {dump_bytes} bytes); {args.media}: {len(source_sums)} files (archive {archive_bytes} bytes); "
        f"{time.monotonic() - started:.1f}s"
    )
    for line in problems:
        print(f"restore-check: DIFFERENCE {line}", file=sys.stderr)
    if problems:
        return 1
    print("restore-check: OK, every table's row count and every file's SHA-256 match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
