#!/usr/bin/env bash
# The performance benchmark of docs/performance.md, separate from the tests:
#   bash bench/run.sh            # builds if needed, then every figure (about 6-10 minutes)
#   bash bench/run.sh --quick    # fewer runs and iterations, to try it out
# Whole-process figures: bench/whole.py (interleaved runs, JVM floor in the same run); with a native
# executable at target/roar-<version>-runner (docs/native.md: built by GraalVM/Mandrel, or the native check here
# linked by its link tool, docs/development.md) its figures run in the same rounds. It is never built here.
# The framework floors (bench/floor.sh: an empty Quarkus picocli app behind the same launcher, with
# and without the REST client extension) run in the same rounds as roar's --status.
# Where the start goes: bench/profile.py (classes loaded per area, Quarkus' boot steps).
# In-process figures: JMH, benchmark classes in src/test/java/ai/treqs/roar/bench.
# The uploader against both server kinds (keep-alive, and Python's HTTP/1.0 http.server with backlog 5):
# bench/uploader-sinks.sh.
# Results: target/bench/whole.json, target/bench/jmh.json (and jmh-tmpfs.json: the same on /dev/shm,
# where fsync is free, to separate the code's cost from the disk's); the summary table is printed last.
# Environment: ROAR_BENCH_RUNS (whole-process runs per variant, default 15), ROAR_BENCH_JAVA17 (a JDK 17
# java, found under /usr/lib/jvm otherwise), ROAR_BENCH_TMP (where throwaway installs go, default /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${ROAR_BENCH_RUNS:-15}
jmh=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
flush_runs=5
sink_rounds=3
if [[ ${1:-} == --quick ]]; then
  runs=${ROAR_BENCH_RUNS:-5}
  jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
  flush_runs=2
  sink_rounds=1
fi
mkdir -p target/bench

# build when the launcher, the app or the compiled benchmarks are missing or older than the sources
stale=$(find src pom.xml -newer target/roar -type f -print -quit 2>/dev/null || echo missing)
if [[ ! -x target/roar || ! -f target/quarkus-app/quarkus-run.jar || ! -f target/test-classes/META-INF/BenchmarkList \
      || -n $stale ]]; then
  echo "== building (./mvnw -q -B package -DskipTests)"
  ./mvnw -q -B package -DskipTests
fi
if [[ ! -s target/bench/classpath.txt || pom.xml -nt target/bench/classpath.txt ]]; then
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
fi

native=$(ls -t target/roar-*-runner 2>/dev/null | head -1 || true)
if [[ -n $native && $(head -c 4 "$native" | od -An -c | tr -d ' ') == 177ELF ]]; then
  echo "== native executable: $native ($(date -u -r "$native" '+%F %H:%M UTC'))"
  stale_native=$(find src/main pom.xml -newer "$native" -type f -print -quit)
  [[ -z $stale_native ]] || echo "== note: $stale_native is newer than the native executable (rebuild: docs/native.md)"
else
  echo "== no native executable (target/roar-*-runner missing or the native check's placeholder): JVM figures only"
fi
echo "== framework floors (bench/floor.sh; built once, about a minute)"
bash bench/floor.sh
echo "== load before: $(uptime)"
echo "== whole-process figures ($runs interleaved runs each)"
python3 bench/whole.py --runs "$runs" --flush-runs "$flush_runs"
echo "== start-up profile"
python3 bench/profile.py --runs "$flush_runs"

# JMH on the JDK the launcher runs (java on PATH, as whole.py's scrubbed environment has no JAVA_HOME), default flags
java_bin=$(command -v java)
echo "== in-process figures (JMH, $java_bin)"
"$java_bin" -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" org.openjdk.jmh.Main \
  "${jmh[@]}" -rf json -rff target/bench/jmh.json 'ai\.treqs\.roar\.bench\..*' > target/bench/jmh.log 2>&1 \
  || { tail -40 target/bench/jmh.log; exit 1; }
grep -E '^(Benchmark|[A-Za-z]+Bench\.[A-Za-z]+ )' target/bench/jmh.log || true
# the same on tmpfs, where fsync costs nothing: what the code itself costs, apart from the disk
if [[ -d /dev/shm && -w /dev/shm ]]; then
  echo "== in-process figures on tmpfs (/dev/shm: no disk wait)"
  "$java_bin" -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" org.openjdk.jmh.Main \
    "${jmh[@]}" -jvmArgsAppend -Droar.bench.dir=/dev/shm -rf json -rff target/bench/jmh-tmpfs.json \
    'ai\.treqs\.roar\.bench\..*' > target/bench/jmh-tmpfs.log 2>&1 || { tail -40 target/bench/jmh-tmpfs.log; exit 1; }
  grep -E '^(Benchmark|[A-Za-z]+Bench\.[A-Za-z]+ )' target/bench/jmh-tmpfs.log || true
fi

echo "== uploader, 1,000 events, against both server kinds ($sink_rounds rounds)"
bash bench/uploader-sinks.sh "$sink_rounds"

echo "== load after: $(uptime)"
python3 bench/report.py
