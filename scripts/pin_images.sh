#!/usr/bin/env bash
# Refresh the base-image digests in Dockerfile and docker-compose.yml (docs/supply-chain.md).
# Needs a machine that reaches the container registry and one of: docker (buildx), crane, skopeo.
# Every reference written as name:tag@sha256:... is resolved again by its tag and rewritten with
# the digest the registry serves now; review the diff, rebuild, run the tests, commit.
#   scripts/pin_images.sh          rewrite in place
#   scripts/pin_images.sh --check  only report which pins are stale (exit 1 if any)
set -euo pipefail
cd "$(dirname "$0")/.."
check=""
[ "${1:-}" = "--check" ] && check=1
files=(Dockerfile docker-compose.yml)

digest_of() {
  if docker buildx version >/dev/null 2>&1; then
    docker buildx imagetools inspect "$1" --format '{{json .Manifest.Digest}}' | tr -d '"'
  elif command -v crane >/dev/null 2>&1; then
    crane digest "$1"
  elif command -v skopeo >/dev/null 2>&1; then
    skopeo inspect --format '{{.Digest}}' "docker://$1"
  else
    echo "pin_images: needs docker buildx, crane or skopeo" >&2
    exit 2
  fi
}

stale=0
refs=$(grep -hoE '[a-z0-9./_-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}' "${files[@]}" | sort -u)
for ref in $refs; do
  tag="${ref%@*}"
  old="${ref#*@}"
  new="$(digest_of "$tag")"
  case "$new" in sha256:*) ;; *) echo "pin_images: no digest for $tag" >&2; exit 2 ;; esac
  if [ "$old" = "$new" ]; then
    echo "current  $tag"
    continue
  fi
  stale=1
  echo "stale    $tag  $old -> $new"
  [ -n "$check" ] || sed -i "s|$tag@$old|$tag@$new|g" "${files[@]}"
done
[ -z "$check" ] || exit "$stale"
