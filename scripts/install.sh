#!/usr/bin/env bash
# Installs the driftgate binary for the action, from GitHub Releases, verified
# against the release's checksums.txt:
#   - a full version (v1.2.3) is downloaded as it is;
#   - a major or minor tag (v1, v1.2) resolves to the newest release of that
#     line (drafts and pre-releases aside), as `uses: driftgate/driftgate@v1`
#     users expect;
#   - a branch or a commit SHA is built from the action's own source.
# The ref comes from the version input, else github.action_ref, else the last
# element of the action's path (github.action_ref can be empty in composite
# actions; the runner checks the action out under .../driftgate/<ref>).
set -euo pipefail

repo="driftgate/driftgate"
server="${GITHUB_SERVER_URL:-https://github.com}"
api="${GITHUB_API_URL:-https://api.github.com}"
ref="${DRIFTGATE_VERSION:-}"
[ -n "$ref" ] || ref="${DRIFTGATE_ACTION_REF:-}"
[ -n "$ref" ] || ref="$(basename "${DRIFTGATE_ACTION_PATH:-}")"
dest="${RUNNER_TEMP:-/tmp}/driftgate-bin"
mkdir -p "$dest"
auth=()
if [ -n "${GH_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer $GH_TOKEN"); fi

from_source() {
  echo "driftgate: $1; building from the action's source"
  if ! command -v go >/dev/null 2>&1; then
    echo "driftgate: no Go toolchain on this runner to build with: pin a released version (uses: $repo@vX.Y.Z)" >&2
    exit 1
  fi
  (cd "$DRIFTGATE_ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -o "$dest/driftgate" ./cmd/driftgate)
  echo "bin=$dest/driftgate" >> "$GITHUB_OUTPUT"
  exit 0
}

# newest prints the newest release vX.Y.Z whose version starts with $1 (v1 or v1.2).
newest() {
  local prefix="$1" page=1 tags=""
  while :; do
    # ${auth[@]+...} keeps bash 3.2 (macOS) happy with an empty array under set -u.
    local body
    body=$(curl -fsSL ${auth[@]+"${auth[@]}"} -H "Accept: application/vnd.github+json" \
      "$api/repos/$repo/releases?per_page=100&page=$page") || return 1
    local found
    found=$(printf '%s' "$body" | grep -oE '"tag_name": *"v[0-9]+\.[0-9]+\.[0-9]+"' | sed -E 's/.*"(v[^"]+)"/\1/' || true)
    [ -n "$found" ] || break
    tags="$tags"$'\n'"$found"
    page=$((page + 1))
    [ "$page" -le 10 ] || break
  done
  printf '%s\n' "$tags" | grep -E "^${prefix//./\\.}\\." | sort -V | tail -n 1 || true
}

case "$ref" in
  v[0-9]*.[0-9]*.[0-9]*)
    [[ "$ref" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || from_source "ref '$ref' is not a release version"
    version="$ref" ;;
  v[0-9]* )
    [[ "$ref" =~ ^v[0-9]+(\.[0-9]+)?$ ]] || from_source "ref '$ref' is not a release"
    if ! version=$(newest "$ref"); then
      echo "driftgate: could not list the releases of $repo at $api to resolve '$ref'" >&2
      exit 1
    fi
    if [ -z "$version" ]; then
      from_source "no release of $repo matches '$ref' yet (none has been published)"
    fi
    echo "driftgate: $ref resolves to $version" ;;
  *)
    from_source "ref '${ref:-(none)}' is not a release" ;;
esac

case "${RUNNER_OS:-Linux}" in
  Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;;
  *) echo "driftgate: unsupported runner OS ${RUNNER_OS}" >&2; exit 1 ;;
esac
case "${RUNNER_ARCH:-X64}" in
  X64) arch=amd64 ;; ARM64) arch=arm64 ;;
  *) echo "driftgate: unsupported runner architecture ${RUNNER_ARCH}" >&2; exit 1 ;;
esac
archive="driftgate_${version#v}_${os}_${arch}.tar.gz"
base="$server/$repo/releases/download/$version"

cd "$dest"
curl -fsSL ${auth[@]+"${auth[@]}"} -o "$archive" "$base/$archive"
curl -fsSL ${auth[@]+"${auth[@]}"} -o checksums.txt "$base/checksums.txt"
sha256=(sha256sum)
command -v sha256sum >/dev/null 2>&1 || sha256=(shasum -a 256)
if ! grep " $archive\$" checksums.txt | "${sha256[@]}" -c -; then
  echo "driftgate: checksum of $archive does not match the release's checksums.txt" >&2
  exit 1
fi
tar -xzf "$archive" driftgate
echo "driftgate: installed $version ($archive, sha256 verified)"
echo "bin=$dest/driftgate" >> "$GITHUB_OUTPUT"
