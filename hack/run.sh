#!/usr/bin/env bash
# Runs Firebreak against the cluster of the current kubeconfig context: installs the CRDs, builds the operator if
# needed, and runs the packaged application in the foreground (Ctrl-C stops it). It uses your kubeconfig's
# credentials; in a cluster, install with Helm or deploy/ instead (see docs/deployment.md).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v kubectl >/dev/null || { echo "run: kubectl is required" >&2; exit 1; }
if ! kubectl get --raw /readyz --request-timeout=5s >/dev/null 2>&1; then
  ctx=$(kubectl config current-context 2>/dev/null || echo none)
  echo "run: no reachable Kubernetes API server for kubeconfig context '$ctx'." >&2
  echo "     Point KUBECONFIG at a cluster (kind, minikube, a dev cluster) and try again." >&2
  exit 1
fi

echo "==> Installing the CRDs (kubectl apply --server-side -f crds/)"
kubectl apply --server-side --force-conflicts -f crds/

lease_ns=${FIREBREAK_LEADER_ELECTION_LEASE_NAMESPACE:-firebreak-system}
kubectl get namespace "$lease_ns" >/dev/null 2>&1 || kubectl create namespace "$lease_ns"

jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "==> Building Firebreak (mvn package -DskipTests)"
  mvn -B -ntp -q package -DskipTests
fi

echo "==> Starting Firebreak on :${QUARKUS_HTTP_PORT:-8080} (leader-election Lease in namespace $lease_ns)"
echo "    Try: kubectl apply -f deploy/examples/ && kubectl get inc,escpol,oncall,pir -A"
export FIREBREAK_LEADER_ELECTION_LEASE_NAMESPACE="$lease_ns"
exec java ${JAVA_OPTS:-} -jar "$jar"
