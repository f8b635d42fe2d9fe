#!/usr/bin/env bash
# Runs Firebreak. With a KUBECONFIG (or ~/.kube/config) pointing at a reachable cluster, it installs there; otherwise
# it brings up the local sandbox control plane (hack/cluster.sh, built the first time). Then it installs the CRDs and
# Firebreak's ServiceAccount and RBAC from the chart's manifests, runs the packaged operator in the background with
# that ServiceAccount's token, applies the examples, and, in the sandbox, replays the failing-deploy story.
# Everything is left running:
#   hack/run.sh         start (or restart the operator of) the sandbox, or install into your cluster
#   hack/run.sh logs    follow the operator's log
#   hack/run.sh down    stop the operator, and the sandbox control plane if this script started it
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export FIREBREAK_CLUSTER=sandbox
CACHE=${FIREBREAK_CACHE:-$HOME/.cache/firebreak}
RUN=$CACHE/run
mkdir -p "$RUN"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'run: %s\n' "$*" >&2; exit 1; }

stop_operator() {
  if [ -f "$RUN/operator.pid" ]; then
    local pid
    pid=$(cat "$RUN/operator.pid")
    if [ -d "/proc/$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q quarkus-run.jar; then
      kill "$pid"
      for _ in $(seq 1 20); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
      log "Stopped the operator (pid $pid)"
    fi
    rm -f "$RUN/operator.pid"
  fi
}

case "${1:-}" in
  logs) exec tail -F "$RUN/operator.log" ;;
  down)
    stop_operator
    if [ -f "$RUN/sandbox" ]; then ./hack/cluster.sh down; rm -f "$RUN/sandbox"; fi
    exit 0 ;;
  "") ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

command -v kubectl >/dev/null || die "kubectl is required"
command -v java >/dev/null || die "java (JDK 17+) is required"

sandbox=false
if [ -n "${KUBECONFIG:-}" ] || [ -f "$HOME/.kube/config" ]; then
  if kubectl get --raw /readyz --request-timeout=5s >/dev/null 2>&1; then
    log "Installing into the cluster of kubeconfig context '$(kubectl config current-context)'"
  else
    die "the cluster of kubeconfig context '$(kubectl config current-context 2>/dev/null || echo none)' is not reachable; unset KUBECONFIG to use the local sandbox instead"
  fi
else
  log "No kubeconfig: bringing up the local sandbox control plane (the first time builds it: several minutes)"
  ./hack/cluster.sh up
  eval "$(./hack/cluster.sh env)"
  touch "$RUN/sandbox"
  sandbox=true
fi

log "Installing the CRDs"
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for condition=established --timeout=60s -f crds/ >/dev/null
log "Installing Firebreak's namespace, ServiceAccount and RBAC (the chart's manifests, deploy/)"
kubectl apply -f deploy/namespace.yaml -f deploy/serviceaccount.yaml -f deploy/rbac.yaml >/dev/null
if ! kubectl get secret firebreak-webhook-auth -n firebreak-system >/dev/null 2>&1; then
  log "Creating the Alertmanager webhook's bearer token (Secret firebreak-system/firebreak-webhook-auth)"
  kubectl create secret generic firebreak-webhook-auth -n firebreak-system \
    --from-literal=token="$(openssl rand -hex 24)" >/dev/null
fi

jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  log "Building Firebreak (mvn package -DskipTests)"
  mvn -B -ntp -q package -DskipTests
fi

