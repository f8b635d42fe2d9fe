#!/usr/bin/env bash
# A real, local Kubernetes control plane for Firebreak's end-to-end tests and sandbox, on loopback only:
# etcd, kube-apiserver (RBAC, service-account token signing), kube-controller-manager, kube-scheduler, and kwok
# simulating two nodes and their pods. The binaries are built once from the Go module proxy and cached by version;
# nothing built is committed.
#
#   hack/cluster.sh build   build (or find in the cache) every binary, and install Prometheus and Alertmanager
#   hack/cluster.sh up      build if needed, start everything, wait until nodes are Ready, print the KUBECONFIG
#   hack/cluster.sh env     print 'export KUBECONFIG=...' for a running control plane
#   hack/cluster.sh status  show each process and whether the API server is ready
#   hack/cluster.sh down    stop exactly the processes 'up' started (by PID) and remove their state
#
# Environment: FIREBREAK_CACHE (default ~/.cache/firebreak) holds the binaries and the state of running control
# planes; FIREBREAK_CLUSTER (default 'sandbox') names one, so that the tests' control plane ('e2e', started by
# hack/test.sh) never touches a sandbox left running; FIREBREAK_APISERVER_PORT (default 16443) and
# FIREBREAK_ETCD_PORT (default 23790; it and the peer port, +10, must lie below the kernel's ephemeral range, 32768
# and up by default, or an outgoing connection may hold it when etcd starts) choose its ports;
# FIREBREAK_ETCD_QUOTA_BYTES sets etcd's space quota (etcd's default, 2 GiB, when unset; the tests use a small one so that a write storm fails them instead of passing unseen);
# FIREBREAK_CONTROL_PLANE=bare starts etcd and kube-apiserver only (no controller-manager, scheduler or kwok: the
# operator tests of tier 2 create ReplicaSets and pods themselves, which a controller-manager would fight over).
set -euo pipefail

K8S_VERSION=1.34.4
ETCD_VERSION=3.6.16
KWOK_VERSION=0.7.0

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${FIREBREAK_CACHE:-$HOME/.cache/firebreak}
BIN=$CACHE/bin
NAME=${FIREBREAK_CLUSTER:-sandbox}
STATE=$CACHE/clusters/$NAME
ETCD_DATA=/dev/shm/firebreak-$NAME-etcd-$(id -u)
APISERVER_PORT=${FIREBREAK_APISERVER_PORT:-16443}
ETCD_PORT=${FIREBREAK_ETCD_PORT:-23790}
ETCD_PEER_PORT=$((ETCD_PORT + 10))
ETCD_QUOTA_BYTES=${FIREBREAK_ETCD_QUOTA_BYTES:-}
CONTROL_PLANE=${FIREBREAK_CONTROL_PLANE:-full}
# Bare: no controller-manager creates the 'default' ServiceAccount of a namespace, which the ServiceAccount admission
# plugin would require of every pod.
BARE_ADMISSION=
[ "$CONTROL_PLANE" = bare ] && BARE_ADMISSION=ServiceAccount
case "$CONTROL_PLANE" in full|bare) ;; *) echo "cluster: FIREBREAK_CONTROL_PLANE is full or bare, not $CONTROL_PLANE" >&2; exit 1 ;; esac
KCM_PORT=$((APISERVER_PORT + 1))
SCHEDULER_PORT=$((APISERVER_PORT + 2))
KWOK_PORT=$((APISERVER_PORT + 3))

K8S_DIR=$BIN/kubernetes-v$K8S_VERSION
ETCD_DIR=$BIN/etcd-v$ETCD_VERSION
KWOK_DIR=$BIN/kwok-v$KWOK_VERSION

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }

# --- build -------------------------------------------------------------------------------------------------------

