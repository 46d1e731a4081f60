# Sourced by billing-service's bench scripts (run.sh, insert-variants.sh): checks the tools a script needs, picks a
# JDK 21+, and builds the module once in the reactor (the platform and local-stack modules resolve to their fresh
# jars; nothing is installed), writing its test classpath to target/bench-classpath.txt; SKIP_BUILD=1 reuses the last
# build. Leaves the shell in the module's directory with $root and $module set.
#   bench_prepare "<tools>" "<Debian packages with them>" <Maven goal: package | test-compile>
bench_prepare() {
  local tools=$1 packages=$2 goal=$3 tool
  for tool in $tools; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$tool is required (Debian/Ubuntu: apt-get install -y $packages)" >&2
      exit 2
    fi
  done
  module="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  root="$(dirname "$module")"
  if [[ -z "${JAVA_HOME:-}" ]]; then source "$root/deploy/jdk.sh"; fi
  cd "$root"
  local offline="${MVN_OFFLINE:--o}" classpath="$module/target/bench-classpath.txt"
  if [[ "${SKIP_BUILD:-}" != "1" || ! -f "$classpath" ]]; then
    # Every module of the reactor writes its classpath to the same file; billing-service, built last, writes it last.
    ./mvnw -q $offline -pl billing-service -am "$goal" dependency:build-classpath -DskipTests -DskipITs \
      -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
  fi
  cd "$module"
}
