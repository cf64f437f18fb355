#!/usr/bin/env bash
# Regenerate the hashed locks from the hand-edited inputs (docs/supply-chain.md):
#   requirements.in     -> requirements.txt      (runtime)
#   requirements-dev.in -> requirements-dev.txt  (runtime + test tools, constrained by requirements.txt)
# One universal resolution for Python >= 3.11 (so the same lock installs on 3.11 and 3.13), every
# distribution's sha256 so installs run with --require-hashes. The existing lock is the preference:
# versions already locked stay put unless an input asks otherwise (upgrade on purpose with
# UPGRADE=1, or UPGRADE_PACKAGE=name). `scripts/lock.sh DIR` works on the copies in DIR
# (make lock-check regenerates into a temporary folder and diffs).
# The index is uv's default, or PIP_INDEX_URL / UV_DEFAULT_INDEX when the machine sets a mirror.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-$ROOT}"
UV="${UV:-$ROOT/.venv/bin/uv}"
command -v "$UV" >/dev/null 2>&1 || UV=uv
args=(pip compile --quiet --generate-hashes --universal --python-version 3.11
      --custom-compile-command "make lock" --no-strip-extras)
[ -n "${PIP_INDEX_URL:-}" ] && [ -z "${UV_DEFAULT_INDEX:-}" ] && args+=(--default-index "$PIP_INDEX_URL")
[ -n "${UPGRADE:-}" ] && args+=(--upgrade)
[ -n "${UPGRADE_PACKAGE:-}" ] && args+=(--upgrade-package "$UPGRADE_PACKAGE")
cd "$DIR"
"$UV" "${args[@]}" requirements.in -o requirements.txt
"$UV" "${args[@]}" requirements-dev.in -o requirements-dev.txt