# The operator runs with the ServiceAccount's token, exactly the permissions the chart grants it in a cluster.
server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
ca=$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority}')
ca_data=$(kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
token=$(kubectl create token firebreak -n firebreak-system --duration=24h)
{
  echo "apiVersion: v1"
  echo "kind: Config"
  echo "clusters:"
  echo "- name: target"
  echo "  cluster:"
  echo "    server: $server"
  if [ -n "$ca_data" ]; then echo "    certificate-authority-data: $ca_data"; elif [ -n "$ca" ]; then echo "    certificate-authority: $ca"; fi
  echo "users: [{name: firebreak, user: {token: $token}}]"
  echo "contexts: [{name: target, context: {cluster: target, user: firebreak, namespace: firebreak-system}}]"
  echo "current-context: target"
} > "$RUN/operator.kubeconfig"
chmod 600 "$RUN/operator.kubeconfig"

stop_operator
port=${QUARKUS_HTTP_PORT:-8080}
log "Starting the operator on :$port as system:serviceaccount:firebreak-system:firebreak (log: $RUN/operator.log)"
KUBECONFIG=$RUN/operator.kubeconfig HOSTNAME=firebreak-local FIREBREAK_LEADER_ELECTION_LEASE_NAMESPACE=firebreak-system \
  QUARKUS_HTTP_PORT=$port nohup java ${JAVA_OPTS:-} -jar "$ROOT/$jar" > "$RUN/operator.log" 2>&1 &
echo $! > "$RUN/operator.pid"
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  [ -d "/proc/$(cat "$RUN/operator.pid")" ] || die "the operator exited; see $RUN/operator.log"
  sleep 1
done

log "Applying the examples (namespace shop)"
kubectl apply -f deploy/examples/ >/dev/null
kubectl wait --for=condition=Ready --timeout=60s -n shop \
  escalationpolicy/payments oncallschedule/payments-primary incident/checkout-errors postincidentreview/checkout-errors >/dev/null

if $sandbox; then
  log "Replaying the failing-deploy story: deployment shop/checkout, revision 1 healthy, revision 2 crash-looping"
  kubectl apply -f hack/sandbox/checkout.yaml >/dev/null
  kubectl rollout status deployment/checkout -n shop --timeout=120s >/dev/null
  # The release and its change-cause in one patch, as a CD tool does: revision 2's ReplicaSet is created with it.
  # (Annotating afterwards raced Firebreak's rollback, and the history showed "release 1.4.2" on revision 1's copy.)
  kubectl patch deployment checkout -n shop --type merge -p "$(cat hack/sandbox/bad-release.json)" >/dev/null
  log "Waiting for Firebreak to detect revision 2 and roll it back (up to 3 minutes)"
  incident=rollout-deploy-checkout-2
  state=
  for _ in $(seq 1 180); do
    state=$(kubectl get incident "$incident" -n shop -o jsonpath='{.status.rollback.state}' 2>/dev/null || true)
    [ "$state" = Succeeded ] && break
    sleep 1
  done
  if [ "$state" != Succeeded ]; then
    reason=$(kubectl get incident "$incident" -n shop -o jsonpath='{.status.rollback.reason}' 2>/dev/null || true)
    die "incident shop/$incident: rollback ${state:-not started} after 3 minutes${reason:+ (reason: $reason)}; see $RUN/operator.log"
  fi
  uid=$(kubectl get incident "$incident" -n shop -o jsonpath='{.metadata.uid}')
  history=$(kubectl rollout history deployment/checkout -n shop)
  echo "$history" | grep -Eq "^2 +release 1\.4\.2 *$" \
    || die "rollout history: revision 2 should say 'release 1.4.2':"$'\n'"$history"
  echo "$history" | grep -Eq "^3 +firebreak: incident shop/$incident \(uid $uid\) rolled back revision 2 to 1 *$" \
    || die "rollout history: revision 3 should name the incident and its UID:"$'\n'"$history"
  log "Checked: incident shop/$incident rolled checkout back from revision 2 to 1 (now revision 3, named in its change-cause)"
fi

cat <<EOF

Firebreak is running; everything stays up.

  export KUBECONFIG=${KUBECONFIG:-$HOME/.kube/config}
  kubectl get inc,escpol,oncall,pir -n shop        # the examples, Ready
  kubectl get inc -A -w                            # incidents as they open
  kubectl describe oncallschedule payments-primary -n shop
  kubectl explain incident.spec
  hack/run.sh logs                                 # the operator's log
  # the Alertmanager webhook, http://127.0.0.1:$port/api/v1/alerts/alertmanager, with its bearer token:
  kubectl get secret firebreak-webhook-auth -n firebreak-system -o jsonpath='{.data.token}' | base64 -d
  hack/run.sh down                                 # stop it all
EOF
if $sandbox; then
  cat <<EOF

  # revision 2 (release 1.4.2) crash-looped; Firebreak rolled checkout (annotated firebreak.dev/auto-rollback) back:
  kubectl get inc rollout-deploy-checkout-2 -n shop -o jsonpath='{.status.rollback}'
  kubectl get inc rollout-deploy-checkout-2 -n shop -o jsonpath='{range .status.timeline[*]}{.time} {.message}{"\n"}{end}'
  kubectl rollout history deployment/checkout -n shop   # 2: release 1.4.2; 3: the incident (and its UID)
EOF
fi
