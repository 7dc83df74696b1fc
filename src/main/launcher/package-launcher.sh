#!/usr/bin/env bash
# Run by `./mvnw package` after Quarkus built target/quarkus-app: installs target/roar and trains its
# start-up cache by running a real command in a throwaway install (no network: the endpoint is a
# closed loopback port). JDK 25+ (JAVA_HOME, a Temurin 25 under /usr/lib/jvm, or `java`) gets an AOT
# cache; an older JDK gets a CDS archive. Any failure here leaves a launcher that still works.
set -u
target=${1:?usage: package-launcher.sh TARGET_DIR}
src=$(cd "$(dirname "$0")" && pwd)
app=$(cd "$target/quarkus-app" 2>/dev/null && pwd -P) || { echo "[roar-launcher] no quarkus-app: skipped"; exit 0; }
install -m 0755 "$src/roar" "$target/roar"
rm -f "$app/roar.aot" "$app/roar.jsa" "$app/roar.jvm"

feature() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_java() {
  local candidates=()
  [[ -n ${ROAR_TRAINING_JAVA:-} ]] && candidates+=("$ROAR_TRAINING_JAVA")
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME/bin/java")
  for d in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]*; do [[ -x $d/bin/java ]] && candidates+=("$d/bin/java"); done
  command -v java >/dev/null && candidates+=("$(readlink -f "$(command -v java)")")
  local best= best_v=0 v
  for j in "${candidates[@]}"; do
    v=$(feature "$j"); [[ $v =~ ^[0-9]+$ ]] || continue
    (( v > best_v )) && { best=$j; best_v=$v; }
  done
  echo "$best $best_v"
}
read -r java_bin version <<<"$(pick_java)"
[[ -n $java_bin ]] || { echo "[roar-launcher] no java found: launcher without cache"; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/config/roar" "$work/cache" "$work/project/.roar"
printf '# training\n[telemetry]\nenabled = true\n' > "$work/config/roar/global.toml"
printf '[telemetry]\nenabled = true\n' > "$work/project/.roar/config.toml"
train() {
  (cd "$work/project" && env -i PATH="$PATH" HOME="$work/home" XDG_CONFIG_HOME="$work/config" \
     XDG_CACHE_HOME="$work/cache" XDG_CONFIG_DIRS="$work/etc" ROAR_TELEMETRY_ENDPOINT=http://127.0.0.1:9/t \
     "$java_bin" "$@" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:disable -Xlog:all=error:stderr \
     -jar "$app/quarkus-run.jar" run --allow-dirty -- true >/dev/null 2>"$work/train.err")
}
# a first run creates the install, so the training run exercises the steady-state path
train || true
started=$(date +%s%N)
if (( version >= 25 )); then
  train "-XX:AOTCacheOutput=$app/roar.aot" && [[ -f $app/roar.aot ]] && kind="AOT cache roar.aot"
else
  train "-XX:ArchiveClassesAtExit=$app/roar.jsa" && [[ -f $app/roar.jsa ]] && kind="CDS archive roar.jsa"
fi
if [[ -n ${kind:-} ]]; then
  echo "$java_bin" > "$app/roar.jvm"
  echo "[roar-launcher] target/roar with $kind (Java $version, $java_bin) trained in $(( ($(date +%s%N) - started) / 1000000 )) ms"
else
  echo "[roar-launcher] training failed, launcher runs without a cache:"; sed 's/^/  /' "$work/train.err" | head -5
fi
