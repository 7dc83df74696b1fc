#!/usr/bin/env bash
# The scale benchmark, one command: a throwaway PostgreSQL (scripts/pg.sh), a bulk load of EVENTS schema-valid
# events from INSTALLS installs over DAYS days (bench/scale-load.sql, generate_series, the rollups built
# set-based), then every summary and dashboard view timed for 90 and 365 days (bench/ViewTimer.java) while
# bench/LoadGen.java posts events to the collector at CONNECTIONS connections; database and rollup sizes.
#   collector/bench/scale.sh [EVENTS] [INSTALLS] [DAYS] [REPEAT] [CONNECTIONS]   (default 10000000 1000000 400 10 16)
# ROAR_BENCH_KEEP=1 leaves the loaded database's files (stopped) under target/pg-scale; ROAR_BENCH_REUSE=1 then
# measures that database again without loading (the arguments must be the ones it was loaded with; the collector
# migrates it first, and it is kept again). ROAR_BENCH_WARMUP (default 60) is the seconds of ingest at 8 connections
# before the measured level: the collector's JIT, and the first write of each random index page after the server's
# start (a checkpoint) carrying a full-page image, which a running server pays once per checkpoint, not per event.
# ROAR_BENCH_EXACT=0 leaves out the estimates' comparison with exact counts (minutes: each scans a window's events).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
events=${1:-10000000}
installs=${2:-1000000}
days=${3:-400}
repeat=${4:-10}
connections=${5:-16}
pgdir=$here/target/pg-scale
jar=$here/target/quarkus-app/quarkus-run.jar
bin=${ROAR_PG_BIN:-/usr/lib/postgresql/15/bin}
token=scale-bench-token

if [[ ! -f $jar ]] || [[ -n $(find "$here/src/main" -newer "$jar" -type f | head -1) ]]; then
  echo "== building the collector"
  (cd "$repo" && timeout 900 ./mvnw -q -B -o -f collector/pom.xml package -DskipTests)
fi

