#!/usr/bin/env bash
# Try the collector out: a throwaway PostgreSQL (scripts/pg.sh) and the collector on http://127.0.0.1:8080, in the
# foreground (Ctrl-C stops both). Point a roar at it, then read the summary or open the dashboard:
#   ROAR_TELEMETRY_ENDPOINT=http://127.0.0.1:8080/api/v1/telemetry/roar roar telemetry --flush
#   curl -H "Authorization: Bearer try-out-token" http://127.0.0.1:8080/api/v1/telemetry/roar/summary
#   http://127.0.0.1:8080/dashboard (sign in with try-out-token)
# min-installs is 1 here, so that a single try-out install is counted rather than shown as "< 5"; never publish
# figures from a collector run like this (docs/collector.md#publishing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
jar=$here/target/quarkus-app/quarkus-run.jar
if [[ ! -f $jar ]]; then
  (cd "$repo" && ./mvnw -q -B -f collector/pom.xml package -DskipTests)
fi
collector=
stop() {
  if [[ -n $collector ]]; then kill "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; fi
  "$here/scripts/pg.sh" stop
}
trap stop EXIT
trap 'exit 130' INT TERM
eval "$("$here/scripts/pg.sh" start)"
echo "PostgreSQL: $QUARKUS_DATASOURCE_JDBC_URL (files in collector/target/pg; scripts/pg.sh clean removes them)"
base=http://127.0.0.1:${QUARKUS_HTTP_PORT:-8080}
token=${ROAR_COLLECTOR_READ_TOKEN:-try-out-token}
echo "Collector:  $base/api/v1/telemetry/roar   (export ROAR_TELEMETRY_ENDPOINT=$base/api/v1/telemetry/roar)"
echo "Dashboard:  $base/dashboard   sign in with the read token: $token"
echo "Summary:    curl -H 'Authorization: Bearer $token' $base/api/v1/telemetry/roar/summary"
echo "Small groups: min-installs ${ROAR_COLLECTOR_MIN_INSTALLS:-1} (a try-out counts single installs; never publish from it)"
ROAR_COLLECTOR_READ_TOKEN=$token ROAR_COLLECTOR_MIN_INSTALLS=${ROAR_COLLECTOR_MIN_INSTALLS:-1} QUARKUS_HTTP_HOST=127.0.0.1 \
  java -jar "$jar" &
collector=$!
wait "$collector"
