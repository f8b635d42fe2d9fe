#!/usr/bin/env bash
# The alert-storm benchmark (docs/benchmarks.md): packages Firebreak, starts a local control plane named 'bench'
# (hack/cluster.sh; built and cached on first use), runs AlertStormBench against the packaged operator, and stops the
# control plane. Results: target/bench/alert-storm.md. Not part of the test suite: it measures, it does not gate.
set -euo pipefail
cd "$(dirname "$0")/.."
./hack/cluster.sh build
export FIREBREAK_CLUSTER=bench FIREBREAK_APISERVER_PORT=27443 FIREBREAK_ETCD_PORT=34790
trap './hack/cluster.sh down >/dev/null 2>&1 || true' EXIT
./hack/cluster.sh up
eval "$(./hack/cluster.sh env)"
# failsafe merges into an existing summary: an earlier failed run would fail this one.
rm -rf target/failsafe-reports-bench
FIREBREAK_E2E_KUBECONFIG=$KUBECONFIG mvn -B -ntp -Pbench -Dbench=AlertStormBench -DskipUnitTests verify "$@"
echo
cat target/bench/alert-storm.md
