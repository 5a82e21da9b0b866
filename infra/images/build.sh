#!/usr/bin/env bash
# Builds Perennial's container images from this checkout:
#   perennial/worker, perennial/serving, perennial/cli  (the jars of the Maven build, on Debian's
#                                                        OpenJDK 21 JRE: perennial/jre)
#   perennial/temporal, perennial/minio                 (for local use: the Go-built servers in
#                                                        infra/local/bin, install-servers.sh)
# all tagged $PERENNIAL_IMAGE_TAG (default "local").
#
# The base: BASE_IMAGE when set (e.g. debian:trixie-slim where a registry is reachable); else
# perennial/debian-base:trixie, made here once with debootstrap from Debian's archive (the mirror
# apt uses; DEBIAN_MIRROR overrides it) when no image of that name exists yet. The Dockerfiles are
# the same either way. Builds run with host networking (apt inside them reaches the Debian
# archive without a container bridge); DOCKER_HOST selects the engine.
#
# Usage: infra/images/build.sh [--no-maven] [image...]   (images: jre worker serving cli temporal minio)
#   --no-maven   use the jars already in */target instead of running ./mvnw package first
#                (Maven reads extra options from MAVEN_ARGS, e.g. MAVEN_ARGS=-o offline)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tag="${PERENNIAL_IMAGE_TAG:-local}"
prefix="${PERENNIAL_IMAGE_PREFIX:-perennial/}"
suite="${DEBIAN_SUITE:-trixie}" # the first Debian release with openjdk-21-jre-headless

maven=true
images=()
for arg in "$@"; do
  case "$arg" in
    --no-maven) maven=false ;;
    jre | worker | serving | cli | temporal | minio) images+=("$arg") ;;
    *) echo "unknown argument '$arg' (images: jre worker serving cli temporal minio; option: --no-maven)" >&2; exit 2 ;;
  esac
done
[ "${#images[@]}" -gt 0 ] || images=(jre worker serving cli temporal minio)
wants() { local i; for i in "${images[@]}"; do [ "$i" = "$1" ] && return 0; done; return 1; }

command -v docker >/dev/null || { echo "docker (the client) is not on the PATH" >&2; exit 1; }
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  { echo "no Docker engine answers at ${DOCKER_HOST:-the default socket}: start one, or set DOCKER_HOST" >&2; exit 1; }

debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local m
  m="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -n -e 's|^URIs: *\(http[^ ]*/debian\)/*$|\1|p' -e 's|^deb  *\(\[[^]]*\]  *\)\{0,1\}\(http[^ ]*/debian\)/* .*|\2|p' |
    head -1)"
  echo "${m:-http://deb.debian.org/debian}"
}

# The base image: BASE_IMAGE, or the debootstrap-made Debian made once.
base="${BASE_IMAGE:-}"
if [ -z "$base" ]; then
  base="${prefix}debian-base:$suite"
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    command -v debootstrap >/dev/null ||
      { echo "debootstrap is needed to make $base (apt-get install debootstrap), or set BASE_IMAGE" >&2; exit 1; }
    [ "$(id -u)" = 0 ] || { echo "debootstrap needs root to make $base, or set BASE_IMAGE" >&2; exit 1; }
    mirror="$(debian_mirror)"
    rootfs="$(mktemp -d)"
    trap 'rm -rf "$rootfs"' EXIT
    echo "Making $base with debootstrap ($suite, minbase, from $mirror)..." >&2
    debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
      { tail -20 "$rootfs.log" >&2; echo "debootstrap failed (log: $rootfs.log)" >&2; exit 1; }
    rm -f "$rootfs.log"
    printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s-security %s-security main\n' \
      "$mirror" "$suite" "$mirror" "$suite" "$mirror" "$suite" >"$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
  fi
fi
echo "Base image: $base" >&2

if $maven && { wants worker || wants serving || wants cli; }; then
  echo "Building the jars (./mvnw package, tests skipped)..." >&2
  (cd "$root" && source .ci/env.sh &&
    ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl worker,serving,starter -am)
fi

one_jar() {
  local found=("$root"/$1)
  [ -f "${found[0]}" ] || { echo "missing ${1} (run without --no-maven, or ./mvnw package)" >&2; exit 1; }
  [ "${#found[@]}" = 1 ] || { echo "more than one ${1}: ${found[*]}" >&2; exit 1; }
  echo "${found[0]}"
}

# build NAME FILE... : the image from infra/images/NAME with FILEs copied into its context.
build() {
  local name="$1" ctx
  shift
  ctx="$(mktemp -d)"
  cp "$here/$name"/* "$ctx/"
  local f
  for f in "$@"; do cp -L "${f%%=*}" "$ctx/${f##*=}"; done
  echo "Building ${prefix}$name:$tag..." >&2
  local previous
  previous="$(docker image inspect --format '{{.Id}}' "${prefix}$name:$tag" 2>/dev/null || true)"
  docker build --network host \
    --build-arg "BASE_IMAGE=$base" --build-arg "JRE_IMAGE=${prefix}jre:$tag" \
    -t "${prefix}$name:$tag" "$ctx" >&2 || { rm -rf "$ctx"; echo "building ${prefix}$name failed" >&2; exit 1; }
  rm -rf "$ctx"
  # The image this one replaces, if no tag names it any more: removed, so rebuilds do not pile up
  # (kept while another tag or a container still uses it).
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "${prefix}$name:$tag")" ] &&
    [ "$(docker image inspect --format '{{len .RepoTags}}' "$previous" 2>/dev/null)" = 0 ]; then
    docker image rm "$previous" >/dev/null 2>&1 || true
  fi
}

if wants jre || wants worker || wants serving || wants cli; then
  build jre
fi
wants worker && build worker "$(one_jar 'worker/target/perennial-worker-*-exec.jar')=perennial-worker.jar"
wants serving && build serving "$(one_jar 'serving/target/perennial-serving-*-exec.jar')=perennial-serving.jar"
wants cli && build cli "$(one_jar starter/target/perennial.jar)=perennial.jar"
bin="$root/infra/local/bin"
for server in temporal minio; do
  wants "$server" || continue
  [ -x "$bin/$server" ] || { echo "missing $bin/$server: run infra/local/install-servers.sh" >&2; exit 1; }
done
wants temporal && build temporal "$bin/temporal=temporal"
wants minio && build minio "$bin/minio=minio" "$bin/mc=mc"

docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep "^${prefix}" | sort
