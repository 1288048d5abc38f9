#!/usr/bin/env bash
# Records which build this is: build-info.sh OUTFILE VERSION SOURCE_ROOT
# Writes a Java properties file with version, commit (git rev-parse HEAD of SOURCE_ROOT), dirty
# (tracked files differ from that commit) and note (why the commit is unknown, if it is). Run by
# Maven in the models module (generate-resources); javaland.models.registry.BuildInfo reads it, so
# a jar knows the commit it was built from. Never fails the build: without git or outside a
# checkout it writes commit=unknown and says why.
set -uo pipefail
out=${1:?usage: build-info.sh OUTFILE VERSION SOURCE_ROOT}
version=${2:?usage: build-info.sh OUTFILE VERSION SOURCE_ROOT}
root=${3:?usage: build-info.sh OUTFILE VERSION SOURCE_ROOT}
root=$(cd "$root" && pwd -P)
mkdir -p "$(dirname "$out")"
trap 'rm -f "$out.err.$$"' EXIT

commit=unknown dirty=false note=""
if ! command -v git >/dev/null 2>&1; then
  note="git is not installed where it was built"
elif ! top=$(git -C "$root" rev-parse --show-toplevel 2>"$out.err.$$"); then
  why=$(head -n 1 "$out.err.$$" 2>/dev/null)
  case "$why" in
    *"not a git repository"*|"") note="not built from a git checkout" ;;
    *) note="git could not read the checkout: $why" ;;
  esac
elif [ "$(cd "$top" && pwd -P)" != "$root" ]; then
  note="not built from a git checkout of javaland (the enclosing repository at $top is another one)"
elif ! head=$(git -C "$root" rev-parse --verify -q HEAD 2>/dev/null); then
  note="a git checkout without a commit yet"
else
  commit=$head
  if ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then
    dirty=true
    note="tracked files differed from the commit when it was built"
  fi
fi

tmp="$out.tmp.$$"
{
  echo "# written by scripts/build-info.sh at build time"
  echo "version=$version"
  echo "commit=$commit"
  echo "dirty=$dirty"
  # properties escape: backslashes first, then nothing else our notes contain needs it
  echo "note=${note//\\/\\\\}"
} >"$tmp" && mv -f "$tmp" "$out"
