#!/usr/bin/env bash
# Installs the real servers Perennial runs and tests against into infra/local/bin (or $1):
#   temporal  - the Temporal CLI: `temporal server start-dev` is the dev server with Web UI + SQLite
#   minio     - MinIO, the S3-compatible server
#   mc        - MinIO's client, which makes the least-privilege users of infra/minio/
# All three are built with `go install` from the Go module proxy. Idempotent: an installed one is
# kept (pass --upgrade to rebuild MinIO and mc, which track their latest releases).
#
# Other ways to get them: the Temporal CLI's release archives or Homebrew (`brew install
# temporal`), MinIO's packages or `brew install minio/stable/minio`, or docker compose; the
# embedded stack finds any `temporal` / `minio` on the PATH.
set -euo pipefail

# Temporal CLI 1.5.1 is the newest that `go install` can build: later versions' go.mod carries a
# replace directive, which `go install pkg@version` refuses.
TEMPORAL_VERSION=v1.5.1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin"
upgrade=false
for arg in "$@"; do
  case "$arg" in
    --upgrade) upgrade=true ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) bin="$arg" ;;
  esac
done

if ! command -v go >/dev/null 2>&1; then
  echo "install-servers: Go is not installed, and it builds both servers." >&2
  echo "  Install Go (e.g. 'apt-get install golang-go', or from go.dev), then run this again." >&2
  echo "  Or install the servers another way (see the top of this script) and put them on PATH." >&2
  exit 1
fi
mkdir -p "$bin"
bin="$(cd "$bin" && pwd)"

if [ -x "$bin/temporal" ] && [ "$(cat "$bin/.temporal-version" 2>/dev/null)" = "$TEMPORAL_VERSION" ]; then
  echo "temporal $TEMPORAL_VERSION already in $bin"
else
  echo "Building temporal $TEMPORAL_VERSION into $bin (a few minutes the first time)..."
  GOBIN="$bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION"
  echo "$TEMPORAL_VERSION" > "$bin/.temporal-version"
fi

if [ -x "$bin/minio" ] && [ "$upgrade" = false ]; then
  echo "minio already in $bin (--upgrade rebuilds the latest)"
else
  echo "Building minio@latest into $bin (several minutes the first time)..."
  GOBIN="$bin" go install github.com/minio/minio@latest
fi

if [ -x "$bin/mc" ] && [ "$upgrade" = false ]; then
  echo "mc already in $bin (--upgrade rebuilds the latest)"
else
  echo "Building mc@latest (MinIO's client: users and policies) into $bin (a few minutes)..."
  GOBIN="$bin" go install github.com/minio/mc@latest
fi

echo
echo "Installed in $bin:"
echo "  $("$bin/temporal" --version)"
echo "  $("$bin/minio" --version 2>/dev/null | head -1)"
echo "  $("$bin/mc" --version 2>/dev/null | head -1)"
