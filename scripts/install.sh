#!/usr/bin/env bash
# Installs the driftgate binary for the action: the release matching the
# action's ref (or the version input), downloaded from GitHub Releases and
# verified against the release's checksums.txt. A ref that is no release
# (a branch or a SHA) is built from the action's own source instead.
set -euo pipefail

repo="driftgate/driftgate"
version="${DRIFTGATE_VERSION:-}"
if [ -z "$version" ] && [[ "${DRIFTGATE_ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version="$DRIFTGATE_ACTION_REF"
fi
dest="${RUNNER_TEMP:-/tmp}/driftgate-bin"
mkdir -p "$dest"

if [ -z "$version" ]; then
  echo "driftgate: ref '${DRIFTGATE_ACTION_REF:-}' is not a release; building from source"
  (cd "$DRIFTGATE_ACTION_PATH" && CGO_ENABLED=0 go build -trimpath -o "$dest/driftgate" ./cmd/driftgate)
  echo "bin=$dest/driftgate" >> "$GITHUB_OUTPUT"
  exit 0
fi

case "${RUNNER_OS:-Linux}" in
  Linux) os=linux ;; macOS) os=darwin ;; Windows) os=windows ;;
  *) echo "driftgate: unsupported runner OS ${RUNNER_OS}" >&2; exit 1 ;;
esac
case "${RUNNER_ARCH:-X64}" in
  X64) arch=amd64 ;; ARM64) arch=arm64 ;;
  *) echo "driftgate: unsupported runner architecture ${RUNNER_ARCH}" >&2; exit 1 ;;
esac
archive="driftgate_${version#v}_${os}_${arch}.tar.gz"
base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/$version"
auth=()
if [ -n "${GH_TOKEN:-}" ]; then auth=(-H "Authorization: Bearer $GH_TOKEN"); fi

cd "$dest"
# ${auth[@]+...} keeps bash 3.2 (macOS) happy with an empty array under set -u.
curl -fsSL ${auth[@]+"${auth[@]}"} -o "$archive" "$base/$archive"
curl -fsSL ${auth[@]+"${auth[@]}"} -o checksums.txt "$base/checksums.txt"
sha256=(sha256sum)
command -v sha256sum >/dev/null 2>&1 || sha256=(shasum -a 256)
if ! grep " $archive\$" checksums.txt | "${sha256[@]}" -c -; then
  echo "driftgate: checksum of $archive does not match the release's checksums.txt" >&2
  exit 1
fi
tar -xzf "$archive" driftgate
echo "bin=$dest/driftgate" >> "$GITHUB_OUTPUT"
