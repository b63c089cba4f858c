# shellcheck shell=bash
# Finds a JDK >= 21 for accelmm. Sourced by bin/accelmm, bin/test, bin/bench and .ci/run.
#
# Search order:
#   1. $JAVA_HOME, if its java is >= 21;
#   2. the newest JDK (by major version) >= 21 under $ACCELMM_JVM_DIR (default /usr/lib/jvm);
#   3. the java on PATH, if >= 21.
# A candidate counts only if it is a JDK (has bin/java and bin/javac): Maven compiles with it.
# ACCELMM_JVM_DIR exists so tests of these scripts can hide the machine's JDKs.

ACCELMM_MIN_JDK=21

# Prints the major version in a Java version string: "25" -> 25, "21.0.2" -> 21,
# "21-ea" -> 21, "1.8.0_292" -> 8. Prints nothing for anything else.
accelmm_major_of() {
  local v=$1
  case $v in 1.*) v=${v#1.} ;; esac
  v=${v%%[!0-9]*}
  [ -n "$v" ] && printf '%s\n' "$((10#$v))"
}

# Prints the major version of the JDK at $1, or nothing (status 1) if it is not a JDK.
# Reads the JDK's `release` file when it has one (no JVM start); otherwise parses the
# first line of `java -version` that carries a quoted version.
accelmm_jdk_major() {
  local home=$1 line out version=
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -r "$home/release" ]; then
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*) version=${line#JAVA_VERSION=}; version=${version//\"/}; break ;;
      esac
    done <"$home/release"
  fi
  if [ -z "$version" ]; then
    out=$("$home/bin/java" -version 2>&1) || return 1
    while IFS= read -r line; do
      case $line in
        *' version "'*) version=${line#*\"}; version=${version%%\"*}; break ;;
      esac
    done <<<"$out"
  fi
  version=$(accelmm_major_of "$version") || return 1
  [ -n "$version" ] && printf '%s\n' "$version"
}

# Resolves symlinks in path $1 (portable: no readlink -f) and prints the result.
accelmm_realpath() {
  local p=$1 dir
  while [ -L "$p" ]; do
    dir=$(cd -P "$(dirname "$p")" && pwd)
    p=$(readlink "$p")
    case $p in /*) ;; *) p=$dir/$p ;; esac
  done
  printf '%s/%s\n' "$(cd -P "$(dirname "$p")" && pwd)" "$(basename "$p")"
}

# Sets ACCELMM_JDK (the JDK's home) and ACCELMM_JDK_MAJOR; status 1 if no JDK >= 21 exists.
accelmm_find_jdk() {
  local major home best='' best_major=0 java
  ACCELMM_JDK='' ACCELMM_JDK_MAJOR=''

  if [ -n "${JAVA_HOME:-}" ] && major=$(accelmm_jdk_major "$JAVA_HOME") \
      && [ "$major" -ge "$ACCELMM_MIN_JDK" ]; then
    ACCELMM_JDK=${JAVA_HOME%/} ACCELMM_JDK_MAJOR=$major
    return 0
  fi

  for home in "${ACCELMM_JVM_DIR:-/usr/lib/jvm}"/*/; do
    home=${home%/}
    [ -d "$home" ] || continue
    major=$(accelmm_jdk_major "$home") || continue
    if [ "$major" -ge "$ACCELMM_MIN_JDK" ] && [ "$major" -gt "$best_major" ]; then
      best=$home best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    ACCELMM_JDK=$best ACCELMM_JDK_MAJOR=$best_major
    return 0
  fi

  if java=$(command -v java 2>/dev/null); then
    java=$(accelmm_realpath "$java")
    home=${java%/bin/java}
    if major=$(accelmm_jdk_major "$home") && [ "$major" -ge "$ACCELMM_MIN_JDK" ]; then
      ACCELMM_JDK=$home ACCELMM_JDK_MAJOR=$major
      return 0
    fi
  fi
  return 1
}

# Makes the found JDK the one everything below uses: JAVA_HOME (Maven reads it) and PATH.
# MAVEN_OPTS gets -Djansi.noreset=true (Maven 3.8 prints stray ESC[0m resets even with -B)
# and, on JDK 24+, ACCELMM_QUIET_JVM_OPTS: libraries that still use sun.misc.Unsafe
# (Maven 3.8's bundled Guava, JMH) warn at startup without it. bin/bench's JVM uses it
# too. Older JDKs do not know these options, so it stays empty there.
accelmm_use_jdk() {
  export JAVA_HOME=$ACCELMM_JDK
  export PATH="$JAVA_HOME/bin:$PATH"
  ACCELMM_QUIET_JVM_OPTS=''
  if [ "$ACCELMM_JDK_MAJOR" -ge 24 ]; then
    ACCELMM_QUIET_JVM_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  fi
  export MAVEN_OPTS="-Djansi.noreset=true${ACCELMM_QUIET_JVM_OPTS:+ $ACCELMM_QUIET_JVM_OPTS}${MAVEN_OPTS:+ $MAVEN_OPTS}"
}

# Finds and uses a JDK >= 21, or prints one line and exits 2.
accelmm_require_jdk() {
  if ! accelmm_find_jdk; then
    echo "accelmm: needs a JDK $ACCELMM_MIN_JDK or newer (set JAVA_HOME); found none" >&2
    exit 2
  fi
  accelmm_use_jdk
}

# Exits 2 with one line if Maven is missing.
accelmm_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "accelmm: needs Maven (mvn) on PATH to build; install it (e.g. apt-get install maven)" >&2
    exit 2
  fi
}
