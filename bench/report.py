#!/usr/bin/env python3
"""The table of docs/performance.md#the-figures from target/bench/whole.json and target/bench/jmh.json (run.sh runs it last)."""
import json
import os
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "target" / "bench"


def jmh_results(file="jmh.json"):
    figures = {}
    if not (OUT / file).exists():
        return figures
    for b in json.loads((OUT / file).read_text()):
        name = b["benchmark"].rsplit(".", 2)[-2] + "." + b["benchmark"].rsplit(".", 1)[-1]
        if b.get("params"):
            name += "(" + ",".join(f"{k}={v}" for k, v in b["params"].items()) + ")"
        p = b["primaryMetric"]["scorePercentiles"]
        unit = b["primaryMetric"]["scoreUnit"]
        scale = {"us/op": 1e-3, "ms/op": 1.0, "ns/op": 1e-6}[unit]
        figures[name] = {"median": p["50.0"] * scale, "min": p["0.0"] * scale, "max": p["100.0"] * scale,
                         "mean": b["primaryMetric"]["score"] * scale, "n": b["primaryMetric"].get("scoreConfidence")}
    return figures


def main():
    w = json.loads((OUT / "whole.json").read_text())
    j = jmh_results()
    t = jmh_results("jmh-tmpfs.json")
    st, run, fl = w["startup"], w["run"], w["flush"]
    med = lambda d: d["median"]

    def mmm(d, digits=0, unit=""):
        return f"{d['median']:.{digits}f}{unit} [{d['min']:.{digits}f}-{d['max']:.{digits}f}]"

    status, version = st["status"]["ms"], st["version"]["ms"]
    jar17 = st["jdk17_jar_version"]["ms"]
    rec = j["TelemetryBench.recordAndQueue"]
    e0, e999, e1000 = (j[f"EventQueueBench.enqueue(queued={n})"] for n in (0, 999, 1000))
    write = j["SecureFilesBench.writeAtomically"]
    rows = [
        ("roar telemetry --status / roar --version (target/roar)", f"{med(status) / med(version):.2f}", "<= 1.10",
         med(status) / med(version) <= 1.10,
         f"per-round {w['paired']['status_version']:.2f}; status {mmm(status)} ms, version {mmm(version)} ms"),
        ("  stretch: roar telemetry --status, ms", f"{med(status):.0f}", "<= 200", med(status) <= 200,
         f"JVM floor (Hello, same JDK and flags) {mmm(st['floor_launcher_jdk']['ms'])} ms"),
        ("target/roar --version / JDK 17 java -jar quarkus-run.jar --version", f"{med(version) / med(jar17):.2f}",
         "<= 0.45", med(version) / med(jar17) <= 0.45,
         f"per-round {w['paired']['launcher_jdk17']:.2f}; JDK 17 java -jar {mmm(jar17)} ms; "
         f"JDK 17 Hello floor {mmm(st['floor_jdk17']['ms'])} ms"),
        ("roar run -- true: telemetry on / DO_NOT_TRACK=1 (steady state)",
         f"{med(run['run_on']['ms']) / med(run['run_dnt']['ms']):.2f}", "<= 1.05",
         med(run["run_on"]["ms"]) / med(run["run_dnt"]["ms"]) <= 1.05,
         f"per-round {w['paired']['run_on_dnt']:.2f}; on {mmm(run['run_on']['ms'])} ms, off {mmm(run['run_dnt']['ms'])} ms"),
        ("in-process: record one command + queue one event, ms", f"{med(rec):.2f}", "<= 2", med(rec) <= 2,
         f"[{rec['min']:.2f}-{rec['max']:.2f}]; one write+fsync+rename {mmm(write, 2)} ms; "
         f"record without an event {mmm(j['TelemetryBench.recordOnly'], 2)} ms"),
        ("enqueue, 1,000 queued (full: oldest dropped) / empty queue", f"{med(e1000) / med(e0):.2f}", "<= 1.2",
         med(e1000) / med(e0) <= 1.2,
         f"empty {mmm(e0, 2)} ms, 999 queued {mmm(e999, 2)} ms (ratio {med(e999) / med(e0):.2f}), "
         f"1,000 queued {mmm(e1000, 2)} ms"),
        (f"uploader, {fl['events']} events to a loopback 204, first to last POST, events/s",
         f"{med(fl['events_per_s']):.0f}", ">= 3000", med(fl["events_per_s"]) >= 3000,
         f"[{fl['events_per_s']['min']:.0f}-{fl['events_per_s']['max']:.0f}]; whole --flush process "
         f"{mmm(fl['process_ms'])} ms"),
    ]
    if t:
        t0, t999, t1000 = (t[f"EventQueueBench.enqueue(queued={n})"] for n in (0, 999, 1000))
        rows += [
            ("  same on tmpfs (no disk wait): record + queue one event, ms",
             f"{med(t['TelemetryBench.recordAndQueue']):.2f}", "", None,
             f"write+fsync+rename {mmm(t['SecureFilesBench.writeAtomically'], 3)} ms; "
             f"record without an event {mmm(t['TelemetryBench.recordOnly'], 2)} ms"),
            ("  same on tmpfs: enqueue 1,000 queued / empty", f"{med(t1000) / med(t0):.2f}", "", None,
             f"empty {mmm(t0, 3)} ms, 999 queued {mmm(t999, 3)} ms (ratio {med(t999) / med(t0):.2f}), "
             f"1,000 queued {mmm(t1000, 3)} ms"),
        ]
    rows += [
        ("peak RSS of roar telemetry --status, MiB", f"{med(st['status']['rss_mib']):.0f}", "reported", None,
         f"--version {med(st['version']['rss_mib']):.0f} MiB, Hello floor {med(st['floor_launcher_jdk']['rss_mib']):.0f} MiB"),
    ]
    print(f"\ndocs/performance.md figures, medians [min-max]; whole-process: {w['runs']} interleaved runs each, "
          f"launcher with {w['launcher_cache']}; load average {w['load_before'][0]:.1f} -> {w['load_after'][0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    width = max(len(r[0]) for r in rows)
    print(f"  {'figure':<{width}}  {'measured':>8}  {'target':>9}  verdict  details")
    for name, value, target, ok, detail in rows:
        verdict = "-" if ok is None else ("ok" if ok else "MISSED")
        print(f"  {name:<{width}}  {value:>8}  {target:>9}  {verdict:<7}  {detail}")


if __name__ == "__main__":
    main()
