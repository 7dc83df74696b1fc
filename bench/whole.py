#!/usr/bin/env python3
"""Every whole-process figure of docs/performance.md#the-figures, each beside its reference in the same run.

Run through bench/run.sh (it builds first and prints the table with bench/report.py). Every process runs in a
scrubbed environment (env -i style: PATH, HOME, XDG_* under a temp root, LANG, plus what a figure sets), so
CI=true or a DO_NOT_TRACK of the machine never reaches roar. The variants compared run interleaved (the order
rotates every round) so that a noisy machine hits all of them alike; ratios are also given per round.

  1. start-up: `telemetry --status` and `--version` through target/roar, the framework floors (bench/floor.sh),
     plain `java -jar --version` on JDK 17, the installed bin/roar and plain `java -jar` on JDK 17 and 25,
     a JVM `Hello`, the native executable and the Python original where there are;
  2. `roar run -- true`, telemetry on and DO_NOT_TRACK=1, steady state (JVM and native);
  3. a typical upload run (the first run of a new install queues 3 events): the detached upload process's
     CPU, wall time and peak RSS (bench/uploads.py);
  4. the uploader, 1,000 events, against a keep-alive and a closing HTTP/1.0 sink (bench/uploads.py).

The native executable is target/roar-<version>-runner when it is a real ELF file (`bench/run.sh --native`
builds it); the Python original is the command ROAR_BENCH_PYTHON_ROAR names (none: its rows say so).
Writes target/bench/whole.json.
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "target"
APP = TARGET / "quarkus-app"
LAUNCHER = TARGET / "roar"
OUT = TARGET / "bench"
# built by bench/floor.sh: Quarkus + picocli + roar's launcher, doing nothing
FLOORS = {"floor": (OUT / "floor/full/roar", "empty Quarkus picocli app, roar's extensions and launcher"),
          "floor_no_rest_client": (OUT / "floor/no-rest-client/roar", "the same without the REST client")}


def native_executable():
    """target/roar-<version>-runner when it is a real executable (linked, or built by GraalVM/Mandrel), else None:
    after the native-image check alone it is a placeholder script that exits 70."""
    for p in sorted(TARGET.glob("roar-*-runner"), key=lambda p: p.stat().st_mtime, reverse=True):
        with open(p, "rb") as f:
            if f.read(4) == b"\x7fELF" and os.access(p, os.X_OK):
                return p
    return None


def python_original():
    """The Python original's roar command, from ROAR_BENCH_PYTHON_ROAR (a path, or a command line), or None."""
    words = shlex.split(os.environ.get("ROAR_BENCH_PYTHON_ROAR", ""))
    if words and shutil.which(words[0]):
        return [shutil.which(words[0])] + words[1:]
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
            return os.path.realpath(c)
    return None


