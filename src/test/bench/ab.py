#!/usr/bin/env python3
"""Side-by-side comparison of a few command variants, for trying out a change (not part of run.sh).

    python3 src/test/bench/ab.py -n 15 'base=target/roar telemetry --status' \
        'novx=JAVA_TOOL_OPTIONS=-Dquarkus.vertx.caching=false target/roar telemetry --status'

Each variant is NAME=COMMAND; leading VAR=value words of COMMAND are added to its environment. Every
variant runs in the same throwaway install (scrubbed environment as in whole.py, telemetry on, endpoint
on a closed loopback port, already past its first-run milestones), interleaved, the order rotated every
round. Prints median [min-max] wall ms, CPU ms (user+system) and peak RSS.
"""
import argparse
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import whole  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=15)
    ap.add_argument("variants", nargs="+")
    a = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="roar-ab-"))
    try:
        user = whole.Install(base, "ab", ROAR_TELEMETRY_ENDPOINT="http://127.0.0.1:9/api/v1/telemetry/roar")
        for _ in range(4):  # past the milestones: a run only updates stats.json
            whole.run([str(whole.LAUNCHER), "run", "--", "true"], user)
        variants, envs = {}, {}
        for v in a.variants:
            name, _, cmd = v.partition("=")
            words = shlex.split(cmd)
            extra = {}
            while words and "=" in words[0] and not words[0].startswith(("-", "/", ".")):
                k, _, val = words.pop(0).partition("=")
                extra[k] = val
            words[0] = str((whole.ROOT / words[0]).resolve()) if words[0].startswith("target/") else words[0]
            variants[name] = words
            envs[name] = extra
        def install_of(name):
            user.env_base = getattr(user, "env_base", dict(user.env))
            user.env = dict(user.env_base, **envs[name])
            return user
        samples = whole.interleave(variants, a.n, install_of)
        ref = None
        for name, runs in samples.items():
            ms = whole.summary([r["ms"] for r in runs])
            cpu = whole.summary([r["cpu_ms"] for r in runs])
            rss = whole.summary([r["rss_kib"] / 1024 for r in runs])
            ref = ref or (ms["median"], cpu["median"])
            print(f"{name:<14} wall {whole.fmt(ms)} ms ({ms['median'] / ref[0]:.3f})  "
                  f"cpu {whole.fmt(cpu)} ms ({cpu['median'] / ref[1]:.3f})  rss {whole.fmt(rss, 1)} MiB")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
