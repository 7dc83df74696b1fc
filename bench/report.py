#!/usr/bin/env python3
"""The performance table of docs/performance.md#the-figures, from one run of bench/run.sh: every target of the
performance section, each figure beside its reference measured in the same run (target/bench/whole.json,
target/bench/jmh.json and jmh-tmpfs.json). One row per figure: figure, reference, ratio, target, verdict
(PASS, MISS, or "-" where there is only something to report, "n/a" where a build is missing); under a missed
target, what bounds it, measured in the same run.

    python3 bench/report.py            (bench/run.sh runs it last)
"""
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "target" / "bench"


def jmh_results(file):
    figures = {}
    if not (OUT / file).exists():
        return figures
    for b in json.loads((OUT / file).read_text()):
        name = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
        if b.get("params"):
            name += "(" + ",".join(f"{k}={v}" for k, v in b["params"].items()) + ")"
        p = b["primaryMetric"]["scorePercentiles"]
        scale = {"us/op": 1e-3, "ms/op": 1.0, "ns/op": 1e-6}[b["primaryMetric"]["scoreUnit"]]
        figures[name] = {"median": p["50.0"] * scale, "min": p["0.0"] * scale, "max": p["100.0"] * scale}
    return figures


def mmm(d, digits=0):
    return f"{d['median']:,.{digits}f} [{d['min']:,.{digits}f}-{d['max']:,.{digits}f}]"


class Table:
    def __init__(self):
        self.rows = []

    def row(self, figure, measured, reference, ratio, target, verdict, notes=()):
        self.rows.append((figure, measured, reference, ratio, target, verdict, list(notes)))

    def compare(self, figure, a, b, limit, a_what="", b_what="", per_round=None, bound=(), unit="ms", digits=0):
        """a against reference b (summaries), target: ratio of medians <= limit."""
        if a is None or b is None:
            missing = "no " + (a_what if a is None else b_what)
            self.row(figure, "-" if a is None else f"{mmm(a, digits)} {unit}", "-" if b is None else
                     f"{mmm(b, digits)} {unit}", "-", f"<= {limit}", "n/a", [missing])
            return
        ratio = a["median"] / b["median"]
        ok = ratio <= limit
        notes = [f"per round {per_round:.3f}"] if per_round is not None else []
        self.row(figure, f"{mmm(a, digits)} {unit}", f"{b_what}: {mmm(b, digits)} {unit}", f"{ratio:.3f}",
                 f"<= {limit}", "PASS" if ok else "MISS", notes + ([] if ok else ["bound: " + x for x in bound]))

    def print(self, header):
        print(header)
        for figure, measured, reference, ratio, target, verdict, notes in self.rows:
            if figure.startswith("## "):
                print(f"\n{figure[3:]}")
                continue
            print(f"  {verdict:<4} {figure}")
            print(f"         measured {measured}  |  reference {reference}  |  ratio {ratio}  |  target {target}")
            for n in notes:
                print(f"         {n}")


