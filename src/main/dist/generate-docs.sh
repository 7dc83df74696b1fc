#!/usr/bin/env bash
# Run by `./mvnw package`: the distribution's completion scripts and man page sources, generated from
# the command tree as roar runs it (cli/DistributionDocs, in the test sources: picocli-codegen is a test
# dependency), into DIR/completion and DIR/man-adoc. asciidoctor (pom.xml) renders the AsciiDoc to roff;
# src/main/dist/roar.xml packs everything.
# Usage: generate-docs.sh DIR CLASSPATH
set -euo pipefail
out=${1:?usage: generate-docs.sh DIR CLASSPATH}
cp=${2:?usage: generate-docs.sh DIR CLASSPATH}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
rm -rf "$out/completion" "$out/man-adoc" "$out/man"
mkdir -p "$out/completion" "$out/man-adoc"
"$java" -cp "$cp" ai.treqs.roar.cli.DistributionDocs "$out"
