#!/usr/bin/env bash
# The full test suite, all three tiers:
#   1. unit tests and 2. the operator on a real kube-apiserver and etcd (started by the test JVM: control plane
#      'tier2', etcd and kube-apiserver only) and on a mock API server where a test injects faults, with a real
#      Alertmanager, plus the packaging checks (Helm chart, manifests, CRDs in sync with the build): 'mvn verify';
#   3. end to end: the packaged operator against a real local control plane (hack/cluster.sh, built from the Go
#      module proxy the first time and cached), started here under the name 'e2e' and stopped afterwards.
# Needs JDK 17+, Maven 3.8+, Go, kubectl and openssl; as root it installs Prometheus and Alertmanager from Debian.
# FIREBREAK_KEEP_E2E_CLUSTER=1 leaves the e2e control plane running for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in java mvn go kubectl openssl curl; do
  command -v "$tool" >/dev/null || { echo "test: $tool is required" >&2; exit 1; }
done
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${java_major%%.*}" -ge 17 ] || { echo "test: JDK 17+ is required, found $java_major" >&2; exit 1; }

echo "==> Tools the tests run: the control plane's binaries (cached), Prometheus and Alertmanager"
./hack/cluster.sh build

echo "==> Tiers 1 and 2: unit, operator on a real API server and on the mock one (with a real Alertmanager), packaging"
mvn -B -ntp verify "$@"

echo "==> Tier 3: end to end on a real control plane"
# etcd with a 256 MiB space quota: a write storm fills it and fails the tier (every write refused) instead of passing.
export FIREBREAK_CLUSTER=e2e FIREBREAK_APISERVER_PORT=26443 FIREBREAK_ETCD_PORT=24790 FIREBREAK_ETCD_QUOTA_BYTES=268435456
if [ "${FIREBREAK_KEEP_E2E_CLUSTER:-0}" != 1 ]; then
  trap './hack/cluster.sh down >/dev/null 2>&1 || true' EXIT
fi
./hack/cluster.sh up
eval "$(./hack/cluster.sh env)"
FIREBREAK_E2E_KUBECONFIG=$KUBECONFIG mvn -B -ntp -Pe2e -DskipUnitTests verify "$@"
