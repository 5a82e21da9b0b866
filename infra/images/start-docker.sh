#!/usr/bin/env bash
# Starts a Docker engine for the container images and tests, on a machine where none runs: Debian's
# docker.io (and docker-compose) installed with apt when missing, dockerd with no bridge and no
# iptables rules (every container uses host networking: traffic stays on loopback), its own data
# root and socket. Prints the engine's DOCKER_HOST on stdout; when it started dockerd (none answered
# yet), writes that PID to $PERENNIAL_DOCKER_RUN/started.pid, for the caller to end it. Exits
# non-zero, saying why, when no engine can start here. Root only (apt, dockerd).
#   export DOCKER_HOST=$(infra/images/start-docker.sh)
set -euo pipefail
run_dir="${PERENNIAL_DOCKER_RUN:-/run/docker-perennial}"
socket="unix://$run_dir.sock"
data_root="${PERENNIAL_DOCKER_DATA:-/var/lib/docker-perennial}"
rm -f "$run_dir/started.pid"

if DOCKER_HOST="$socket" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "$socket"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "starting dockerd needs root" >&2; exit 1; }
if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null || ! command -v debootstrap >/dev/null; then
  echo "Installing docker.io, docker-compose and debootstrap..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap >&2
fi
mkdir -p "$run_dir" "$data_root"
log="$run_dir/dockerd.log"
dockerd --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
  --data-root "$data_root" --exec-root "$run_dir/exec" --pidfile "$run_dir/dockerd.pid" \
  --host "$socket" >"$log" 2>&1 &
pid=$!
for _ in $(seq 60); do
  if DOCKER_HOST="$socket" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    echo "$pid" >"$run_dir/started.pid"
    echo "dockerd started (PID $pid, data in $data_root, log $log)" >&2
    echo "$socket"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
echo "dockerd did not start; its log ($log) ends:" >&2
tail -15 "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1
