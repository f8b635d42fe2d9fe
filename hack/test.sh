#!/usr/bin/env bash
# The full test suite, all tiers: unit, operator on the mock API server, packaging (Helm chart, manifests),
# and the post-package checks (committed CRDs equal the generated ones). Needs JDK 17+ and Maven 3.8+.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v java >/dev/null || { echo "test: java (JDK 17+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "test: mvn (Maven 3.8+) is required" >&2; exit 1; }
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${java_major%%.*}" -ge 17 ] || { echo "test: JDK 17+ is required, found $java_major" >&2; exit 1; }

exec mvn -B -ntp verify "$@"