class Install:
    """A throwaway user: HOME, XDG dirs and a working directory under one temp root. Once the launcher has made
    its per-user start-up cache (CACHE_HOME/roar/jvm) in one install, later installs get it too (jvm_cache):
    a user who has run roar before, not one whose every command trains a new cache in the background. The
    launcher trusts a cache only beside its record (<cache>.ok): both are linked, or it would train again."""

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
            for f in Install.jvm_cache:  # the cache and the launcher's record of it (its size and time)
                for one in (f, f.with_name(f.name + ".ok")):
                    os.link(one, self.jvm / one.name)  # the same file, not a symlink (the launcher refuses those)

    def trained_jvm_cache(self, timeout=600.0, expect=1):
        """Waits for the launcher's background trainings in this install (one per application and Java:
        `expect`); the cache files, or [] if one failed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.jvm.is_dir():
                files = sorted(f for f in list(self.jvm.glob("*.aot")) + list(self.jvm.glob("*.jsa"))
                               if f.with_name(f.name + ".ok").exists())
                if len(files) >= expect and not list(self.jvm.glob("*.lock")):
                    return files
                if list(self.jvm.glob("*.failed")) and not list(self.jvm.glob("*.lock")):
                    return []
            time.sleep(0.2)
        return []

    def past_milestones(self, cmd=None):
        """The first four runs of an install fire first_seen_* and the first three run milestones, each queueing
        events and starting an uploader; after them (each uploader waited for) a run only updates stats.json."""
        for _ in range(4):
            # a failed attempt (the endpoint here is often a closed port) puts the next upload off by the back-off:
            # without its record the next run starts an uploader at once, as each milestone's first run does
            self.last_attempt.unlink(missing_ok=True)
            t0 = time.time_ns()
            check(run((cmd or [str(LAUNCHER)]) + ["run", "--", "true"], self), "warm-up run")
            if self.queued() and not wait_for_uploader(self, t0):
                sys.exit("bench: a warm-up uploader did not finish")

    def queued(self):
        return sorted(self.queue.glob("*.json")) if self.queue.is_dir() else []


def run(argv, install, capture=False):
    """One process: wall time (ms) from fork to reap, its CPU time (user + system, ms: less sensitive to other
    load than wall time), its own peak RSS (KiB) from wait4(2), exit code, stdout."""
    start = time.perf_counter_ns()
    proc = subprocess.Popen(argv, cwd=install.work, env=install.env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.PIPE)
    out = proc.stdout.read() if capture else b""
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter_ns() - start) / 1e6
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"ms": wall, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000, "rss_kib": usage.ru_maxrss,
            "exit": proc.returncode, "out": out.decode(errors="replace"), "err": err.decode(errors="replace")}


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


def figures(samples):
    return {n: {"ms": summary([s["ms"] for s in v]), "cpu_ms": summary([s["cpu_ms"] for s in v]),
                "rss_mib": summary([s["rss_kib"] / 1024 for s in v])} for n, v in samples.items()}


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
                time.sleep(0.5)  # its process is still shutting down
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.1)
    return False


def fmt(s, digits=0):
    return f"{s['median']:.{digits}f} [{s['min']:.{digits}f}-{s['max']:.{digits}f}]"


def installed_launchers(base, jdks, collector_url):
    """The distribution (target/roar-<version>.tar.gz) unpacked once: per JDK, bin/roar (through a PATH entry, as a
    user installs it) and plain `java -jar lib/quarkus-app/quarkus-run.jar`, each `telemetry --status`, in an
    install of its own whose start-up cache bin/roar made on its first run (this is its second run on)."""
    tarballs = sorted(glob.glob(str(TARGET / "roar-*.tar.gz")))
    if not tarballs:
        return {}, {}, "no target/roar-<version>.tar.gz (./mvnw package builds it)"
    dist = base / "dist"
    dist.mkdir()
    with tarfile.open(tarballs[-1]) as t:
        t.extractall(dist)
    home = next(dist.glob("roar-*"))
    (dist / "bin").mkdir()
    (dist / "bin/roar").symlink_to(home / "bin/roar")
    variants, installs = {}, {}
    for feature, java in jdks.items():
        u = Install(base, f"installed-{feature}", JAVA_HOME=str(Path(java).parents[1]), DO_NOT_TRACK="1",
                    PATH=f"{dist / 'bin'}:/usr/bin:/bin")
        for f in u.jvm.glob("*"):  # its own cache, made by bin/roar for this Java: not target/roar's
            f.unlink()
        check(run([str(dist / "bin/roar"), "telemetry", "--status"], u), f"installed bin/roar on JDK {feature}")
        cache = u.trained_jvm_cache()
        variants[f"installed_jdk{feature}"] = [str(dist / "bin/roar"), "telemetry", "--status"]
        variants[f"plain_jdk{feature}"] = [java, "-jar", str(home / "lib/quarkus-app/quarkus-run.jar"),
                                           "telemetry", "--status"]
        installs[f"installed_jdk{feature}"] = installs[f"plain_jdk{feature}"] = u
        installs[f"cache_jdk{feature}"] = cache[0].name if cache else None
    return variants, installs, home.name


def main():
    import uploads
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15, help="interleaved rounds of the start-up and run loops")
    ap.add_argument("--upload-runs", type=int, default=5, help="typical upload runs per build")
    ap.add_argument("--sink-rounds", type=int, default=2, help="rounds of 1,000 events to each sink kind")
    ap.add_argument("--events", type=int, default=1000)
    args = ap.parse_args()

    if not (LAUNCHER.exists() and (APP / "quarkus-run.jar").exists()):
        sys.exit("bench: target/roar missing; run bench/run.sh (it builds)")
    # the launcher runs java from PATH (JAVA_HOME is not in the scrubbed environment)
    java_launcher = os.path.realpath(shutil.which("java") or sys.exit("bench: no java on PATH"))
    java17 = find_java(17, os.environ.get("ROAR_BENCH_JAVA17"))
    java25 = find_java(25, os.environ.get("ROAR_BENCH_JAVA25"))
    if not java17:
        sys.exit("bench: no JDK 17 found (set ROAR_BENCH_JAVA17=/path/to/bin/java)")
    native = native_executable()
    python = python_original()

    OUT.mkdir(parents=True, exist_ok=True)
    hello_dir = OUT / "hello"
    hello_dir.mkdir(exist_ok=True)
    (hello_dir / "Hello.java").write_text(
        'public class Hello { public static void main(String[] a) { System.out.println("roar 0.0.0"); } }\n')
    subprocess.run([str(Path(java17).parent / "javac"), "-d", str(hello_dir), str(hello_dir / "Hello.java")],
                   check=True)

    base = Path(tempfile.mkdtemp(prefix="roar-bench-", dir=os.environ.get("ROAR_BENCH_TMP")))
    collector = Collector(java17)
    r = {"runs": args.runs, "launcher_java": java_launcher, "java17": java17, "java25": java25,
         "native": str(native) if native else None, "native_built": time.strftime(
             "%Y-%m-%d %H:%M UTC", time.gmtime(native.stat().st_mtime)) if native else None,
         "python": " ".join(python) if python else None, "load_before": os.getloadavg(),
         "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cpus": os.cpu_count()}
    roar = [str(LAUNCHER)]
    jvm_flags = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=error:stderr"]
    try:
        # ---- 1. start-up: one interleaved loop ---------------------------------------------------------------
        print("== start-up, interleaved", flush=True)
        user = Install(base, "status", ROAR_TELEMETRY_ENDPOINT=collector.url)
        t0 = time.time_ns()
        check(run(roar + ["run", "--", "true"], user), "warm-up run")  # stats exist, 3 events queued, uploader
        wait_for_uploader(user, t0)
        # the launcher's first run started its start-up cache training in the background: measure with the cache
        Install.jvm_cache = user.trained_jvm_cache()
        r["launcher_cache"] = ({".aot": "AOT cache", ".jsa": "CDS archive"}[Install.jvm_cache[0].suffix]
                               + " made by the launcher on first use") if Install.jvm_cache else "no cache"
        status = check(run(roar + ["telemetry", "--status"], user, capture=True), "status")["out"]
        if "Telemetry: enabled" not in status or "Install ID: (not created)" in status:
            sys.exit("bench: the status install is not a live install:\n" + status)
        variants = {
            "hello": [java_launcher] + jvm_flags + ["-cp", str(hello_dir), "Hello"],
            "version": roar + ["--version"],
            "status": roar + ["telemetry", "--status"],
            "jdk17_jar_version": [java17, "-jar", str(APP / "quarkus-run.jar"), "--version"],
        }
        installs = {}
        if native:
            variants["native_version"] = [str(native), "--version"]
            variants["native_status"] = [str(native), "telemetry", "--status"]
        if python:
            py = Install(base, "python", ROAR_TELEMETRY_ENDPOINT=collector.url)
            check(run(python + ["run", "--", "true"], py), "the Python original's first run")
            time.sleep(2)
            variants["python_status"] = python + ["telemetry", "--status"]
            variants["python_version"] = python + ["--version"]
            installs["python_status"] = installs["python_version"] = py
        # the framework floors (bench/floor.sh): each trains its own start-up cache on its first run
        floors = {name: [str(path), "telemetry", "--status"] for name, (path, _) in FLOORS.items() if path.exists()}
        for name, cmd in floors.items():
            check(run(cmd, user), name)
        if floors and len(user.trained_jvm_cache(expect=1 + len(floors))) < 1 + len(floors):
            sys.exit("bench: the framework floors' start-up caches were not made")
        variants.update(floors)
        r["floors"] = {n: FLOORS[n][1] for n in floors}
        jdks = {f: j for f, j in ((17, java17), (25, java25)) if j}
        dist_variants, dist_installs, r["dist"] = installed_launchers(base, jdks, collector.url)
        variants.update(dist_variants)
        installs.update({k: v for k, v in dist_installs.items() if not k.startswith("cache_")})
        r["dist_caches"] = {k: v for k, v in dist_installs.items() if k.startswith("cache_")}
        r["load_startup"] = os.getloadavg()
        samples = interleave(variants, args.runs, lambda n: installs.get(n, user))
        r["startup"] = figures(samples)
        pairs = [("status", "version"), ("status", "floor"), ("status", "floor_no_rest_client"),
                 ("version", "jdk17_jar_version"), ("native_status", "native_version"),
                 ("native_status", "python_status"), ("native_status", "status"),
                 ("installed_jdk17", "plain_jdk17"), ("installed_jdk25", "plain_jdk25")]
        r["paired"] = {f"{a}/{b}": paired(samples, a, b) for a, b in pairs if a in samples and b in samples}

        # ---- 2. roar run -- true, telemetry on vs DO_NOT_TRACK=1, steady state --------------------------------
        print("== roar run -- true, steady state, interleaved", flush=True)
        builds = {"": roar}
        if native:
            builds["native_"] = [str(native)]
        loop, of = {}, {}
        for prefix, cmd in builds.items():
            on = Install(base, prefix + "run-on", ROAR_TELEMETRY_ENDPOINT=collector.url)
            off = Install(base, prefix + "run-dnt", ROAR_TELEMETRY_ENDPOINT=collector.url, DO_NOT_TRACK="1")
            on.past_milestones(cmd)
            off.past_milestones(cmd)
            loop[prefix + "run_on"], of[prefix + "run_on"] = cmd + ["run", "--", "true"], on
            loop[prefix + "run_dnt"], of[prefix + "run_dnt"] = cmd + ["run", "--", "true"], off
        watched = [of[n] for n in of if n.endswith("run_on")]
        before = {i.root: (i.last_attempt.stat().st_mtime_ns,
                           json.loads((i.telemetry / "stats.json").read_text())["subcommand_counts"]["run"])
                  for i in watched}
        posts_before = collector.stats()["requests"]
        samples = interleave(loop, args.runs, of.__getitem__)
        for i in watched:
            counted = json.loads((i.telemetry / "stats.json").read_text())["subcommand_counts"]["run"]
            if (counted - before[i.root][1] != args.runs or i.queued()
                    or i.last_attempt.stat().st_mtime_ns != before[i.root][0]):
                sys.exit(f"bench: the steady-state runs of {i.root.name} were not steady")
        if collector.stats()["requests"] != posts_before or any(
                (of[n].root / "cache/roar/telemetry").exists() for n in of if n.endswith("run_dnt")):
            sys.exit("bench: the steady-state runs were not steady (a POST, or telemetry state under DO_NOT_TRACK)")
        r["run"] = figures(samples)
        r["run_steady"] = f"{args.runs} runs each counted in stats.json, 0 events queued, 0 uploaders started"
        for prefix in builds:
            r["paired"][f"{prefix}run_on/{prefix}run_dnt"] = paired(samples, prefix + "run_on", prefix + "run_dnt")

        # ---- 3. a typical upload run: the first run of a new install, its detached upload process --------------
        print("== typical upload runs (first run of a new install: 3 events)", flush=True)
        clients = dict(jvm=roar, **({"native": [str(native)]} if native else {}),
                       **({"python": python} if python else {}))
        ups = {n: [] for n in clients}
        names = list(clients)
        for k in range(args.upload_runs):
            for n in names[k % len(names):] + names[:k % len(names)]:
                fresh = Install(base, "first-" + n, ROAR_TELEMETRY_ENDPOINT=collector.url)
                ups[n].append(uploads.upload_run(clients[n], fresh, collector, {collector.proc.pid},
                                                 None if n == "python" else "__upload"))
                shutil.rmtree(fresh.root, ignore_errors=True)
        r["upload_run"] = {n: {"cpu_ms": summary([u["cpu_ms"] for u in v]), "ms": summary([u["ms"] for u in v]),
                               "rss_mib": summary([u["rss_kib"] / 1024 for u in v]),
                               "foreground_ms": summary([u["foreground_ms"] for u in v]),
                               "delivered": sorted({u["delivered"] for u in v}), "comm": v[0]["comm"],
                               "exits": sorted({u["exit"] for u in v}),
                               "left_behind": sum(u["left_behind"] for u in v),
                               "caught_late": sum(u["caught_late"] for u in v)} for n, v in ups.items()}

        # ---- 4. the uploader: 1,000 events to a keep-alive and a closing HTTP/1.0 sink ------------------------
        print(f"== uploader, {args.events} events, both sink kinds", flush=True)
        template = uploads.template_event(base, roar)
        body = base / "body.json"
        body.write_bytes(uploads.canonical(template))
        drains = {"jvm": roar + ["telemetry", "--flush"]}
        if native:
            drains["native"] = [str(native), "telemetry", "--flush"]
        if python:
            drains["python"] = python + ["telemetry", "--flush"]
        if "floor" in floors:
            drains["ceiling"] = [str(FLOORS["floor"][0]), "upload-ceiling", "{url}", str(body), str(args.events)]
        flush_installs = {}
        for n in drains:  # an install with its state made by a first run whose uploader found no collector
            flush_installs[n] = i = Install(base, "flush-" + n, ROAR_TELEMETRY_ENDPOINT=uploads.NOWHERE)
            if n != "ceiling":
                t0 = time.time_ns()
                check(run(drains[n][:-2] + ["run", "--", "true"], i), f"{n}: a first run")
                wait_for_uploader(i, t0)
        got = {(n, k): [] for n in drains for k in ("keepalive", "http10")}
        order = [(n, k) for k in ("keepalive", "http10") for n in drains]
        for rnd in range(args.sink_rounds):
            for n, k in order[rnd % len(order):] + order[:rnd % len(order)]:
                if n != "ceiling":
                    uploads.seed(flush_installs[n], template, args.events)
                seen = uploads.drain(drains[n], flush_installs[n], k, args.events)
                if n == "ceiling":
                    seen["all_once"] = seen["requests"] == args.events
                got[(n, k)].append(seen)
        r["sinks"] = {f"{n}/{k}": {"events_per_s": summary([s["events_per_s"] for s in v]),
                                   "max_open": max(s["max_open"] for s in v),
                                   "connections": max(s["connections"] for s in v),
                                   "all_once": all(s["all_once"] for s in v),
                                   "said": v[-1]["said"], "process_ms": summary([s["process_ms"] for s in v]),
                                   "cpu_ms": summary([s["cpu_ms"] for s in v])} for (n, k), v in got.items()}
        r["events"] = args.events
    finally:
        collector.close()
        shutil.rmtree(base, ignore_errors=True)
    r["load_after"] = os.getloadavg()
    r["ended"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (OUT / "whole.json").write_text(json.dumps(r, indent=2))
    print("wrote target/bench/whole.json")


if __name__ == "__main__":
    main()