def main():
    w = json.loads((OUT / "whole.json").read_text())
    jmh, tmpfs = jmh_results("jmh.json"), jmh_results("jmh-tmpfs.json")
    st, run, pr = w["startup"], w["run"], w["paired"]
    g = lambda group, n, key="ms": group[n][key] if n in group else None  # noqa: E731
    ms = lambda n: st[n]["ms"]["median"]  # noqa: E731
    t = Table()

    t.row("## 1. roar telemetry --status, whole process", "", "", "", "", "")
    floor_notes = [f"framework floor ({w['floors'][n]}): --status {mmm(st[n]['ms'])} ms, CPU "
                   f"{st[n]['cpu_ms']['median']:.0f} ms, RSS {st[n]['rss_mib']['median']:.1f} MiB; its own start "
                   f"(minus Hello) is {(ms(n) - ms('hello')) / (ms('status') - ms('hello')):.2f} of roar's"
                   for n in w.get("floors", {})]
    hello = f"JVM Hello (the launcher's JDK and flags) {mmm(st['hello']['ms'])} ms, {st['hello']['rss_mib']['median']:.1f} MiB"
    t.compare("JVM: target/roar telemetry --status / target/roar --version", g(st, "status"), g(st, "version"),
              1.10, "", "--version", pr.get("status/version"),
              [f"CPU: --status {st['status']['cpu_ms']['median']:.0f} ms, --version {st['version']['cpu_ms']['median']:.0f} ms"])
    t.compare("native: roar telemetry --status / roar --version", g(st, "native_status"), g(st, "native_version"),
              1.10, "native executable linked", "native --version", pr.get("native_status/native_version"),
              [f"CPU: --status {g(st, 'native_status', 'cpu_ms')['median']:.0f} ms, --version "
               f"{g(st, 'native_version', 'cpu_ms')['median']:.0f} ms"] if "native_status" in st else [])
    t.compare("JVM: target/roar telemetry --status / the empty framework app's (same launcher, same run)",
              g(st, "status"), g(st, "floor"), 1.25, "", "floor --status (bench/floor.sh)", pr.get("status/floor"),
              floor_notes + [hello])
    t.compare("native: roar telemetry --status / the Python original's", g(st, "native_status"),
              g(st, "python_status"), 0.5, "native executable linked",
              "Python original (ROAR_BENCH_PYTHON_ROAR unset: none on this machine)"
              if not w.get("python") else "Python original", pr.get("native_status/python_status"))
    if "native_status" in st:
        t.row("native --status beside the JVM's (target/roar)", f"{mmm(st['native_status']['ms'])} ms",
              f"{mmm(st['status']['ms'])} ms", f"{ms('native_status') / ms('status'):.2f}", "report", "-",
              [f"CPU {st['native_status']['cpu_ms']['median']:.0f} vs {st['status']['cpu_ms']['median']:.0f} ms"])
    nat_rss = g(st, "native_status", "rss_mib")
    if nat_rss:
        ok = nat_rss["median"] <= 60
        t.row("native: peak RSS of roar telemetry --status", f"{mmm(nat_rss, 1)} MiB", "60 MiB",
              f"{nat_rss['median'] / 60:.2f}", "<= 60 MiB", "PASS" if ok else "MISS")
    else:
        t.row("native: peak RSS of roar telemetry --status", "-", "60 MiB", "-", "<= 60 MiB", "n/a",
              ["no native executable linked"])
    t.row("JVM: peak RSS of target/roar telemetry --status", f"{mmm(st['status']['rss_mib'], 1)} MiB",
          f"--version {st['version']['rss_mib']['median']:.1f} MiB", "-", "report; cut what is cheap", "-",
          [hello] + [f"{n}: {st[n]['rss_mib']['median']:.1f} MiB" for n in w.get("floors", {})]
          + ([f"Python original: {st['python_status']['rss_mib']['median']:.1f} MiB"] if "python_status" in st else []))

    t.row("## 2. the launcher", "", "", "", "", "")
    t.compare(f"target/roar --version ({Path(w['launcher_java']).parents[1].name}, {w['launcher_cache']}) / "
              "plain java -jar quarkus-run.jar --version on JDK 17", g(st, "version"), g(st, "jdk17_jar_version"),
              0.45, "", "java -jar, JDK 17", pr.get("version/jdk17_jar_version"), [hello])
    for feature, limit in ((17, 0.6), (25, 0.45)):
        cache = w.get("dist_caches", {}).get(f"cache_jdk{feature}")
        t.compare(f"installed bin/roar telemetry --status on JDK {feature}, second run ({cache or 'no cache made'}) "
                  f"/ plain java -jar on JDK {feature}", g(st, f"installed_jdk{feature}"),
                  g(st, f"plain_jdk{feature}"), limit, f"JDK {feature} or distribution ({w.get('dist')})",
                  f"java -jar, JDK {feature}", pr.get(f"installed_jdk{feature}/plain_jdk{feature}"),
                  [f"{hello}; CPU bin/roar {st[f'installed_jdk{feature}']['cpu_ms']['median']:.0f} ms, java -jar "
                   f"{st[f'plain_jdk{feature}']['cpu_ms']['median']:.0f} ms"] if f"installed_jdk{feature}" in st else [])

    t.row("## 3. roar run -- true: telemetry on / DO_NOT_TRACK=1, steady state (" + w["run_steady"] + ")",
          "", "", "", "", "")
    for prefix, what in (("", "JVM, target/roar"), ("native_", "native")):
        t.compare(f"{what}: roar run -- true, telemetry on / DO_NOT_TRACK=1", g(run, prefix + "run_on"),
                  g(run, prefix + "run_dnt"), 1.05, "native executable linked", "DO_NOT_TRACK=1",
                  pr.get(f"{prefix}run_on/{prefix}run_dnt"),
                  [f"CPU on {run[prefix + 'run_on']['cpu_ms']['median']:.0f} ms, off "
                   f"{run[prefix + 'run_dnt']['cpu_ms']['median']:.0f} ms"] if prefix + "run_on" in run else [])

    t.row("## 4. in-process (JMH, the launcher's JDK): record one command + queue one event", "", "", "", "", "")
    write = jmh.get("SecureFilesBench.writeAtomically")
    for queued, what in ((0, "an empty queue"), (1000, "1,000 queued (full: the oldest is dropped)")):
        rec = jmh.get(f"TelemetryBench.recordAndQueue(queued={queued})")
        tm = tmpfs.get(f"TelemetryBench.recordAndQueue(queued={queued})")
        if rec is None:
            t.row(f"record + queue, {what}", "-", "-", "-", "<= 2 ms", "n/a", ["no target/bench/jmh.json"])
            continue
        t.row(f"record + queue, {what}", f"{mmm(rec, 2)} ms",
              f"one write+fsync+rename {mmm(write, 2)} ms" if write else "-", f"{rec['median'] / 2:.2f} of 2 ms",
              "<= 2 ms", "PASS" if rec["median"] <= 2 else "MISS",
              ([f"on tmpfs (no disk wait: the code's own cost) {mmm(tm, 3)} ms"] if tm else [])
              + ([] if rec["median"] <= 2 else [f"bound: the disk's fsyncs (write+fsync+rename {mmm(write, 2)} ms)"]))

    t.row(f"## 5. the uploader: {w['events']:,} events to a loopback 204 sink; keep-alive HTTP/1.1 and closing "
          "HTTP/1.0 (backlog 5)", "", "", "", "", "")
    sinks = w["sinks"]
    for kind, what in (("keepalive", "keep-alive HTTP/1.1"), ("http10", "HTTP/1.0, backlog 5")):
        py = sinks.get(f"python/{kind}")
        ceiling = sinks.get(f"ceiling/{kind}")
        for client in ("jvm", "native"):
            s = sinks.get(f"{client}/{kind}")
            if s is None:
                t.row(f"{client}: {what}", "-", "-", "-", "report", "n/a", ["no native executable linked"])
                continue
            polite = s["max_open"] <= 2 and s["all_once"] and "kept 0" in s["said"]
            notes = [f"most open at once {s['max_open']}, connections {s['connections']}, "
                     f"all delivered once: {s['all_once']}; --flush said: {s['said']}",
                     f"whole --flush process {mmm(s['process_ms'])} ms, CPU {s['cpu_ms']['median']:.0f} ms"]
            ref = f"Python original {mmm(py['events_per_s'])}/s" if py else \
                "Python original: not measured (ROAR_BENCH_PYTHON_ROAR unset)"
            ratio = f"{s['events_per_s']['median'] / py['events_per_s']['median']:.2f}" if py else "-"
            if client == "jvm" and ceiling:
                notes.append(f"bound: the REST client alone (same client and settings, no per-event work) "
                             f"{mmm(ceiling['events_per_s'])}/s, most open {ceiling['max_open']}; the JVM uploader "
                             f"reaches {s['events_per_s']['median'] / ceiling['events_per_s']['median']:.2f} of it")
            t.row(f"{client}: {what}, events/s (first to last POST)", f"{mmm(s['events_per_s'])}/s", ref, ratio,
                  "<= 2 open, all once, report", "PASS" if polite else "MISS", notes)

    t.row("## 6. a typical upload run: the first run of a new install (3 events), its detached upload process",
          "", "", "", "", "")
    up = w["upload_run"]
    for n, u in up.items():
        t.row(f"{n}: whole upload process", f"CPU {mmm(u['cpu_ms'])} ms, wall {mmm(u['ms'])} ms",
              f"RSS {u['rss_mib']['median']:.1f} MiB", "-", "report", "-",
              [f"delivered per run {u['delivered']}, exit {u['exits']}, process first seen as '{u['comm']}', other processes "
               f"the command left behind {u.get('left_behind', 0)}, caught only after it ended (wall time an upper "
               f"bound) {u.get('caught_late', 0)}; "
               f"the foreground first run {mmm(u['foreground_ms'])} ms"])
    for key, what in (("cpu_ms", "CPU time (user+sys)"), ("ms", "wall time")):
        t.compare(f"native upload process / the Python original's: {what}", g(up, "native", key),
                  g(up, "python", key), 1.0, "native executable linked",
                  "Python original (ROAR_BENCH_PYTHON_ROAR unset: none on this machine)" if not w.get("python")
                  else "Python original",
                  bound=[f"the JVM build's: {mmm(up['jvm'][key])} ms"] if "native" in up else [])

    la, lb = w["load_before"], w["load_after"]
    t.print(f"roar performance figures, {w['started']} to {w['ended']}; {w['cpus']} CPUs; load average "
            f"{la[0]:.1f} {la[1]:.1f} {la[2]:.1f} at the start, {lb[0]:.1f} {lb[1]:.1f} {lb[2]:.1f} at the end\n"
            f"medians [min-max] of {w['runs']} interleaved rounds; ratio = median / reference median; "
            f"per round = median of the ratios within a round\n"
            f"JVM: target/roar on {w['launcher_java']} ({w['launcher_cache']}); native: "
            f"{w['native'] or 'none linked'}{' (linked ' + w['native_built'] + ')' if w.get('native') else ''}; "
            f"Python original: {w['python'] or 'none (set ROAR_BENCH_PYTHON_ROAR)'}")


if __name__ == "__main__":
    main()
