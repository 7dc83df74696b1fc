#!/usr/bin/env bash
# Try the collector out: a throwaway PostgreSQL (scripts/pg.sh) and the collector on http://127.0.0.1:8080 (another
# port: QUARKUS_HTTP_PORT=8081 collector/scripts/try.sh), in the foreground (Ctrl-C stops both). Point a roar at it,
# then read the summary or open the dashboard:
#   ROAR_TELEMETRY_ENDPOINT=http://127.0.0.1:8080/api/v1/telemetry/roar roar telemetry --flush
#   curl -H "Authorization: Bearer try-out-token" http://127.0.0.1:8080/api/v1/telemetry/roar/summary
#   http://127.0.0.1:8080/dashboard (sign in with try-out-token)
# min-installs is 1 here, so that a single try-out install is counted rather than shown as "< 5"; never publish
# figures from a collector run like this (docs/collector.md#publishing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
jar=$here/target/quarkus-app/quarkus-run.jar
port=${QUARKUS_HTTP_PORT:-8080}
token=${ROAR_COLLECTOR_READ_TOKEN:-try-out-token}
say() { echo "try.sh: $*"; }

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  say "port $port is in use: choose another with QUARKUS_HTTP_PORT=8081 $0" >&2
  exit 2
fi
if [[ ! -f $jar ]]; then
  say "building the collector (./mvnw -f collector/pom.xml package; the first build downloads and takes minutes)"
  (cd "$repo" && ./mvnw -B -ntp -f collector/pom.xml package -DskipTests) || { say "the build failed (Maven's output above)" >&2; exit 1; }
fi
collector=
stop() {
  if [[ -n $collector ]]; then kill "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; fi
  "$here/scripts/pg.sh" stop
}
trap stop EXIT
trap 'exit 130' INT TERM
say "starting PostgreSQL (collector/scripts/pg.sh start)"
eval "$("$here/scripts/pg.sh" start)"
echo "PostgreSQL: $QUARKUS_DATASOURCE_JDBC_URL (files in collector/target/pg; scripts/pg.sh clean removes them)"
echo "            the collector reads this URL once: after pg.sh stop/start on another port, restart try.sh"
echo "Collector:  http://127.0.0.1:$port/api/v1/telemetry/roar   (port: QUARKUS_HTTP_PORT, now $port)"
echo "Summary:    curl -H 'Authorization: Bearer $token' http://127.0.0.1:$port/api/v1/telemetry/roar/summary"
echo "roar:       ROAR_TELEMETRY_ENDPOINT=http://127.0.0.1:$port/api/v1/telemetry/roar roar telemetry --flush"
echo "Dashboard:  http://127.0.0.1:$port/dashboard   sign in with the read token: $token"
echo "Small groups: min-installs ${ROAR_COLLECTOR_MIN_INSTALLS:-1} (a try-out counts single installs; never publish from it)"
say "starting the collector (Ctrl-C stops it and PostgreSQL)"
ROAR_COLLECTOR_READ_TOKEN=$token ROAR_COLLECTOR_MIN_INSTALLS=${ROAR_COLLECTOR_MIN_INSTALLS:-1} QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_HTTP_PORT=$port java -jar "$jar" &
collector=$!
wait "$collector"
