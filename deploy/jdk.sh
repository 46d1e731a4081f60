# Sourced by deploy/run.sh and .ci/run: selects a JDK 21+ into JAVA_HOME (the build targets Java 21, and
# Elasticsearch 9 and Keycloak 26 need 21+). Keeps a JAVA_HOME that already qualifies; else looks for one.

modelmarket_jdk_feature() { # prints the feature version of the JDK at $1, or 0
  local release="$1/release" version
  [ -x "$1/bin/java" ] && [ -f "$release" ] || { echo 0; return; }
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "${version:-0}"
}

modelmarket_select_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
    [ -n "$candidate" ] || continue
    if [ "$(modelmarket_jdk_feature "$candidate")" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "ModelMarket needs a JDK 21 or newer: install one and set JAVA_HOME to it (found only: ${JAVA_HOME:-no JAVA_HOME}, $(java -version 2>&1 | head -1))." >&2
  return 1
}

modelmarket_select_jdk
