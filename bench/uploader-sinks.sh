#!/usr/bin/env bash
# Uploader throughput against both server kinds (docs/performance.md#uploader-against-both-server-kinds), side by side in one run:
#   bash bench/uploader-sinks.sh [rounds]      (default 3; needs target/quarkus-app, python3)
# Each round, for each sink (order rotated): a fresh install with 1,000 queued events (3 real ones made by
# `roar init`, the rest copies with new ids), then `roar telemetry --flush` to the sink (bench/sink.py).
# events/s = (requests - 1) / (last POST read - first POST read), on the sink's clock; JVM start excluded.
# Also printed: delivered/distinct/requests (nothing lost or sent twice), connections, the most open at once.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
jar=target/quarkus-app/quarkus-run.jar
[[ -f $jar ]] || { echo "build first: ./mvnw -q -B package -DskipTests" >&2; exit 1; }
tmp=$(mktemp -d "${ROAR_BENCH_TMP:-/tmp}/roar-sinks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

roar() { # roar <root> <endpoint> args...
  local root=$1 endpoint=$2; shift 2
  (cd "$root/work" && env -i PATH="$PATH" LANG=C.UTF-8 HOME="$root/home" XDG_CONFIG_HOME="$root/config" \
    XDG_CACHE_HOME="$root/cache" XDG_CONFIG_DIRS="$root/etc" ROAR_TELEMETRY_ENDPOINT="$endpoint" \
    timeout 120 java -XX:TieredStopAtLevel=1 -jar "$OLDPWD/$jar" "$@")
}

seed() { # a fresh install with 1,000 queued events
  local root=$1
  mkdir -p "$root/home" "$root/work"
  roar "$root" http://127.0.0.1:9/t init --no-gitignore > /dev/null
  for _ in $(seq 1 200); do [[ -f $root/cache/roar/telemetry/last-attempt ]] && break; sleep 0.1; done
  python3 - "$root/cache/roar/telemetry/queue" <<'PY'
import json, os, sys, uuid
q = sys.argv[1]
names = sorted(os.listdir(q))
template = next(open(os.path.join(q, n), "rb").read() for n in names
                if json.loads(open(os.path.join(q, n), "rb").read())["trigger"] == "init")
old = json.loads(template)["event_id"]
for i in range(1000 - len(names)):
    new = str(uuid.uuid4())
    with open(os.path.join(q, new + ".json"), "wb") as f:
        f.write(template.replace(old.encode(), new.encode()))
PY
}

kinds=(keepalive http10)
echo "== load before: $(uptime)"
printf '%-10s %5s  %10s  %-40s %s\n' sink round events/s "delivered/distinct/requests conn max_open" "--flush said"
for round in $(seq 1 "$rounds"); do
  for k in "${kinds[@]}"; do
    root="$tmp/$k-$round"
    seed "$root"
    coproc SINK { python3 bench/sink.py "$k"; }
    read -r url <&"${SINK[0]}"
    said=$(roar "$root" "$url" telemetry --flush | head -1)
    exec {w}>&"${SINK[1]}"; exec {w}>&-; exec {SINK[1]}>&-
    read -r stats <&"${SINK[0]}"
    wait "$SINK_PID" 2>/dev/null || true
    python3 - "$k" "$round" "$stats" "$said" <<'PY'
import json, sys
k, r, s, said = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
span = s["last"] - s["first"]
rate = (s["requests"] - 1) / span if span > 0 else 0
delivered = int(said.split()[1].rstrip(",")) if said.startswith("Uploaded") else -1
print("%-10s %5s  %10s  %-40s %s" % (k, r, "{:,.0f}".format(rate),
      "%d/%d/%d %d %d" % (delivered, s["distinct"], s["requests"], s["connections"], s["max_open"]), said))
PY
  done
  kinds=("${kinds[1]}" "${kinds[0]}")
done
echo "== load after: $(uptime)"
