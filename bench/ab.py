#!/usr/bin/env python3
"""Side-by-side comparison of a few command variants, for trying out a change (not part of run.sh).

    python3 bench/ab.py -n 15 'base=target/roar telemetry --status' \
        'novx=JAVA_TOOL_OPTIONS=-Dquarkus.vertx.caching=false target/roar telemetry --status'

Each variant is NAME=COMMAND; leading VAR=value words of COMMAND are added to its environment. Every
variant runs in the same throwaway install (scrubbed environment as in whole.py, telemetry on, endpoint
on a closed loopback port, already past its first-run milestones), interleaved, the order rotated every
round. Prints median [min-max] wall ms, CPU ms (user+system) and peak RSS, the median of the per-round
ratios to the first variant (robust to load that drifts during the run) and the load average.

Before measuring, each variant runs once and the launcher's start-up cache training it started (in the
install's CACHE_HOME, one cache per application path and Java) is waited for, so no measured round runs
without its cache or beside a training JVM.
"""
import argparse
import os
import shlex
import shutil
import sys
import tempfile
import time
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
        user.past_milestones()
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
        jvm_cache = user.root / "cache/roar/jvm"
        for name in variants:  # start each variant's cache training, then wait for all of them
            whole.check(whole.run(variants[name], install_of(name)), name)
        deadline = time.time() + 600
        while time.time() < deadline and jvm_cache.is_dir() and any(jvm_cache.glob("*.lock")):
            time.sleep(1)
        load_before = os.getloadavg()
        samples = whole.interleave(variants, a.n, install_of)
        load_after = os.getloadavg()
        first = next(iter(samples))
        ref = None
        for name, runs in samples.items():
            ms = whole.summary([r["ms"] for r in runs])
            cpu = whole.summary([r["cpu_ms"] for r in runs])
            rss = whole.summary([r["rss_kib"] / 1024 for r in runs])
            ref = ref or (ms["median"], cpu["median"])
            print(f"{name:<14} wall {whole.fmt(ms)} ms ({ms['median'] / ref[0]:.3f}, per round "
                  f"{whole.paired(samples, name, first):.3f})  cpu {whole.fmt(cpu)} ms ({cpu['median'] / ref[1]:.3f}, "
                  f"per round {whole.paired(samples, name, first, 'cpu_ms'):.3f})  rss {whole.fmt(rss, 1)} MiB")
        caches = sorted(p.name for p in jvm_cache.glob("*")) if jvm_cache.is_dir() else []
        print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; caches: {', '.join(caches) or 'none'}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
