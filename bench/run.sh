#!/usr/bin/env bash
# The performance benchmark of docs/performance.md: every figure of its table from one run, each beside its
# reference measured in the same run, interleaved; separate from the tests.
#   bash bench/run.sh                 # builds the JVM application if needed, then every figure
#   bash bench/run.sh --quick         # fewer rounds and JMH iterations: within 10 minutes on a quiet machine
#   bash bench/run.sh --native        # first (re)builds and links the native executable with the native-image
#                                     # check that ROAR_NATIVE_CHECK names (docs/development.md#tests)
# The native executable is target/roar-<version>-runner when it is a real executable (GraalVM/Mandrel, or the
# native check's object linked by $ROAR_NATIVE_CHECK/link/link.sh): its figures run in the same rounds as the
# JVM's. Without --native nothing native is built; a placeholder left by the check alone is linked when
# ROAR_NATIVE_CHECK is set.
# Parts: bench/floor.sh (the empty framework app, built once), bench/whole.py (whole processes, the upload run
# and the uploader against both sinks, bench/uploads.py), JMH (src/test/java/ai/treqs/roar/bench), then
# bench/report.py prints the table. With --profile also bench/profile.py (where the start goes).
# Environment: ROAR_BENCH_RUNS (interleaved rounds, default 15, --quick 5), ROAR_BENCH_PYTHON_ROAR (the Python
# original's roar command, for its rows), ROAR_BENCH_JAVA17 / ROAR_BENCH_JAVA25 (a JDK's java; found under
# /usr/lib/jvm otherwise), ROAR_BENCH_TMP (where throwaway installs go, default /tmp), ROAR_NATIVE_CHECK.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${ROAR_BENCH_RUNS:-15}
jmh=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
upload_runs=5
sink_rounds=2
build_native=false
profile=false
for arg in "$@"; do
  case $arg in
    --quick) runs=${ROAR_BENCH_RUNS:-5}; jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s); upload_runs=3; sink_rounds=1 ;;
    --native) build_native=true ;;
    --profile) profile=true ;;
    *) echo "usage: bash bench/run.sh [--quick] [--native] [--profile]" >&2; exit 2 ;;
  esac
done
mkdir -p target/bench
echo "== roar benchmark, $(date -u '+%F %H:%M:%S UTC'), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

if $build_native; then
  [[ -n ${ROAR_NATIVE_CHECK:-} && -x $ROAR_NATIVE_CHECK/setup.sh ]] \
    || { echo "bench: --native needs ROAR_NATIVE_CHECK, the native-image check's directory (docs/development.md#tests)" >&2; exit 2; }
  echo "== building the native executable (native-image check + link; minutes)"
  eval "$("$ROAR_NATIVE_CHECK/setup.sh")"
  ./mvnw -q -B package -Dnative -DskipTests
  "$ROAR_NATIVE_CHECK/link/link.sh"
fi

# build when the launcher, the app, the distribution or the compiled benchmarks are missing or older than the sources
stale=$(find src pom.xml -newer target/roar -type f -print -quit 2>/dev/null || echo missing)
if [[ ! -x target/roar || ! -f target/quarkus-app/quarkus-run.jar || ! -f target/test-classes/META-INF/BenchmarkList \
      || -z $(ls target/roar-*.tar.gz 2>/dev/null) || -n $stale ]]; then
  echo "== building (./mvnw -q -B package -DskipTests)"
  ./mvnw -q -B package -DskipTests
fi
if [[ ! -s target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt ]]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
fi

native=$(ls -t target/roar-*-runner 2>/dev/null | head -1 || true)
is_elf() { [[ $(head -c 4 "$1" | od -An -c | tr -d ' ') == 177ELF ]]; }
if [[ -n $native ]] && ! is_elf "$native" && [[ -n ${ROAR_NATIVE_CHECK:-} && -x $ROAR_NATIVE_CHECK/link/link.sh ]]; then
  echo "== linking the native check's object ($ROAR_NATIVE_CHECK/link/link.sh)"
  "$ROAR_NATIVE_CHECK/link/link.sh" || true
fi
if [[ -n $native ]] && is_elf "$native"; then
  echo "== native executable: $native ($(date -u -r "$native" '+%F %H:%M UTC'))"
  stale_native=$(find src/main pom.xml -newer "$native" -type f -print -quit)
  [[ -z $stale_native ]] || echo "== note: $stale_native is newer than the native executable (bash bench/run.sh --native)"
else
  echo "== no native executable (target/roar-*-runner missing or the native check's placeholder): its rows say n/a"
fi
echo "== framework floors (bench/floor.sh; built once, about a minute)"
bash bench/floor.sh > /dev/null

python3 bench/whole.py --runs "$runs" --upload-runs "$upload_runs" --sink-rounds "$sink_rounds"
if $profile; then
  echo "== start-up profile"
  python3 bench/profile.py --runs 5
fi

# JMH on the JDK the launcher runs (java on PATH, as whole.py's scrubbed environment has no JAVA_HOME), default flags;
# once on the disk and once on tmpfs (/dev/shm), where fsync costs nothing: the code's own cost apart from the disk's
java_bin=$(command -v java)
for where in disk tmpfs; do
  out=jmh; extra=()
  if [[ $where == tmpfs ]]; then
    [[ -d /dev/shm && -w /dev/shm ]] || continue
    out=jmh-tmpfs; extra=(-jvmArgsAppend -Droar.bench.dir=/dev/shm)
  fi
  echo "== in-process figures (JMH on $where, $java_bin)"
  "$java_bin" -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" org.openjdk.jmh.Main \
    "${jmh[@]}" "${extra[@]}" -rf json -rff "target/bench/$out.json" 'ai\.treqs\.roar\.bench\..*' \
    > "target/bench/$out.log" 2>&1 || { tail -40 "target/bench/$out.log"; exit 1; }
done

echo
python3 bench/report.py | tee target/bench/report.txt
