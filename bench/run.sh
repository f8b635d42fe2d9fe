#!/usr/bin/env bash
# Runs one benchmark of docs/benchmarks.md against the packaged operator on a local control plane named 'bench'
# (hack/cluster.sh; built and cached on first use), stopped afterwards. Not part of the test suite: it measures.
#
#   ./bench/run.sh alert-storm        10,000 alerts in 200 groups         -> target/bench/alert-storm.md
#   ./bench/run.sh rollback-latency   failure seen to rollback patch      -> target/bench/rollback-latency.md
#   ./bench/run.sh large-groups       40 groups of 1,000 alerts at once   -> target/bench/large-groups.md
#   ./bench/run.sh burst              1,000 groups' first notifications
#                                     within 1 s, each paged by webhook   -> target/bench/burst.md
#                                     (-Dbench.groups=N for another size)
#   ./bench/run.sh footprint          restart among 5,000 open incidents
#                                     and 10,000 Deployments: start-up,
#                                     RSS, CPU at idle                    -> target/bench/footprint.md
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  alert-storm) bench=AlertStormBench ;;
  rollback-latency) bench=RollbackLatencyBench ;;
  large-groups) bench=LargeGroupsBench ;;
  burst) bench=BurstBench ;;
  footprint) bench=FootprintBench ;;
  *) sed -n '2,/^set /{/^set /!p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
report=target/bench/$1.md
shift
./hack/cluster.sh build
# Another name and ports (FIREBREAK_BENCH_CLUSTER, _APISERVER_PORT, _ETCD_PORT) let a second worktree (each builds in
# its own target/) run a benchmark without tearing this one's cluster down; on 2 vCPUs the two skew each other.
export FIREBREAK_CLUSTER=${FIREBREAK_BENCH_CLUSTER:-bench} FIREBREAK_APISERVER_PORT=${FIREBREAK_BENCH_APISERVER_PORT:-27443} \
  FIREBREAK_ETCD_PORT=${FIREBREAK_BENCH_ETCD_PORT:-21790} FIREBREAK_ETCD_QUOTA_BYTES=268435456
trap './hack/cluster.sh down >/dev/null 2>&1 || true' EXIT
./hack/cluster.sh up
eval "$(./hack/cluster.sh env)"
# failsafe merges into an existing summary: an earlier failed run would fail this one.
rm -rf target/failsafe-reports-bench
FIREBREAK_E2E_KUBECONFIG=$KUBECONFIG mvn -B -ntp -Pbench -Dbench="$bench" -DskipUnitTests verify "$@"
echo
cat "$report"
