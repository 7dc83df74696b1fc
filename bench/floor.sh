#!/usr/bin/env bash
# Builds the framework floor (bench/floor: a Quarkus picocli app that does nothing) twice, with and
# without the REST client extension, each with roar's launcher beside it (target/roar), as roar's own package
# does. Prints the launchers' paths, for ab.py or run.sh:
#   bash bench/floor.sh      ->  target/bench/floor/full/roar  target/bench/floor/no-rest-client/roar
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/target/bench/floor
for variant in full no-rest-client; do
  dir=$out/$variant
  # a directory's time moves only when entries come or go: edited sources are found file by file
  if [[ ! -f $dir/roar || -n $(find bench/floor/pom.xml bench/floor/src -newer "$dir/roar" -type f -print -quit) ]]; then
    rm -rf "$dir" && mkdir -p "$dir"
    flag=(); [[ $variant == no-rest-client ]] && flag=(-Dno-rest-client)
    "$root/mvnw" -q -B -f bench/floor/pom.xml "${flag[@]}" -Dfloor.dir="$dir" clean package >&2
    # roar's packaging step: the same launcher script, build stamp and picocli class-file upgrade
    bash src/main/launcher/package-launcher.sh "$dir" floor >&2
  fi
  echo "$dir/roar"
done
