#!/usr/bin/env bash
# test-package.sh DEB TARBALL: checks a built package (run by `./javaland test` after
# `./javaland package`, about a minute). Checks the .deb's files, conffiles and dependencies;
# unpacks the tarball in a temporary directory and runs the installed javaland from it with no
# JDK on the PATH; installs, runs, removes and purges the .deb in an empty dpkg root; checks the slot guard against a stand-in sysfs; and verifies the units with
# systemd-analyze where it exists (offline: no real systemd runs the units on this host).
set -uo pipefail
deb=${1:?usage: test-package.sh DEB TARBALL}
tgz=${2:?usage: test-package.sh DEB TARBALL}
fails=0
ok() { echo "package-test: ok: $*"; }
bad() { echo "package-test: FAIL: $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/javaland ./usr/lib/javaland/javaland.jar ./usr/lib/javaland/runtime/bin/java \
    ./usr/lib/javaland/javaland.bpf.o ./usr/lib/javaland/libbpf.so.1 ./usr/lib/javaland/slot-check \
    ./usr/lib/systemd/system/javaland.service ./usr/lib/systemd/system/javaland-learner.service \
    ./etc/javaland/javaland.yaml ./usr/share/bash-completion/completions/javaland ./usr/share/man/man1/javaland.1.gz \
    ./usr/share/javaland/prometheus/prometheus.yml ./usr/share/javaland/prometheus/javaland-rules.yml; do
  check "deb holds $f" grep -q " $f\$" <<<"$contents"
done
check "deb holds no JDK tools (javac, jlink)" bash -c '! grep -qE "/bin/(javac|jlink|jdeps)$" <<<"$1"' _ "$contents"
check "deb holds no build tools (mvn, clang)" bash -c '! grep -qE "(mvnw|clang|/src/)" <<<"$1"' _ "$contents"
check "conffiles: /etc/javaland/javaland.yaml" test "$(dpkg-deb -f "$deb" Package >/dev/null; dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/javaland/javaland.yaml
check "control holds prerm and postrm (stop the units, purge the state)" bash -c 'dpkg-deb --ctrl-tarfile "$1" | tar -t | grep -qx ./prerm && dpkg-deb --ctrl-tarfile "$1" | tar -t | grep -qx ./postrm' _ "$deb"
check "depends on libelf1 and zlib1g, no JDK" bash -c 'd=$(dpkg-deb -f "$1" Depends); [[ $d == *libelf1* && $d == *zlib1g* && $d != *jdk* && $d != *java* ]]' _ "$deb"
check "deb and tarball hold the same files" bash -c 'diff <(dpkg-deb -c "$1" | awk "{print \$6}" | sort) <(tar -tzf "$2" | sort) >/dev/null' _ "$deb" "$tgz"

mkdir -p "$tmp/inst" "$tmp/bin" "$tmp/home"
tar -C "$tmp/inst" -xzf "$tgz"
# a PATH with the few tools the wrapper uses and no java at all
for tool in sh dirname readlink cat; do ln -s "$(command -v $tool)" "$tmp/bin/$tool"; done
inst() { env -i HOME="$tmp/home" PATH="$tmp/bin" "$tmp/inst/usr/bin/javaland" "$@"; }
check "no java on the test PATH" bash -c '! PATH="$1" command -v java' _ "$tmp/bin"
inst --help >"$tmp/help.out" 2>&1
check "installed javaland --help exits 0" test $? -eq 0
check "installed javaland --help lists run" grep -q "  run " "$tmp/help.out"
inst run --sim --duration 3s --no-learner --http-port 0 >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
check "installed javaland run --sim --duration 3s --no-learner exits 0 (rc $rc)" test $rc -eq 0
check "installed run printed JAVALAND_STATS last" bash -c 'tail -n 1 "$1" | grep -q "^JAVALAND_STATS {"' _ "$tmp/run.out"
check "installed run used the bundled runtime" bash -c '! grep -q "no JDK" "$1"' _ "$tmp/run.err"
inst run --config "$tmp/nope.yaml" --sim --duration 1s >/dev/null 2>&1
check "installed run with a missing --config exits 2" test $? -eq 2
check "man page renders" bash -c 'zcat "$1" | grep -q "^.SH JAVALAND RUN"' _ "$tmp/inst/usr/share/man/man1/javaland.1.gz"
check "bash completion knows run --config" grep -q -- "--config" "$tmp/inst/usr/share/bash-completion/completions/javaland"
check "bash completion knows the stats command" grep -q -- "stats" "$tmp/inst/usr/share/bash-completion/completions/javaland"
if command -v promtool >/dev/null; then
  check "promtool check config on the installed prometheus.yml and its rules" \
    bash -c 'promtool check config "$1" >/dev/null 2>&1' _ "$tmp/inst/usr/share/javaland/prometheus/prometheus.yml"
else
  bad "promtool missing: install Debian's prometheus package (./javaland deps) to check the installed rules"
fi

# dpkg: install into an empty root (its database knows no other package, so dependencies are
# forced: this is not a fresh Debian root), run it from there, remove, purge
dr=$tmp/dpkgroot
mkdir -p "$dr/var/lib/dpkg/updates" "$dr/var/lib/dpkg/info" && touch "$dr/var/lib/dpkg/status" "$dr/var/lib/dpkg/available"
dpk() { dpkg --root="$dr" --force-depends --force-script-chrootless --force-not-root "$@" >"$tmp/dpkg.out" 2>&1; }
dpk -i "$deb"
check "dpkg -i into an empty root" test $? -eq 0
check "dpkg lists javaland installed" bash -c 'dpkg --root="$1" -l javaland | grep -q "^ii  javaland"' _ "$dr"
env -i HOME="$tmp/home" PATH="$tmp/bin" "$dr/usr/bin/javaland" version >"$tmp/version.out" 2>&1
check "the dpkg-installed javaland version runs with no JDK (exit 0)" test $? -eq 0
check "javaland version names itself" grep -q "^javaland " "$tmp/version.out"
dpk -r javaland
check "after dpkg -r only the conffile is left" test "$(cd "$dr" && find . -type f -not -path './var/lib/dpkg/*')" = ./etc/javaland/javaland.yaml
dpk -P javaland
check "after dpkg -P nothing is left" test -z "$(cd "$dr" && find . -type f -not -path './var/lib/dpkg/*')"

# the slot guard of javaland.service, against stand-ins for /sys/kernel/sched_ext
guard=$tmp/inst/usr/lib/javaland/slot-check
mkdir -p "$tmp/scx/root"; echo disabled > "$tmp/scx/state"
check "slot-check passes when sched_ext is free" env SCX_SYSFS="$tmp/scx" "$guard"
echo enabled > "$tmp/scx/state"; echo scx_rusty > "$tmp/scx/root/ops"
SCX_SYSFS="$tmp/scx" "$guard" 2>"$tmp/guard.err"
check "slot-check refuses (exit 1) when scx_rusty holds the slot" test $? -eq 1
check "slot-check names the other scheduler" grep -q "scx_rusty" "$tmp/guard.err"
check "slot-check refuses without sched_ext" bash -c '! SCX_SYSFS="$1/none" "$2" 2>/dev/null' _ "$tmp" "$guard"

if command -v systemd-analyze >/dev/null; then
  # offline verification only: no real systemd runs these units on this host. The host's targets
  # stand in for the installed system's (the units' After=/WantedBy= name them).
  units=$tmp/inst/usr/lib/systemd/system
  for u in /usr/lib/systemd/system/*.target; do [ -e "$units/${u##*/}" ] || cp "$u" "$units/"; done
  v=$(systemd-analyze verify --man=no --root="$tmp/inst" "$units/javaland.service" "$units/javaland-learner.service" 2>&1)
  check "systemd-analyze verify (offline, no systemd runs the units here): no complaints${v:+: $v}" test -z "$v"
else
  echo "package-test: skipped: systemd-analyze is not installed"
fi
[ $fails -eq 0 ] && echo "package-test: all passed" || echo "package-test: $fails failed"
[ $fails -eq 0 ]
