#!/usr/bin/env bash
# Run by `./mvnw package`: the distribution's completion scripts and man page sources, generated from
# the commands themselves (hidden commands left out), into DIR/completion and DIR/man-adoc.
# asciidoctor (pom.xml) renders the AsciiDoc to roff; src/main/dist/roar.xml packs everything.
# Usage: generate-docs.sh DIR CLASSPATH
set -euo pipefail
out=${1:?usage: generate-docs.sh DIR CLASSPATH}
cp=${2:?usage: generate-docs.sh DIR CLASSPATH}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
rm -rf "$out/completion" "$out/man-adoc" "$out/man"
mkdir -p "$out/completion" "$out/man-adoc"

"$java" -Dpicocli.autocomplete.systemExitOnError=true -cp "$cp" picocli.AutoComplete --force \
  --name roar --completionScript "$out/completion/roar" ai.treqs.roar.cli.RoarCommand
# zsh runs picocli's bash script through bashcompinit, as picocli documents; it is sourced from
# ~/.zshrc (not autoloaded from fpath, which would run compinit inside a completion function)
{
  printf '# zsh completion for roar: source this file from ~/.zshrc (the bash completion, through bashcompinit)\n'
  printf 'autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n'
  cat "$out/completion/roar"
} > "$out/completion/_roar"

"$java" -cp "$cp" picocli.codegen.docgen.manpage.ManPageGenerator --exit --outdir "$out/man-adoc" \
  ai.treqs.roar.cli.RoarCommand
echo "[roar-dist] completion scripts and $(ls "$out/man-adoc" | wc -l | tr -d ' ') man page sources in $out"