collector_pid=
loadgen_pid=
reuse=
cleanup() {
  if [[ -n $loadgen_pid ]]; then kill "$loadgen_pid" 2>/dev/null || true; wait "$loadgen_pid" 2>/dev/null || true; fi
  if [[ -n $collector_pid ]]; then kill "$collector_pid" 2>/dev/null || true; wait "$collector_pid" 2>/dev/null || true; fi
  if [[ ${ROAR_BENCH_KEEP:-} == 1 || -n $reuse ]]; then
    "$here/scripts/pg.sh" stop "$pgdir" >/dev/null 2>&1 || true
  else
    "$here/scripts/pg.sh" clean "$pgdir" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

if [[ ${ROAR_BENCH_REUSE:-} == 1 && -f $pgdir/created ]]; then reuse=1; else "$here/scripts/pg.sh" clean "$pgdir" >/dev/null; fi
eval "$("$here/scripts/pg.sh" start "$pgdir")"
# a bigger cache than the tests' server and room for a bulk load's WAL
"$bin/psql" -q -c "ALTER SYSTEM SET shared_buffers = '1GB'" -c "ALTER SYSTEM SET max_wal_size = '16GB'" \
  -c "ALTER SYSTEM SET checkpoint_timeout = '30min'" -c "ALTER SYSTEM SET effective_cache_size = '4GB'"
"$here/scripts/pg.sh" stop "$pgdir"
eval "$("$here/scripts/pg.sh" start "$pgdir")"

port=$(( 20000 + RANDOM % 40000 ))
echo "== collector on 127.0.0.1:$port, PostgreSQL on 127.0.0.1:$PGPORT ($(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
QUARKUS_HTTP_PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 ROAR_COLLECTOR_READ_TOKEN=$token java -jar "$jar" \
  > "$here/target/scale-collector.log" 2>&1 &
collector_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null || { cat "$here/target/scale-collector.log"; exit 1; }

if [[ -z $reuse ]]; then
  echo "== bulk load: $events events from $installs installs over $days days"
  start=$(date +%s)
  "$bin/psql" -q -v events="$events" -v installs="$installs" -v days="$days" -f "$here/bench/scale-load.sql" \
    | grep -E '^ *[0-9]+ *\| *[0-9]+ *$|Time:' | sed 's/^/   /'
  echo "== load took $(( $(date +%s) - start )) s (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
else
  echo "== reusing the database loaded before in $pgdir"
fi

echo "== schema-valid: 20 loaded events posted again are each a 204 (a duplicate, stored before)"
"$bin/psql" -tA -c "SELECT payload FROM events ORDER BY md5(event_id) LIMIT 20" | while read -r body; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$body" \
    "http://127.0.0.1:$port/api/v1/telemetry/roar")
  [[ $status == 204 ]] || { echo "   a loaded event answered $status: $body" >&2; exit 1; }
done

echo "== sizes"
rollups="'daily_events', 'daily_installs', 'daily_trigger_installs', 'received_installs', 'weekly_installs', 'weekly_triggers', 'weekly_received_installs', 'installs', 'funnel_days', 'newest_days'"
"$bin/psql" -P pager=off -c "
  SELECT 'database' AS what, pg_size_pretty(pg_database_size(current_database())) AS size, NULL::bigint AS rows
  UNION ALL SELECT 'events (all partitions, with indexes)',
         pg_size_pretty(sum(pg_total_relation_size(relid))), (SELECT count(*) FROM events)
    FROM pg_partition_tree('events')
  UNION ALL SELECT 'event_ids (dedup)', pg_size_pretty(pg_total_relation_size('event_ids')), (SELECT count(*) FROM event_ids)
  UNION ALL SELECT t, pg_size_pretty(pg_total_relation_size(t::regclass)), (xpath('/row/n/text()',
         query_to_xml('SELECT count(*) AS n FROM ' || t, false, true, '')))[1]::text::bigint FROM unnest(ARRAY[$rollups]) AS t
  UNION ALL SELECT 'rollups together', pg_size_pretty(sum(pg_total_relation_size(t::regclass))), NULL
    FROM unnest(ARRAY[$rollups]) AS t"
version=$("$bin/psql" -tA -c "SELECT version FROM daily_events GROUP BY 1 ORDER BY sum(events) DESC LIMIT 1")

# CPU seconds of a set of processes (utime + stime): what each part of the run took of the 2 cores
tree() { echo "$1 $(ps --ppid "$1" -o pid= | tr '\n' ' ')"; }
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

echo "== views for 90 and 365 days, $repeat runs each, while LoadGen posts at $connections connections"
loadgen_out=$(mktemp)
stop_file=$(mktemp -u)
warmup=${ROAR_BENCH_WARMUP:-60}
timeout 3600 java -Dwarmup="$warmup" -DstopFile="$stop_file" -Xss512k "$here/bench/LoadGen.java" "http://127.0.0.1:$port/api/v1/telemetry/roar" \
  3000 0.1 "$connections" > "$loadgen_out" 2>&1 &
loadgen_pid=$!
sleep $(( warmup + 3 ))
lib=$here/target/quarkus-app/lib/main
cp="$(ls "$here"/target/quarkus-app/app/*.jar | head -1):$(ls "$lib"/org.postgresql.postgresql-*.jar | head -1)"
collector_ticks0=$(cpu_ticks "$collector_pid")
pg_ticks0=$(cpu_ticks $(pg_pids))
loadgen_ticks0=$(cpu_ticks $(tree "$loadgen_pid"))
views_start=$(date +%s%N)
java -cp "$cp" "$here/bench/ViewTimer.java" "$QUARKUS_DATASOURCE_JDBC_URL" \
  "http://127.0.0.1:$port/api/v1/telemetry/roar/summary" "$token" "$repeat" "$version" 90 365 &
timer_pid=$!
timer_ticks=0
while kill -0 "$timer_pid" 2>/dev/null; do
  t=$(cpu_ticks "$timer_pid"); [[ $t -gt 0 ]] && timer_ticks=$t
  sleep 0.5
done
wait "$timer_pid"
hz=$(getconf CLK_TCK)
awk -v c=$(( $(cpu_ticks "$collector_pid") - collector_ticks0 )) -v p=$(( $(cpu_ticks $(pg_pids)) - pg_ticks0 )) \
    -v l=$(( $(cpu_ticks $(tree "$loadgen_pid")) - loadgen_ticks0 )) -v v="$timer_ticks" -v hz="$hz" \
    -v s="$(( ($(date +%s%N) - views_start) / 1000000 ))" 'BEGIN {
  printf "== CPU while the views ran (%.0f s, %.0f core-seconds on 2 cores): collector %.0f s, PostgreSQL %.0f s (its\n", s/1000, 2*s/1000, c/hz, p/hz
  printf "   writers and the views'"'"' queries), LoadGen %.0f s, ViewTimer %.0f s (JDBC, HTTP client, JIT); the rest idle or others'"'"'\n", l/hz, v/hz }'
echo "== ingest while the views ran (LoadGen, stopped when they finished; the line after the warm-up is its figure)"
touch "$stop_file"
wait "$loadgen_pid" || true
rm -f "$stop_file"
loadgen_pid=
cat "$loadgen_out"
rm -f "$loadgen_out"
echo "== the collector's own view (Micrometer)"
curl -fs "http://127.0.0.1:$port/q/metrics" | grep -E '^roar_collector_(batch_size_(count|sum|max)|events_total)' || true
echo "== the distinct-install estimates against exact counts over the events (not timed: each scans the window's events)"
for days in 90 365; do
  [[ ${ROAR_BENCH_EXACT:-1} == 0 ]] && break
  "$bin/psql" -P pager=off -c "
    WITH bounds AS (SELECT (now() AT TIME ZONE 'UTC')::date - $days + 1 AS from_day),
    exact AS (SELECT coalesce(version, 'all versions') AS what, count(DISTINCT install_id) AS exact FROM events, bounds
              WHERE trigger_ts >= from_day::timestamp AT TIME ZONE 'UTC' GROUP BY GROUPING SETS ((), (version))),
    estimated AS (SELECT coalesce(version, 'all versions') AS what, round(hll_cardinality(hll_union_agg(installs))) AS estimate
                  FROM daily_installs, bounds WHERE day >= from_day GROUP BY GROUPING SETS ((), (version)))
    SELECT '$days days' AS window, what AS installs_seen, exact, estimate::bigint,
           round((100 * (estimate - exact) / exact)::numeric, 2) AS error_percent
    FROM exact JOIN estimated USING (what) ORDER BY exact DESC LIMIT 6"
done
echo "== load average after the run: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: figures are this run's)"
