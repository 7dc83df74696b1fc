#!/usr/bin/env python3
"""Foreground start-up with and without a system file (and with a proxy variable): wall and CPU medians of
N interleaved runs. CPU (user+sys of the process) is what the code costs; wall on a shared
2-core machine mostly measures the neighbours.

    ./mvnw -q -B package -DskipTests
    python3 bench/system-file-startup.py target/roar 20
"""
import collections, os, pathlib, shutil, statistics, subprocess, sys, tempfile, time
roar, n = os.path.abspath(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10
R = pathlib.Path(tempfile.mkdtemp())
for d in ["home", "cfg", "cache", "etc-none", "etc-sys/roar", "cfg-user/roar", "w"]:
    (R / d).mkdir(parents=True, exist_ok=True)
(R / "etc-sys/roar/global.toml").write_text('[telemetry]\nendpoint = "https://telemetry.corp.example/roar"\n')
(R / "cfg-user/roar/global.toml").write_text('[telemetry]\nenabled = true\n')
def env(dirs, cfg, extra=None):
    e = {"PATH": os.environ["PATH"], "HOME": str(R / "home"), "XDG_CONFIG_HOME": str(R / cfg),
         "XDG_CACHE_HOME": str(R / "cache"), "XDG_CONFIG_DIRS": str(R / dirs), "LANG": "C.UTF-8"}
    e.update(extra or {})
    return e
cases = [
    ("version, no system file", ["--version"], env("etc-none", "cfg")),
    ("version, system file", ["--version"], env("etc-sys", "cfg")),
    ("status, no system file", ["telemetry", "--status"], env("etc-none", "cfg")),
    ("status, system file", ["telemetry", "--status"], env("etc-sys", "cfg")),
    ("status+user file, no sys", ["telemetry", "--status"], env("etc-none", "cfg-user")),
    ("status+user file, sys", ["telemetry", "--status"], env("etc-sys", "cfg-user")),
    ("status, HTTPS_PROXY set", ["telemetry", "--status"], env("etc-none", "cfg", {"HTTPS_PROXY": "http://u:p@proxy.corp:3128"})),
]
wall, cpu = collections.defaultdict(list), collections.defaultdict(list)
for i in range(n + 1):
    for name, args, e in cases:
        t0 = time.perf_counter()
        p = subprocess.Popen([roar] + args, env=e, cwd=R / "w", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if i == 0:
            continue  # warm the page cache first
        wall[name].append((time.perf_counter() - t0) * 1000)
        cpu[name].append((ru.ru_utime + ru.ru_stime) * 1000)
print(f"{'case':28s} {'wall median':>12s} {'cpu median':>11s}   (n={n}, load {os.getloadavg()[0]:.1f})")
for name, _, _ in cases:
    print(f"{name:28s} {statistics.median(wall[name]):9.0f} ms {statistics.median(cpu[name]):8.0f} ms")
shutil.rmtree(R)
