#!/usr/bin/env bash
# Installs the tools that check infra/ into infra/local/bin (or $1):
#   prometheus, promtool - Prometheus: the alert rules are checked and unit-tested with promtool, and
#                          the dashboard's and the rules' queries run against a real Prometheus
#   helm                 - Helm: the chart in infra/helm is linted and rendered
# All three are built with `go install` from the Go module proxy at the versions below. Idempotent:
# a tool already installed at its version is kept. Name tools to install only those, e.g.
# `install-tools.sh helm` (Prometheus takes the longest to build; .ci/run installs both).
#
# Other ways to get them: Prometheus's and Helm's release archives, or `brew install prometheus
# helm`; the tests find any `prometheus` / `promtool` / `helm` on the PATH.
set -euo pipefail

# Prometheus's Go module versions are v0.<major*100+minor>.<patch>: v0.316.0 is Prometheus 3.16.0.
PROMETHEUS_VERSION=v0.316.0
HELM_VERSION=v4.3.2

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/bin"
wanted=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    helm|prometheus) wanted+=("$arg") ;;
    *) bin="$arg" ;;
  esac
done
[ ${#wanted[@]} -gt 0 ] || wanted=(prometheus helm)
wants() { [[ " ${wanted[*]} " == *" $1 "* ]]; }

if ! command -v go >/dev/null 2>&1; then
  echo "install-tools: Go is not installed, and it builds Prometheus and Helm." >&2
  echo "  Install Go (e.g. 'apt-get install golang-go', or from go.dev), then run this again." >&2
  echo "  Or install the tools another way (see the top of this script) and put them on PATH." >&2
  exit 1
fi
mkdir -p "$bin"
bin="$(cd "$bin" && pwd)"

# install NAME VERSION PACKAGE...: builds the packages unless NAME is there at VERSION.
install() {
  local name="$1" version="$2"
  shift 2
  if [ -x "$bin/$name" ] && [ "$(cat "$bin/.$name-version" 2>/dev/null)" = "$version" ]; then
    echo "$name $version already in $bin"
    return
  fi
  echo "Building $name $version into $bin (several minutes the first time)..."
  GOBIN="$bin" go install "${@/%/@$version}"
  echo "$version" > "$bin/.$name-version"
}

if wants prometheus; then
  install prometheus "$PROMETHEUS_VERSION" \
    github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool
fi
if wants helm; then
  install helm "$HELM_VERSION" helm.sh/helm/v4/cmd/helm
fi

echo
echo "Installed in $bin:"
if wants prometheus; then
  echo "  $("$bin/prometheus" --version 2>&1 | head -1)"
  echo "  $("$bin/promtool" --version 2>&1 | head -1)"
fi
if wants helm; then
  echo "  helm $("$bin/helm" version --short 2>&1)"
fi
