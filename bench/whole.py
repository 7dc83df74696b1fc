#!/usr/bin/env python3
"""Whole-process figures of docs/performance.md, measured side by side in one run.

Run through bench/run.sh (it builds first). Every process runs in a scrubbed environment
(env -i style: PATH, HOME, XDG_* under a temp root, LANG, plus what a figure sets), so CI=true or a
DO_NOT_TRACK of the machine never reaches roar. Runs of the variants compared are interleaved
(the order rotates every round) so that a noisy machine hits all of them alike.

Writes target/bench/whole.json and prints a table: median, min, max (ms; RSS in MiB).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "target"
APP = TARGET / "quarkus-app"
LAUNCHER = TARGET / "roar"
OUT = TARGET / "bench"
# built by bench/floor.sh: Quarkus + picocli + roar's launcher, doing nothing
FLOORS = {"framework_floor": (OUT / "floor/full/roar", "empty Quarkus picocli app, roar's extensions"),
          "framework_floor_no_rest_client": (OUT / "floor/no-rest-client/roar", "the same without the REST client extension")}


def native_executable():
    """target/roar-<version>-runner when it is a real executable (linked, or built by GraalVM/Mandrel), else None:
    after the native-image check alone it is a placeholder script that exits 70."""
    for p in sorted(TARGET.glob("roar-*-runner"), key=lambda p: p.stat().st_mtime, reverse=True):
        with open(p, "rb") as f:
            if f.read(4) == b"\x7fELF" and os.access(p, os.X_OK):
                return p
    return None


def java_feature(java):
    try:
        out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True,
                             timeout=60).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"java\.specification\.version = (\d+)", out)
    return int(m.group(1)) if m else None


def find_java(feature, hint=None):
    candidates = [hint] if hint else []
    candidates += sorted(str(p / "bin/java") for p in Path("/usr/lib/jvm").glob("*") if p.is_dir())
    if os.environ.get("JAVA_HOME"):
        candidates.append(os.environ["JAVA_HOME"] + "/bin/java")
    if shutil.which("java"):
        candidates.append(os.path.realpath(shutil.which("java")))
    for c in candidates:
        if c and os.access(c, os.X_OK) and java_feature(c) == feature:
            return c
    return None


class Install:
    """A throwaway user: HOME, XDG dirs and a working directory under one temp root. Once the launcher has made
    its per-user start-up cache (CACHE_HOME/roar/jvm) in one install, later installs get it too (jvm_cache):
    a user who has run roar before, not one whose every command trains a new cache in the background."""

    jvm_cache = []

    def __init__(self, base, name, **extra):
        self.root = Path(tempfile.mkdtemp(prefix=name + "-", dir=base))
        self.work = self.root / "work"
        self.work.mkdir()
        (self.root / "home").mkdir()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root / "home"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "XDG_CONFIG_DIRS": str(self.root / "etc-xdg"),
            "LANG": "C.UTF-8",
        }
        self.env.update(extra)
        self.telemetry = self.root / "cache/roar/telemetry"
        self.queue = self.telemetry / "queue"
        self.last_attempt = self.telemetry / "last-attempt"
        self.jvm = self.root / "cache/roar/jvm"
        if Install.jvm_cache:
            self.jvm.mkdir(mode=0o700, parents=True)
            for f in Install.jvm_cache:
                os.link(f, self.jvm / f.name)  # the same file, not a symlink (the launcher refuses those)

    def trained_jvm_cache(self, timeout=600.0, expect=1):
        """Waits for the launcher's background trainings in this install (one per application: `expect`); the
        cache files, or [] if one failed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.jvm.is_dir():
                files = sorted(list(self.jvm.glob("*.aot")) + list(self.jvm.glob("*.jsa")))
                if len(files) >= expect and not list(self.jvm.glob("*.lock")):
                    return files
                if list(self.jvm.glob("*.failed")) and not list(self.jvm.glob("*.lock")):
                    return []
            time.sleep(0.2)
        return []

    def past_milestones(self):
        """The first four runs of an install fire first_seen_* and the first three run milestones, each queueing
        events and starting an uploader; after them (each uploader waited for) a run only updates stats.json."""
        for _ in range(4):
            t0 = time.time_ns()
            check(run([str(LAUNCHER), "run", "--", "true"], self), "warm-up run")
            if self.queued():
                wait_for_uploader(self, t0)

    def queued(self):
        return sorted(self.queue.glob("*.json")) if self.queue.is_dir() else []