build_kubernetes() {
  [ -x "$K8S_DIR/kube-apiserver" ] && [ -x "$K8S_DIR/kube-controller-manager" ] && [ -x "$K8S_DIR/kube-scheduler" ] && return
  local start work mod minor
  start=$(now)
  work=$(mktemp -d)
  log "Building kube-apiserver, kube-controller-manager, kube-scheduler v$K8S_VERSION from the Go module proxy (first time only, several minutes)"
  (
    cd "$work"
    go mod init firebreak.local/kubernetes-binaries >/dev/null 2>&1
    # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local directories, which a
    # consumer does not inherit: replace each with its published version, the list derived from the module's go.mod.
    mod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
    [ -f "$mod" ] || die "could not download k8s.io/kubernetes@v$K8S_VERSION from the Go module proxy"
    minor=${K8S_VERSION#1.}
    {
      echo "require k8s.io/kubernetes v$K8S_VERSION"
      echo "replace ("
      sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\1#p' "$mod" | sort -u | while read -r m; do
        echo "  $m => $m v0.$minor"
      done
      echo ")"
    } >> go.mod
    grep -q '=> k8s.io/api v0' go.mod || die "no staging modules found in $mod"
    cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
GO
    log "  resolving modules"
    GOFLAGS=-mod=mod go mod tidy
    local ld=""
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $pkg.gitVersion=v$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=${minor%%.*}"
    done
    log "  compiling (CGO_ENABLED=0)"
    mkdir -p "$K8S_DIR.tmp"
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $ld" -o "$K8S_DIR.tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
  )
  rm -rf "$work" "$K8S_DIR"
  mv "$K8S_DIR.tmp" "$K8S_DIR"
  "$K8S_DIR/kube-apiserver" --version | grep -q "v$K8S_VERSION" || die "kube-apiserver does not report v$K8S_VERSION"
  log "  done in $(( $(now) - start ))s"
}

build_etcd() {
  [ -x "$ETCD_DIR/etcd" ] && return
  local start work
  start=$(now)
  work=$(mktemp -d)
  # go.etcd.io/etcd/server/v3 has replace directives, so 'go install' refuses it: a tiny wrapper calls etcdmain.Main.
  log "Building etcd v$ETCD_VERSION from the Go module proxy"
  (
    cd "$work"
    go mod init firebreak.local/etcd >/dev/null 2>&1
    cat > main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
    GOFLAGS=-mod=mod go mod tidy
    mkdir -p "$ETCD_DIR.tmp"
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$ETCD_DIR.tmp/etcd" .
  )
  rm -rf "$work" "$ETCD_DIR"
  mv "$ETCD_DIR.tmp" "$ETCD_DIR"
  log "  done in $(( $(now) - start ))s"
}

build_kwok() {
  [ -x "$KWOK_DIR/kwok" ] && return
  local start
  start=$(now)
  log "Building kwok v$KWOK_VERSION from the Go module proxy"
  mkdir -p "$KWOK_DIR.tmp"
  GOBIN="$KWOK_DIR.tmp" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
  rm -rf "$KWOK_DIR"
  mv "$KWOK_DIR.tmp" "$KWOK_DIR"
  log "  done in $(( $(now) - start ))s"
}

install_monitoring() {
  # Debian names the Alertmanager binary prometheus-alertmanager.
  if command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "Prometheus and Alertmanager are missing: apt-get install prometheus prometheus-alertmanager (as root)"
  log "Installing Prometheus and Alertmanager from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
}

cmd_build() {
  command -v go >/dev/null || die "Go is required to build the control plane"
  command -v openssl >/dev/null || die "openssl is required to make the control plane's certificates"
  build_kubernetes
  build_etcd
  build_kwok
  install_monitoring
}

# --- up ------------------------------------------------------------------------------------------------------------

running() { # name: true when the process recorded for it is alive and is the binary we started
  local pid
  [ -f "$STATE/$1.pid" ] || return 1
  pid=$(cat "$STATE/$1.pid")
  [ -d "/proc/$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$2"
}

start() { # name binary args...: start in the background, record the PID, log to $STATE/name.log
  local name=$1
  shift
  "$@" > "$STATE/$name.log" 2>&1 &
  echo $! > "$STATE/$name.pid"
}

wait_for() { # description seconds command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 "$seconds"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  # The caller's trap may remove $STATE: show the logs' ends here.
  tail -n 20 "$STATE"/*.log >&2 2>/dev/null || true
  die "$what did not come up within ${seconds}s; logs in $STATE"
}

kubeconfig() { # file user token
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: firebreak-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $STATE/pki/ca.crt
users:
- name: $2
  user:
    token: $3
contexts:
- name: firebreak-local
  context: {cluster: firebreak-local, user: $2, namespace: default}
current-context: firebreak-local
EOF
}

make_pki() {
  local pki=$STATE/pki
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=firebreak-local-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.96.0.1\n' > "$pki/san.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile "$pki/san.ext" -out "$pki/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  # Static bearer tokens: the admin (the person or test driving the cluster) and the control plane's own clients.
  local admin kcm scheduler kwok
  admin=$(openssl rand -hex 24); kcm=$(openssl rand -hex 24); scheduler=$(openssl rand -hex 24); kwok=$(openssl rand -hex 24)
  {
    echo "$admin,admin,admin,system:masters"
    echo "$kcm,system:kube-controller-manager,kube-controller-manager"
    echo "$scheduler,system:kube-scheduler,kube-scheduler"
    echo "$kwok,kwok,kwok,system:masters"
  } > "$pki/tokens.csv"
  chmod 600 "$pki"/*.key "$pki/tokens.csv"
  kubeconfig "$STATE/kubeconfig" admin "$admin"
  kubeconfig "$STATE/kube-controller-manager.kubeconfig" system:kube-controller-manager "$kcm"
  kubeconfig "$STATE/kube-scheduler.kubeconfig" system:kube-scheduler "$scheduler"
  kubeconfig "$STATE/kwok.kubeconfig" kwok "$kwok"
}

healthy() { KUBECONFIG=$STATE/kubeconfig kubectl get --raw /readyz; }

cmd_up() {
  local start
  command -v kubectl >/dev/null || die "kubectl is required"
  if [ -f "$STATE/kubeconfig" ] && healthy >/dev/null 2>&1; then
    log "Control plane '$NAME' already running"
    cmd_env
    return
  fi
  [ -d "$STATE" ] && cmd_down >/dev/null 2>&1
  cmd_build
  start=$(now)
  mkdir -p "$STATE"
  rm -rf "$ETCD_DATA"
  make_pki
  local pki=$STATE/pki

  log "Starting etcd v$ETCD_VERSION (data on $ETCD_DATA${ETCD_QUOTA_BYTES:+, space quota $ETCD_QUOTA_BYTES bytes})"
  start etcd "$ETCD_DIR/etcd" --name firebreak --data-dir "$ETCD_DATA" ${ETCD_QUOTA_BYTES:+--quota-backend-bytes "$ETCD_QUOTA_BYTES"} \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "firebreak=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" --log-level warn
  wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

  log "Starting kube-apiserver v$K8S_VERSION on https://127.0.0.1:$APISERVER_PORT (RBAC)"
  start kube-apiserver "$K8S_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --token-auth-file "$pki/tokens.csv" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged=true \
    ${BARE_ADMISSION:+--disable-admission-plugins "$BARE_ADMISSION"}
  wait_for kube-apiserver 60 healthy
  if [ "$CONTROL_PLANE" = bare ]; then
    wait_for "the default namespace" 60 env KUBECONFIG="$STATE/kubeconfig" kubectl get namespace default
    log "Control plane '$NAME' (etcd and kube-apiserver only) up in $(( $(now) - start ))s"
    cmd_env
    return
  fi

  log "Starting kube-controller-manager and kube-scheduler"
  start kube-controller-manager "$K8S_DIR/kube-controller-manager" \
    --kubeconfig "$STATE/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$STATE/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$STATE/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --use-service-account-credentials=true --controllers '*,-nodeipam'
  start kube-scheduler "$K8S_DIR/kube-scheduler" \
    --kubeconfig "$STATE/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$STATE/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$STATE/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false

  log "Starting kwok v$KWOK_VERSION with two fake nodes"
  start kwok "$KWOK_DIR/kwok" --kubeconfig "$STATE/kwok.kubeconfig" --config "$ROOT/hack/kwok/stages.yaml" \
    --manage-all-nodes=true --server-address "127.0.0.1:$KWOK_PORT" --cidr 10.244.0.0/16 --node-ip 10.0.0.1
  for n in 1 2; do
    KUBECONFIG=$STATE/kubeconfig kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$n
  annotations: {node.alpha.kubernetes.io/ttl: "0", kwok.x-k8s.io/node: fake}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$n, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
EOF
  done
  wait_for "the kwok nodes" 60 env KUBECONFIG="$STATE/kubeconfig" kubectl wait --for=condition=Ready node --all --timeout=1s
  wait_for "the default service account" 60 env KUBECONFIG="$STATE/kubeconfig" kubectl get serviceaccount default -n default

  log "Control plane '$NAME' up in $(( $(now) - start ))s"
  cmd_env
}

# --- env, status, down -----------------------------------------------------------------------------------------

cmd_env() {
  [ -f "$STATE/kubeconfig" ] || die "no control plane '$NAME' running (hack/cluster.sh up)"
  echo "export KUBECONFIG=$STATE/kubeconfig"
}

COMPONENTS="kwok:kwok kube-scheduler:kube-scheduler kube-controller-manager:kube-controller-manager kube-apiserver:kube-apiserver etcd:etcd"

cmd_status() {
  local entry name
  for entry in $COMPONENTS; do
    name=${entry%%:*}
    if running "$name" "${entry#*:}"; then echo "$name: running (pid $(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; fi
  done
  if healthy >/dev/null 2>&1; then echo "api server: ready"; else echo "api server: not ready"; fi
}

cmd_down() {
  local entry name pid
  for entry in $COMPONENTS; do
    name=${entry%%:*}
    if running "$name" "${entry#*:}"; then
      pid=$(cat "$STATE/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
      [ -d "/proc/$pid" ] && kill -9 "$pid" 2>/dev/null || true
      log "Stopped $name (pid $pid)"
    fi
  done
  rm -rf "$STATE" "$ETCD_DATA"
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  env) cmd_env ;;
  status) cmd_status ;;
  down) cmd_down ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
