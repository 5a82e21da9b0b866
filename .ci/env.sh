# Sourced by .ci/run, ./verify and ./perennial:
# - exports JAVA_HOME as a JDK >= 21: $JAVA_HOME when it is one, else the newest under /usr/lib/jvm;
# - puts infra/local/bin (where infra/local/install-servers.sh installs temporal and minio) first
#   on the PATH, so the embedded stack and the tests find those servers.
java_major() {
  # The JDK's release file says it without starting a JVM (every ./perennial command sources this).
  local major
  major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)"
  if [ -n "$major" ]; then
    echo "$major"
    return
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
pick_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    return 0
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*/; do
    dir="${dir%/}"
    [ -x "$dir/bin/javac" ] || continue
    major="$(java_major "$dir")"
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "No JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm has: $(ls /usr/lib/jvm 2>/dev/null | tr '\n' ' '))." >&2
    echo "Install one, e.g. 'apt-get install temurin-21-jdk' or 'openjdk-21-jdk', or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
pick_java_home
export PATH="$JAVA_HOME/bin:$PATH"
perennial_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$perennial_root/infra/local/bin:$PATH"
