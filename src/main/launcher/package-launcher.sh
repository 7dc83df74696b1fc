#!/usr/bin/env bash
# Run by `./mvnw package` after Quarkus built target/quarkus-app: installs target/roar (the same script
# as the distribution's bin/roar), stamps the build (quarkus-app/roar.build: the launcher keys its
# start-up cache by it), and makes picocli's old class files archivable. No start-up cache is made here:
# the launcher makes one on the user's machine for the Java that runs it.
# Usage: package-launcher.sh TARGET_DIR VERSION [SKIP_UPGRADE]
set -u
target=${1:?usage: package-launcher.sh TARGET_DIR VERSION [SKIP_UPGRADE]}
version=${2:?usage: package-launcher.sh TARGET_DIR VERSION [SKIP_UPGRADE]}
skip_upgrade=${3:-false}
src=$(cd "$(dirname "$0")" && pwd)
app=$(cd "$target/quarkus-app" 2>/dev/null && pwd -P) || { echo "[roar-launcher] no quarkus-app: skipped"; exit 0; }
install -m 0755 "$src/roar" "$target/roar"
rm -f "$app/roar.aot" "$app/roar.jsa" "$app/roar.jvm"
# no '-' in the stamp: the launcher splits its cache names there
printf '%s.%s.%s\n' "${version//-/_}" "$(date -u +%Y%m%dT%H%M%S)" "$RANDOM$RANDOM" > "$app/roar.build"

[[ $skip_upgrade == true ]] && { echo "[roar-launcher] target/roar installed; class file upgrade skipped"; exit 0; }

feature() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_java() {
  local candidates=()
  [[ -n ${ROAR_TRAINING_JAVA:-} ]] && candidates+=("$ROAR_TRAINING_JAVA")
  [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME/bin/java")
  for d in /usr/lib/jvm/temurin-2[4-9]* /usr/lib/jvm/*-2[4-9]*; do [[ -x $d/bin/java ]] && candidates+=("$d/bin/java"); done
  command -v java >/dev/null && candidates+=("$(command -v java)")
  local best= best_v=0 v
  for j in "${candidates[@]}"; do
    v=$(feature "$j"); [[ $v =~ ^[0-9]+$ ]] || continue
    (( v > best_v )) && { best=$j; best_v=$v; }
  done
  echo "$best $best_v"
}
read -r java_bin java_version <<<"$(pick_java)"

# picocli ships Java 5 class files, which no CDS archive or AOT cache can hold (nor any class implementing
# one of their interfaces): rewritten as Java 8 class files they can (UpgradeClassFiles.java, JDK 24+).
# The jars rewritten are the copies in quarkus-app/lib, never the local Maven repository's.
if [[ -n $java_bin ]] && (( java_version >= 24 )); then
  "$java_bin" -Xlog:disable -Xlog:all=error:stderr "$src/UpgradeClassFiles.java" "$app"/lib/main/*.jar \
    && echo "[roar-launcher] target/roar installed; class files upgraded with Java $java_version" \
    || echo "[roar-launcher] class file upgrade failed: jars left as they were"
else
  echo "[roar-launcher] target/roar installed; no Java 24+ for the class file upgrade: jars left as they were"
fi
