#!/usr/bin/env python3
"""Where the start of `roar telemetry --status` goes (docs/performance.md#start-up-profile-where-the-apps-own-start-goes): printed by run.sh.

    python3 bench/profile.py [--runs 5]

1. Classes loaded, per area (package prefixes), without a start-up cache (what the command uses), on the
   JDK the launcher runs (java on PATH) and on JDK 17 and 25 where found (`-Xlog:class+load`).
2. Quarkus' own boot steps (`-Dquarkus.debug.print-startup-times=true`), through target/roar with its cache,
   medians of --runs runs, beside the whole process and Quarkus' "started in".
Both in one steady install (past its first-run milestones), scrubbed environment, endpoint a closed port.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import whole  # noqa: E402

# first match wins: the specific Quarkus areas before "Quarkus core"
AREAS = [
    ("our code (ai.treqs, beans included)", ("ai.treqs.",)),
    ("Vert.x + Netty", ("io.vertx.", "io.netty.", "io.quarkus.vertx.", "io.quarkus.netty.")),
    ("REST client (RESTEasy Reactive client, JAX-RS, MP REST client)",
     ("org.jboss.resteasy.", "jakarta.ws.rs.", "org.eclipse.microprofile.rest.", "io.quarkus.rest.client.",
      "io.quarkus.jaxrs.client.", "io.quarkus.resteasy.")),
    ("TLS registry", ("io.quarkus.tls.",)),
    ("Jackson", ("com.fasterxml.jackson.",)),
    ("YAML (SnakeYAML, the YAML config source)", ("org.yaml.snakeyaml.", "io.smallrye.config.source.yaml.")),
    ("SmallRye Config + MicroProfile Config", ("io.smallrye.config.", "org.eclipse.microprofile.config.")),
    ("Mutiny, SmallRye Common, context propagation",
     ("io.smallrye.mutiny.", "io.smallrye.common.", "io.smallrye.context.", "org.eclipse.microprofile.context.",
      "io.quarkus.smallrye.context.", "io.quarkus.mutiny.")),
    ("ArC / CDI", ("io.quarkus.arc.", "jakarta.enterprise.", "jakarta.inject.", "jakarta.annotation.",
                   "jakarta.interceptor.")),
    ("picocli", ("picocli.", "io.quarkus.picocli.")),
    ("logging (JBoss LogManager, JBoss Logging, JBoss Threads)",
     ("org.jboss.logmanager.", "org.jboss.logging.", "org.jboss.threads.", "org.slf4j.")),
    ("generated application classes", ("io.quarkus.runner.", "io.quarkus.runtime.generated.")),
    ("Quarkus core, other io.quarkus", ("io.quarkus.",)),
    ("JDK", ("java.", "javax.", "jdk.", "sun.", "com.sun.")),
]
CLASS_LOAD = re.compile(r"\]\s(\S+) source:")
STEP = re.compile(r"Build step (\S+) completed in: (\d+)ms")
STARTED = re.compile(r"started in (\d+(?:\.\d+)?)s")
STOPPED = re.compile(r"stopped in (\d+(?:\.\d+)?)s")


def area(name):
    for title, prefixes in AREAS:
        if name.startswith(prefixes):
            return title
    return "other"


def class_counts(java, user, log):
    """Classes one --status loads with `java` and no cache, counted per area."""
    if log.exists():
        log.unlink()
    cmd = [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=error:stderr",
           f"-Xlog:class+load=info:file={log}", "-jar", str(whole.APP / "quarkus-run.jar"), "telemetry", "--status"]
    whole.check(whole.run(cmd, user), "class+load")
    counts = {}
    for line in log.read_text(errors="replace").splitlines():
        m = CLASS_LOAD.search(line)
        if m:
            counts[area(m.group(1))] = counts.get(area(m.group(1)), 0) + 1
    return counts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    java = os.path.realpath(shutil.which("java") or sys.exit("profile: no java on PATH"))
    base = Path(tempfile.mkdtemp(prefix="roar-profile-", dir=os.environ.get("ROAR_BENCH_TMP")))
    try:
        user = whole.Install(base, "profile", ROAR_TELEMETRY_ENDPOINT="http://127.0.0.1:9/api/v1/telemetry/roar")
        user.past_milestones()
        user.trained_jvm_cache()

        # the JDK the launcher runs here, and the other of 17 and 25 where this machine has it
        jdks = {whole.java_feature(java): java}
        for feature in (17, 25):
            if feature not in jdks:  # find_java starts a JVM per candidate
                jdks[feature] = whole.find_java(feature)
        jdks = {f: j for f, j in sorted(jdks.items()) if j}
        counts = [(f"JDK {f}, no cache", class_counts(j, user, base / "classes.log")) for f, j in jdks.items()]
        titles = [t for t, _ in AREAS] + ["other"]
        titles.sort(key=lambda t: -counts[0][1].get(t, 0))
        print("classes loaded by roar telemetry --status, per area (" + "; ".join(jdks.values()) + ")")
        print(f"  {'area':<66}" + "".join(f"{label:>24}" for label, _ in counts))
        for t in titles:
            print(f"  {t:<66}" + "".join(f"{c.get(t, 0):>24,}" for _, c in counts))
        print(f"  {'total':<66}" + "".join(f"{sum(c.values()):>24,}" for _, c in counts))

        steps, started, stopped, wall, cpu = {}, [], [], [], []
        user.env["ROAR_JAVA_OPTS"] = "-Dquarkus.debug.print-startup-times=true -Dquarkus.log.level=INFO"
        for _ in range(a.runs):
            r = whole.check(whole.run([str(whole.LAUNCHER), "telemetry", "--status"], user, capture=True), "steps")
            wall.append(r["ms"])
            cpu.append(r["cpu_ms"])
            text = r["out"] + r.get("err", "")
            for name, ms in STEP.findall(text):
                steps.setdefault(name, []).append(int(ms))
            started += [float(s) * 1000 for s in STARTED.findall(text)]
            stopped += [float(s) * 1000 for s in STOPPED.findall(text)]
        del user.env["ROAR_JAVA_OPTS"]
        med = {n: statistics.median(v) for n, v in steps.items()}
        print(f"\nQuarkus boot steps of target/roar telemetry --status ({java}, the launcher's start-up cache), "
              f"medians of {a.runs} runs, ms")
        print(f"  {'whole process, wall / CPU':<60}{statistics.median(wall):>8.0f} / {statistics.median(cpu):.0f}")
        if started:
            print(f"  {'Quarkus started in':<60}{statistics.median(started):>8.0f}")
        if stopped:
            print(f"  {'Quarkus stopped in':<60}{statistics.median(stopped):>8.0f}")
        print(f"  {'sum of all reported steps':<60}{sum(med.values()):>8.0f}")
        top = sorted(med.items(), key=lambda kv: -kv[1])
        for name, ms in top[:10]:
            print(f"  {name:<60}{ms:>8.0f}")
        print(f"  {'every other step (%d), each at most' % max(0, len(top) - 10):<60}"
              f"{(top[10][1] if len(top) > 10 else 0):>8.0f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
