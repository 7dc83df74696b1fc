#!/usr/bin/env bash
# The collector's load benchmark, one command: a throwaway PostgreSQL (scripts/pg.sh), the packaged collector,
# and bench/LoadGen.java on loopback at rising concurrency. Prints events/s, p50/p99 per level, and checks that
# the rows stored equal the distinct events acknowledged (nothing lost, nothing doubled).
#   collector/bench/run.sh [SECONDS_PER_LEVEL] [LEVELS...]     (default: 15 s at 1 4 16 64 connections)
# The first level is preceded by a 10 s warm-up at 8 connections (the JIT), reported on its own line.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
seconds=${1:-15}
shift || true
levels=${*:-1 4 16 64}
dup_share=${ROAR_BENCH_DUP_SHARE:-0.1}
pgdir=$here/target/pg-bench
jar=$here/target/quarkus-app/quarkus-run.jar

if [[ ! -f $jar ]]; then
  echo "== building the collector"
  (cd "$repo" && timeout 900 ./mvnw -q -B -f collector/pom.xml package -DskipTests)
fi

collector_pid=
cleanup() {
  if [[ -n $collector_pid ]]; then kill "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true; fi
  "$here/scripts/pg.sh" clean "$pgdir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$here/scripts/pg.sh" clean "$pgdir" >/dev/null
eval "$("$here/scripts/pg.sh" start "$pgdir")"
port=$(( 20000 + RANDOM % 40000 ))
echo "== collector on 127.0.0.1:$port, PostgreSQL on 127.0.0.1:$PGPORT ($(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
QUARKUS_HTTP_PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 timeout $(( seconds * 10 + 300 )) java -jar "$jar" \
  > "$here/target/bench-collector.log" 2>&1 &
collector_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null || { cat "$here/target/bench-collector.log"; exit 1; }

# CPU seconds used by the collector and this cluster's PostgreSQL processes: on a shared machine, the
# load-independent figure is CPU per event, and what 2 cores to themselves would give
pg_pids() { local pm; pm=$(head -1 "$pgdir/data/postmaster.pid"); echo "$pm $(ps --ppid "$pm" -o pid= | tr '\n' ' ')"; }
cpu_ticks() {
  local total=0 pid f
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue
    f=$(sed 's/^.*) //' "/proc/$pid/stat")
    set -- $f
    total=$(( total + ${12} + ${13} ))
  done
  echo "$total"
}
java_pids() { echo "$collector_pid $(ps --ppid "$collector_pid" -o pid= | tr '\n' ' ')"; }
java_ticks0=$(cpu_ticks $(java_pids))
pg_ticks0=$(cpu_ticks $(pg_pids))

echo "== load: $seconds s per level at $levels connections, ${dup_share} of posts repeat an acknowledged event"
out=$(mktemp)
timeout $(( seconds * 10 + 120 )) java -Xss512k "$here/bench/LoadGen.java" "http://127.0.0.1:$port/api/v1/telemetry/roar" \
  "$seconds" "$dup_share" $levels | tee "$out"
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: figures are this run's)"
echo "== the collector's own view (Micrometer): batch sizes and outcomes"
curl -fs "http://127.0.0.1:$port/q/metrics" | grep -E '^roar_collector_(batch_size_(count|sum|max)|events_total)' || true
java_ticks=$(( $(cpu_ticks $(java_pids)) - java_ticks0 ))
pg_ticks=$(( $(cpu_ticks $(pg_pids)) - pg_ticks0 ))
requests=$(sed -n 's/^total_requests=//p' "$out")
hz=$(getconf CLK_TCK)
awk -v j="$java_ticks" -v p="$pg_ticks" -v hz="$hz" -v n="$requests" 'BEGIN {
  printf "== CPU for %d requests (warm-up included): collector %.1f s, PostgreSQL %.1f s = %.2f ms per event;\n", n, j/hz, p/hz, (j+p)/hz*1000/n
  printf "   2 cores for these two alone would give about %.0f events/s (the load generator not counted)\n", 2*n/((j+p)/hz) }'
acked=$(sed -n 's/^distinct_acked=//p' "$out")
rm -f "$out"
stored=$("${ROAR_PG_BIN:-/usr/lib/postgresql/15/bin}/psql" -tAc "SELECT count(*) FROM events")
echo "== rows stored: $stored; distinct events acknowledged (204): $acked"
if [[ $stored == "$acked" ]]; then
  echo "== stored == distinct acknowledged: nothing lost, nothing doubled"
else
  echo "== MISMATCH: stored $stored != acknowledged $acked" >&2
  exit 1
fi
