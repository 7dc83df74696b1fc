#!/usr/bin/env bash
# The installed launcher's figures (docs/performance.md#the-installed-launcher): `roar telemetry --status`
# through the distribution's bin/roar on its second run (the start-up cache made by the first), against
# plain `java -jar quarkus-run.jar telemetry --status` on the same JDK, interleaved in one run.
#   bash bench/launcher.sh [RUNS]      # default 15 rounds; needs target/roar-<version>.tar.gz
# Environment: ROAR_BENCH_JDKS (space-separated JDK homes; default: the JDK 17 and 25 under /usr/lib/jvm).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
tarball=${ROAR_BENCH_TARBALL:-$(ls target/roar-*.tar.gz 2>/dev/null | head -1 || true)}
[[ -n $tarball ]] || { echo "bench: no target/roar-*.tar.gz; run ./mvnw -B package -DskipTests" >&2; exit 1; }
jdks=${ROAR_BENCH_JDKS:-"$(ls -d /usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -1) $(ls -d /usr/lib/jvm/temurin-25-* 2>/dev/null | head -1)"}

work=$(mktemp -d "${TMPDIR:-/tmp}/roar-launcher-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar xzf "$tarball" -C "$work"
home=$(echo "$work"/roar-*)
mkdir -p "$work/bin" "$work/cwd"
ln -s "$home/bin/roar" "$work/bin/roar"

ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
printf '%-28s %10s %10s %8s %s\n' "JDK" "bin/roar" "java -jar" "ratio" "cache"
for jdk in $jdks; do
  [[ -x $jdk/bin/java ]] || continue
  u=$work/user-$(basename "$jdk")
  mkdir -p "$u/home" "$u/config" "$u/cache"
  run_env=(env -i PATH="$work/bin:/usr/bin:/bin" HOME="$u/home" XDG_CONFIG_HOME="$u/config" XDG_CACHE_HOME="$u/cache"
           JAVA_HOME="$jdk" DO_NOT_TRACK=1)
  # first run: makes the cache in the background; wait for it (at most 3 minutes)
  (cd "$work/cwd" && "${run_env[@]}" roar telemetry --status >/dev/null 2>&1)
  for _ in $(seq 360); do
    ls "$u/cache/roar/jvm/"*.aot "$u/cache/roar/jvm/"*.jsa >/dev/null 2>&1 && ! ls -d "$u/cache/roar/jvm/"*.lock >/dev/null 2>&1 && break
    sleep 0.5
  done
  cache=$(cd "$u/cache/roar/jvm" 2>/dev/null && ls *.aot *.jsa 2>/dev/null | sed 's/.*-java-//' | head -1 || true)
  launcher=() plain=()
  for _ in $(seq "$runs"); do
    launcher+=("$(cd "$work/cwd" && ms "${run_env[@]}" roar telemetry --status)")
    plain+=("$(cd "$work/cwd" && ms "${run_env[@]}" "$jdk/bin/java" -jar "$home/lib/quarkus-app/quarkus-run.jar" telemetry --status)")
  done
  l=$(printf '%s\n' "${launcher[@]}" | median)
  p=$(printf '%s\n' "${plain[@]}" | median)
  printf '%-28s %8s ms %8s ms %8s %s\n' "$(basename "$jdk")" "$l" "$p" "$(awk -v a="$l" -v b="$p" 'BEGIN {printf "%.2f", a / b}')" \
    "${cache:-(none made)}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
