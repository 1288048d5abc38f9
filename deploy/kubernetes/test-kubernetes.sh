#!/usr/bin/env bash
# test-kubernetes.sh: the DaemonSet manifest and the Helm chart, client side only: there is no
# Kubernetes API server here, so nothing is applied, scheduled or run. Run by `./javaland test`
# (about 5 s; the first run fetches Helm, scripts/helm.sh). Checks: `helm lint --strict`; the
# committed manifest is the chart rendered with its defaults; with the learner off the pod has
# one container; the DaemonSet survives a round trip through kubectl's own API types (`kubectl
# set image --local`: a misspelled or misplaced field is dropped there, and the test names it).
# What the manifest says is checked against javaland's own defaults by KubernetesManifestTest.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
chart=$ROOT/deploy/helm/javaland
manifest=$ROOT/deploy/kubernetes/javaland.yaml
fails=0
ok() { echo "kubernetes-test (client side, no API server): ok: $*"; }
bad() { echo "kubernetes-test (client side, no API server): FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if helm=$("$ROOT/scripts/helm.sh"); then
  "$helm" lint --strict "$chart" > "$tmp/lint" 2>&1
  check "helm lint --strict deploy/helm/javaland$(grep -q '0 chart(s) failed' "$tmp/lint" || sed 's/^/  /' "$tmp/lint")" grep -q '0 chart(s) failed' "$tmp/lint"
  "$helm" template javaland "$chart" --namespace kube-system > "$tmp/rendered" 2> "$tmp/render.err"
  check "helm template renders the chart" test -s "$tmp/rendered"
  grep -v '^#' "$manifest" | sed '/./,$!d' > "$tmp/committed"
  grep -v '^#' "$tmp/rendered" | sed '/./,$!d' > "$tmp/rendered.body"
  diff -u "$tmp/committed" "$tmp/rendered.body" > "$tmp/diff"
  check "deploy/kubernetes/javaland.yaml is the chart rendered with its defaults (else: regenerate it, see its header)$( [ -s "$tmp/diff" ] && head -n 20 "$tmp/diff" | sed 's/^/  /')" test ! -s "$tmp/diff"
  "$helm" template javaland "$chart" --set learner.enabled=false > "$tmp/nolearner"
  check "learner.enabled=false: no learner container" bash -c '! grep -q "name: learner$" "$1" && grep -q "name: scheduler$" "$1"' _ "$tmp/nolearner"
  "$helm" template javaland "$chart" --set config.policy=fifo > "$tmp/fifo"
  check "values.config becomes the ConfigMap's javaland.yaml" grep -qx '    policy: fifo' "$tmp/fifo"
else
  bad "no Helm binary (scripts/helm.sh failed above): the chart is not checked"
fi

if command -v kubectl >/dev/null && command -v jq >/dev/null; then
  kubectl label --local -f "$manifest" javaland-test=1 -o json > "$tmp/all.json" 2> "$tmp/kubectl.err"
  check "kubectl reads the manifest offline$( [ -s "$tmp/kubectl.err" ] && sed 's/^/  /' "$tmp/kubectl.err")" test -s "$tmp/all.json"
  kinds=$(jq -r '.kind' "$tmp/all.json" | sort | paste -sd' ')
  check "the manifest holds a ConfigMap and a DaemonSet (it holds: $kinds)" test "$kinds" = "ConfigMap DaemonSet"
  jq 'select(.kind == "DaemonSet")' "$tmp/all.json" > "$tmp/ds.json"
  kubectl set image --local -f "$tmp/ds.json" '*=typed-check' -o json > "$tmp/typed.json" 2> "$tmp/typed.err"
  dropped=$(comm -23 <(jq -c 'paths(scalars)' "$tmp/ds.json" | grep -v '"image"\]$' | sort) \
    <(jq -c 'paths(scalars)' "$tmp/typed.json" | sort) | paste -sd' ')
  check "the DaemonSet survives kubectl's API types (apps/v1) with every field${dropped:+: dropped $dropped}" \
    bash -c '[ -s "$1" ] && [ -z "$2" ]' _ "$tmp/typed.json" "$dropped"
else
  bad "kubectl or jq is missing: the manifest is not checked against Kubernetes' types"
fi
[ $fails -eq 0 ] && echo "kubernetes-test: all passed (client side only: no API server here)" || echo "kubernetes-test: $fails failed"
[ $fails -eq 0 ]
