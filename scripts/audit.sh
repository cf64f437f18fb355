#!/usr/bin/env bash
# Known vulnerabilities in what we ship: pip-audit over the hashed lock, npm audit over the Tailwind
# build's lock (docs/supply-chain.md). Needs the advisory services, i.e. a networked runner.
#
# Where they cannot be reached, both tools can end with "no known vulnerabilities": pip-audit skips
# a package it cannot look up (exit 0), and a registry mirror may answer with an empty advisory list.
# So a canary comes first: a release with published advisories (Django 3.2.0) must be reported as
# vulnerable, or this script stops with exit 3 and says the audit did NOT run. The real audit runs
# with --strict (a package that could not be audited is a failure, not a pass).
# AUDIT_SERVICE=osv|pypi (default pypi) chooses pip-audit's advisory source.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PIP_AUDIT="${PIP_AUDIT:-.venv/bin/pip-audit}"
PY="${PY:-.venv/bin/python}"
SERVICE="${AUDIT_SERVICE:-pypi}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

unreachable() {
  echo "audit: NOT RUN — $1" >&2
  echo "audit: the advisory service could not be reached or returned no data; this is not a clean bill of health." >&2
  exit 3
}

echo "== pip-audit canary ($SERVICE): django==3.2.0 must be reported"
echo "django==3.2.0" >"$tmp/canary.txt"
"$PIP_AUDIT" --no-deps --disable-pip --progress-spinner off -s "$SERVICE" -r "$tmp/canary.txt" \
  -f json -o "$tmp/canary.json" >/dev/null 2>"$tmp/canary.err" || true
found=$("$PY" -c 'import json,sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print(0); sys.exit()
print(sum(len(x.get("vulns", [])) for x in d.get("dependencies", [])))' "$tmp/canary.json")
if [ "$found" -eq 0 ]; then
  tail -n 3 "$tmp/canary.err" >&2 || true
  unreachable "pip-audit found no advisory for a release known to have some"
fi
echo "canary: $found advisories, the service answers"

echo "== pip-audit: requirements-dev.txt (runtime + tools, hashed)"
"$PIP_AUDIT" --disable-pip --strict --progress-spinner off -s "$SERVICE" -r requirements-dev.txt

echo "== npm audit canary: lodash 4.17.4 must be reported"
mkdir "$tmp/npm"
cat >"$tmp/npm/package.json" <<'JSON'
{"name": "audit-canary", "version": "1.0.0", "private": true, "dependencies": {"lodash": "4.17.4"}}
JSON
cat >"$tmp/npm/package-lock.json" <<'JSON'
{"name": "audit-canary", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
 "packages": {"": {"name": "audit-canary", "version": "1.0.0", "dependencies": {"lodash": "4.17.4"}},
  "node_modules/lodash": {"version": "4.17.4", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.4.tgz"}}}
JSON
(cd "$tmp/npm" && npm audit --json >canary.json 2>canary.err) || true
found=$("$PY" -c 'import json,sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print(0); sys.exit()
print(d.get("metadata", {}).get("vulnerabilities", {}).get("total", 0))' "$tmp/npm/canary.json")
if [ "$found" -eq 0 ]; then
  grep -m1 -E "error|warn" "$tmp/npm/canary.err" >&2 || true
  unreachable "npm audit found no advisory for a release known to have some"
fi
echo "canary: $found advisories, the service answers"

echo "== npm audit: theme/static_src"
(cd theme/static_src && npm audit --audit-level=low)
echo "audit: done, see above"
