#!/usr/bin/env bash
# Regenerates the CRDs from the Java API (api/v1alpha1) and copies them to crds/ and the chart.
# Run after changing any class under src/main/java/dev/firebreak/api; commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
for f in target/kubernetes/*.firebreak.dev-v1.yml; do
  cp "$f" crds/
  cp "$f" helm/firebreak/crds/
done
echo "CRDs updated: $(ls crds | tr '\n' ' ')"