def run(argv, install, capture=False):
    """One process: wall time (ms) from fork to reap, its CPU time (user + system, ms: less sensitive to other
    load than wall time), its own peak RSS (KiB), exit code, stdout."""
    start = time.perf_counter_ns()
    proc = subprocess.Popen(argv, cwd=install.work, env=install.env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE)
    out = proc.stdout.read() if capture else b""
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"ms": wall, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000, "rss_kib": usage.ru_maxrss,
            "exit": proc.returncode, "out": out.decode(), "err": err.decode()}


def check(result, what, expect_exit=0):
    if result["exit"] != expect_exit:
        sys.exit(f"bench: {what} exited {result['exit']}: {result['err'][-2000:]}")
    return result


def interleave(variants, rounds, install_of):
    """variants: {name: argv}; each round runs every variant once, the order rotated every round."""
    names = list(variants)
    samples = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        if r % 2:
            order.reverse()
        for n in order:
            samples[n].append(check(run(variants[n], install_of(n)), n))
    return samples


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def paired(samples, a, b, key="ms"):
    """Median over rounds of a/b within the same round: robust to load that drifts during the run."""
    return statistics.median(x[key] / y[key] for x, y in zip(samples[a], samples[b]))


class Collector:
    """src/test/java/ai/treqs/roar/testing/Collector.java on a free loopback port, answering 204."""

    def __init__(self, java):
        src = ROOT / "src/test/java/ai/treqs/roar/testing/Collector.java"
        self.proc = subprocess.Popen([java, "-XX:+UseSerialGC", str(src), "0", "--quiet"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     text=True, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        line = self.proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+)(/\S*)", line)
        if not m:
            self.proc.kill()
            sys.exit("bench: the collector did not start: " + line + self.proc.stderr.read())
        self.base, self.url = m.group(1), m.group(1) + m.group(2)

    def stats(self, reset=False):
        with urllib.request.urlopen(self.base + "/_stats" + ("?reset" if reset else ""), timeout=10) as r:
            return json.loads(r.read())

    def close(self):
        self.proc.kill()
        self.proc.wait()


def wait_for_uploader(install, since_ns, timeout=60.0):
    """A detached uploader was started: wait until it wrote last-attempt after since_ns, then a little more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if install.last_attempt.stat().st_mtime_ns >= since_ns:
                time.sleep(0.5)  # its JVM is still shutting down
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    return False


def canonical(obj):
    """docs/telemetry.md#what-is-collected: compact, keys sorted, UTF-8, one line (what roar's Json.write produces)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15, help="interleaved runs of each whole-process variant")
    ap.add_argument("--flush-runs", type=int, default=5, help="uploader runs of 1,000 events")
    ap.add_argument("--events", type=int, default=1000)
    args = ap.parse_args()

    if not (LAUNCHER.exists() and (APP / "quarkus-run.jar").exists()):
        sys.exit("bench: target/roar missing; run bench/run.sh (it builds)")
    # the launcher runs java from PATH (JAVA_HOME is not in the scrubbed environment)
    java_launcher = os.path.realpath(shutil.which("java") or sys.exit("bench: no java on PATH"))
    java17 = find_java(17, os.environ.get("ROAR_BENCH_JAVA17"))
    if not java17:
        sys.exit("bench: no JDK 17 found (set ROAR_BENCH_JAVA17=/path/to/bin/java)")
    native = native_executable()

    OUT.mkdir(parents=True, exist_ok=True)
    hello_dir = OUT / "hello"
    hello_dir.mkdir(exist_ok=True)
    (hello_dir / "Hello.java").write_text(
        'public class Hello { public static void main(String[] a) { System.out.println("roar 0.0.0"); } }\n')
    javac17 = str(Path(java17).parent / "javac")
    subprocess.run([javac17, "-d", str(hello_dir), str(hello_dir / "Hello.java")], check=True)

    base = Path(tempfile.mkdtemp(prefix="roar-bench-", dir=os.environ.get("ROAR_BENCH_TMP")))
    collector = Collector(java17)
    results = {"runs": args.runs, "launcher_java": java_launcher, "java17": java17,
               "native": str(native) if native else None, "load_before": os.getloadavg()}
    roar = [str(LAUNCHER)]
    jvm_flags = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=error:stderr"]
    try:
        # ---- (a) (b) (d) (e): one interleaved loop over start-up variants ------------------------------------------
        user = Install(base, "status", ROAR_TELEMETRY_ENDPOINT=collector.url)
        t0 = time.time_ns()
        check(run(roar + ["run", "--", "true"], user), "warm-up run")  # stats exist, 3 events queued, uploader started
        wait_for_uploader(user, t0)
        # the launcher's first run started its start-up cache training in the background: measure with the cache
        Install.jvm_cache = user.trained_jvm_cache()
        results["launcher_cache"] = ({".aot": "AOT cache", ".jsa": "CDS archive"}[Install.jvm_cache[0].suffix]
                                     + " made by the launcher on first use") if Install.jvm_cache else "no cache"
        status = check(run(roar + ["telemetry", "--status"], user, capture=True), "status")["out"]
        if "Telemetry: enabled" not in status or "Install ID: (not created)" in status:
            sys.exit("bench: the status install is not a live install:\n" + status)
        variants = {
            "floor_launcher_jdk": [java_launcher] + jvm_flags + ["-cp", str(hello_dir), "Hello"],
            "floor_jdk17": [java17, "-cp", str(hello_dir), "Hello"],
            "version": roar + ["--version"],
            "status": roar + ["telemetry", "--status"],
            "jdk17_jar_version": [java17, "-jar", str(APP / "quarkus-run.jar"), "--version"],
        }
        if native:
            variants["native_version"] = [str(native), "--version"]
            variants["native_status"] = [str(native), "telemetry", "--status"]
        # the framework floors (bench/floor.sh): an empty Quarkus picocli app behind the same launcher;
        # each trains its own start-up cache in this install on its first run, which is waited for
        floors = {name: [str(path), "telemetry", "--status"] for name, (path, _) in FLOORS.items() if path.exists()}
        for name, cmd in floors.items():
            check(run(cmd, user), name)
        if floors and len(user.trained_jvm_cache(expect=1 + len(floors))) < 1 + len(floors):
            sys.exit("bench: the framework floors' start-up caches were not made")
        variants.update(floors)
        results["floors"] = sorted(floors)
        samples = interleave(variants, args.runs, lambda n: user)
        results["startup"] = {n: {"ms": summary([s["ms"] for s in v]), "cpu_ms": summary([s["cpu_ms"] for s in v]),
                                  "rss_mib": summary([s["rss_kib"] / 1024 for s in v])} for n, v in samples.items()}
        results["paired"] = {"status_version": paired(samples, "status", "version"),
                             "launcher_jdk17": paired(samples, "version", "jdk17_jar_version")}
        if native:
            results["paired"]["native_jvm_status"] = paired(samples, "native_status", "status")
        for name in floors:
            results["paired"][name + "_status"] = paired(samples, name, "status")

        # ---- (c) roar run -- true, telemetry on vs DO_NOT_TRACK=1, steady state ---------------------------------
        on = Install(base, "run-on", ROAR_TELEMETRY_ENDPOINT=collector.url)
        off = Install(base, "run-dnt", ROAR_TELEMETRY_ENDPOINT=collector.url, DO_NOT_TRACK="1")
        nat = Install(base, "run-native", ROAR_TELEMETRY_ENDPOINT=collector.url) if native else None
        # the first runs of an install fire first_seen_* and the first three run milestones, each queueing
        # events and starting an uploader; after them a run only updates stats.json (steady state)
        for i in range(4):
            t0 = time.time_ns()
            check(run(roar + ["run", "--", "true"], on), "warm-up run")
            if on.queued() and not wait_for_uploader(on, t0):
                sys.exit("bench: the warm-up uploader did not finish")
            check(run(roar + ["run", "--", "true"], off), "warm-up run (DO_NOT_TRACK)")
            if nat:
                t0 = time.time_ns()
                check(run([str(native), "run", "--", "true"], nat), "warm-up run (native)")
                if nat.queued() and not wait_for_uploader(nat, t0):
                    sys.exit("bench: the native warm-up uploader did not finish")
        if on.queued() or (nat and nat.queued()):
            sys.exit("bench: events still queued after the warm-up: " + str(on.queued() + (nat.queued() if nat else [])))
        posts_before = collector.stats()["requests"]
        steady = [on] + ([nat] if nat else [])
        attempt_before = {i.root: i.last_attempt.stat().st_mtime_ns for i in steady}
        stats_before = {i.root: json.loads((i.telemetry / "stats.json").read_text()) for i in steady}
        loop = {"run_on": roar + ["run", "--", "true"], "run_dnt": roar + ["run", "--", "true"]}
        if nat:
            loop["native_run_on"] = [str(native), "run", "--", "true"]
        samples = interleave(loop, args.runs, lambda n: {"run_on": on, "run_dnt": off, "native_run_on": nat}[n])
        for i in steady:
            stats_after = json.loads((i.telemetry / "stats.json").read_text())
            recorded = stats_after["subcommand_counts"]["run"] - stats_before[i.root]["subcommand_counts"]["run"]
            if recorded != args.runs or i.queued() or i.last_attempt.stat().st_mtime_ns != attempt_before[i.root]:
                sys.exit("bench: the steady-state runs of %s were not steady (recorded %d of %d)"
                         % (i.root.name, recorded, args.runs))
        # the JVM cache's hard links are all there is under cache/ of the DO_NOT_TRACK install
        if collector.stats()["requests"] != posts_before or (off.root / "cache/roar/telemetry").exists():
            sys.exit("bench: the steady-state runs were not steady (a POST, or telemetry state under DO_NOT_TRACK)")
        results["run"] = {n: {"ms": summary([s["ms"] for s in v]), "cpu_ms": summary([s["cpu_ms"] for s in v]),
                              "rss_mib": summary([s["rss_kib"] / 1024 for s in v])} for n, v in samples.items()}
        results["paired"]["run_on_dnt"] = paired(samples, "run_on", "run_dnt")
        results["run"]["steady_state_check"] = ("%d runs recorded in stats.json, 0 events queued, 0 uploaders started"
                                                % recorded)

        # ---- (c') the first run of a fresh install: 3 milestones queued, an uploader started ---------------------
        first = {"first_run_on": [], "first_run_dnt": []}
        for r in range(max(3, args.runs // 3)):
            for n in (["first_run_on", "first_run_dnt"] if r % 2 == 0 else ["first_run_dnt", "first_run_on"]):
                fresh = Install(base, n, ROAR_TELEMETRY_ENDPOINT=collector.url,
                                **({"DO_NOT_TRACK": "1"} if n == "first_run_dnt" else {}))
                t0 = time.time_ns()
                first[n].append(check(run(roar + ["run", "--", "true"], fresh), n))
                if n == "first_run_on" and not wait_for_uploader(fresh, t0):
                    sys.exit("bench: no uploader after a first run")
                shutil.rmtree(fresh.root, ignore_errors=True)
        results["first_run"] = {n: {"ms": summary([s["ms"] for s in v])} for n, v in first.items()}

        # ---- (g) uploader throughput: N valid events drained by --flush to the loopback 204 collector -----------
        down = Install(base, "flush", ROAR_TELEMETRY_ENDPOINT="http://127.0.0.1:9/api/v1/telemetry/roar")
        t0 = time.time_ns()
        check(run(roar + ["run", "--", "true"], down), "queueing run")  # the uploader fails: events stay
        wait_for_uploader(down, t0)
        real = down.queued()
        if not real:
            sys.exit("bench: nothing queued to copy")
        template = json.loads(real[0].read_bytes())
        if canonical(template) != real[0].read_bytes():
            sys.exit("bench: roar's queue file is not what canonical() makes; fix canonical()")
        down.env["ROAR_TELEMETRY_ENDPOINT"] = collector.url
        flushes = []
        for r in range(args.flush_runs):
            for f in down.queued():
                f.unlink()
            for i in range(args.events):
                event = dict(template, event_id=str(uuid.uuid4()), sequence=i + 1)
                path = down.queue / (event["event_id"] + ".json")
                path.write_bytes(canonical(event))
                os.chmod(path, 0o600)
            collector.stats(reset=True)
            res = check(run(roar + ["telemetry", "--flush"], down, capture=True), "--flush")
            got = collector.stats()
            if not res["out"].startswith("Uploaded %d, kept 0" % args.events) or got["requests"] != args.events:
                sys.exit("bench: --flush did not send every event: %r (%d requests)" % (res["out"], got["requests"]))
            span = (got["last_ns"] - got["first_ns"]) / 1e9
            flushes.append({"events_per_s": (args.events - 1) / span if span > 0 else float("inf"),
                            "first_to_last_ms": span * 1000, "process_ms": res["ms"]})
        results["flush"] = {"events": args.events,
                            "events_per_s": summary([f["events_per_s"] for f in flushes]),
                            "first_to_last_ms": summary([f["first_to_last_ms"] for f in flushes]),
                            "process_ms": summary([f["process_ms"] for f in flushes])}
    finally:
        collector.close()
        shutil.rmtree(base, ignore_errors=True)
    results["load_after"] = os.getloadavg()
    (OUT / "whole.json").write_text(json.dumps(results, indent=2))
    print_table(results)


def fmt(s, digits=0):
    return f"{s['median']:.{digits}f} [{s['min']:.{digits}f}-{s['max']:.{digits}f}]"


def print_table(r):
    st, run_, fr, fl = r["startup"], r["run"], r["first_run"], r["flush"]
    ms = lambda n: st[n]["ms"]["median"]
    print(f"\nwhole-process figures: median [min-max] of {r['runs']} interleaved runs; "
          f"launcher: {r['launcher_cache']} on {r['launcher_java']}; JDK 17: {r['java17']}")
    print(f"load average before {r['load_before'][0]:.1f}, after {r['load_after'][0]:.1f}")
    rows = [
        ("(d) JVM floor: Hello, launcher JDK + launcher flags, ms", fmt(st["floor_launcher_jdk"]["ms"])),
        ("(d) JVM floor: Hello, JDK 17, ms", fmt(st["floor_jdk17"]["ms"])),
        ("(a) roar --version (target/roar), ms", fmt(st["version"]["ms"])),
        ("(a) roar telemetry --status (target/roar), ms", fmt(st["status"]["ms"])),
        ("(a) ratio status / version (target <= 1.10); median of per-round ratios",
         f"{ms('status') / ms('version'):.3f}; {r['paired']['status_version']:.3f}"),
        ("(a) status minus floor, version minus floor, ms",
         f"{ms('status') - ms('floor_launcher_jdk'):.0f}, {ms('version') - ms('floor_launcher_jdk'):.0f}"),
        ("(b) java -jar quarkus-run.jar --version, JDK 17, ms", fmt(st["jdk17_jar_version"]["ms"])),
        ("(b) ratio launcher / JDK 17 java -jar, --version (target <= 0.45); per-round",
         f"{ms('version') / ms('jdk17_jar_version'):.3f}; {r['paired']['launcher_jdk17']:.3f}"),
        ("(c) roar run -- true, telemetry on (steady state), ms", fmt(run_["run_on"]["ms"])),
        ("(c) roar run -- true, DO_NOT_TRACK=1, ms", fmt(run_["run_dnt"]["ms"])),
        ("(c) ratio on / DO_NOT_TRACK (target <= 1.05); per-round",
         f"{run_['run_on']['ms']['median'] / run_['run_dnt']['ms']['median']:.3f}; {r['paired']['run_on_dnt']:.3f}"),
        ("(c) steady state", run_["steady_state_check"]),
        ("(c') first run of a new install (3 events queued, uploader started), ms", fmt(fr["first_run_on"]["ms"])),
        ("(c') first run of a new install, DO_NOT_TRACK=1, ms", fmt(fr["first_run_dnt"]["ms"])),
        ("(c') ratio", f"{fr['first_run_on']['ms']['median'] / fr['first_run_dnt']['ms']['median']:.3f}"),
        ("CPU ms (user+sys): Hello floor, --version, --status, JDK 17 jar --version",
         ", ".join(f"{st[n]['cpu_ms']['median']:.0f}" for n in
                   ("floor_launcher_jdk", "version", "status", "jdk17_jar_version"))),
        ("CPU ms (user+sys): run on, run DO_NOT_TRACK",
         f"{run_['run_on']['cpu_ms']['median']:.0f}, {run_['run_dnt']['cpu_ms']['median']:.0f}"),
        ("(e) peak RSS roar telemetry --status, MiB", fmt(st["status"]["rss_mib"], 1)),
        ("(e) peak RSS roar --version, MiB", fmt(st["version"]["rss_mib"], 1)),
        ("(e) peak RSS Hello floor (launcher JDK), MiB", fmt(st["floor_launcher_jdk"]["rss_mib"], 1)),
        (f"(g) uploader, {fl['events']} events, first to last POST, events/s (target >= 3000)",
         fmt(fl["events_per_s"])),
        ("(g) --flush whole process (JVM start included), ms", fmt(fl["process_ms"])),
    ]
    hello = ms("floor_launcher_jdk")
    for name in r.get("floors", []):
        what = FLOORS[name][1]
        rows += [
            (f"(o) framework floor: {what}, --status, ms", fmt(st[name]["ms"])),
            ("(o) its own start / roar's own start (each minus Hello, wall medians); whole process per round",
             f"{(ms(name) - hello) / (ms('status') - hello):.3f}; {r['paired'][name + '_status']:.3f}"),
            (f"(o) CPU ms / peak RSS MiB, {what}",
             f"{st[name]['cpu_ms']['median']:.0f} / {st[name]['rss_mib']['median']:.1f}"),
        ]
    if r.get("native"):
        nat_run = run_["native_run_on"]
        rows += [
            (f"(n) native executable: {r['native']}", ""),
            ("(n) native roar --version, ms", fmt(st["native_version"]["ms"])),
            ("(n) native roar telemetry --status, ms", fmt(st["native_status"]["ms"])),
            ("(n) ratio native / JVM (target/roar) --status; per-round",
             f"{ms('native_status') / ms('status'):.3f}; {r['paired']['native_jvm_status']:.3f}"),
            ("(n) native --status minus the JVM Hello floor (launcher JDK), ms",
             f"{ms('native_status') - ms('floor_launcher_jdk'):.0f}"),
            ("(n) native roar run -- true, telemetry on (steady state), ms", fmt(nat_run["ms"])),
            ("(n) ratio native / JVM run -- true, telemetry on", f"{nat_run['ms']['median'] / run_['run_on']['ms']['median']:.3f}"),
            ("(n) CPU ms (user+sys): native --version, --status, run on",
             f"{st['native_version']['cpu_ms']['median']:.0f}, {st['native_status']['cpu_ms']['median']:.0f}, "
             f"{nat_run['cpu_ms']['median']:.0f}"),
            ("(n) peak RSS native roar telemetry --status, MiB", fmt(st["native_status"]["rss_mib"], 1)),
            ("(n) peak RSS native roar run -- true, MiB", fmt(nat_run["rss_mib"], 1)),
        ]
    else:
        rows.append(("(n) native executable", "none linked: target/roar-*-runner is missing or a placeholder"))
    width = max(len(a) for a, _ in rows)
    for a, b in rows:
        print(f"  {a:<{width}}  {b}")


if __name__ == "__main__":
    main()
