"""The upload figures of bench/whole.py: a typical upload run, and 1,000 events against both server kinds.

A typical upload run: the first `roar run -- true` of a new install queues 3 events (first seen for the
install, for the version, the first run) and starts the detached uploader. That process is what a user pays
for on the first day; the benchmark makes itself the child subreaper (prctl PR_SET_CHILD_SUBREAPER), so the
uploader, orphaned when the command exits, becomes its child: wait4(2) then gives its own CPU time (user +
system) and peak RSS, and /proc/<pid>/stat its start, hence its wall time from start to exit.

Throughput: a fresh queue of 1,000 events (copies of one real queued event with new ids, written as roar
writes them) drained by `roar telemetry --flush` into bench/sink.py: `keepalive` (HTTP/1.1, keep-alive) or
`http10` (Python's http.server as it comes: HTTP/1.0, one connection per request, listen backlog 5).
events/s = (requests - 1) / (last POST read - first POST read) on the sink's clock; the sink also counts the
most connections open at once. The same for the REST client alone (the full floor's `upload-ceiling`): the
same client and connection settings, one body posted 1,000 times, no per-event work.
"""
import ctypes
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import whole

PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)
CLK_TCK = os.sysconf("SC_CLK_TCK")
LAUNCHER_COMM = "roar"  # target/roar and bin/roar are bash scripts: a subshell of theirs has this name
NOWHERE = "http://127.0.0.1:9/api/v1/telemetry/roar"  # the discard port: nothing listens, a POST fails at once


def canonical(obj):
    """docs/telemetry.md#what-is-collected: compact, keys sorted, UTF-8, one line (what roar's Json.write produces)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _stat(pid):
    """(comm, ppid, start in seconds since boot) of a process, a zombie included; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return comm, int(fields[1]), int(fields[19]) / CLK_TCK


def _orphans_of_mine(known):
    mine = os.getpid()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) not in known:
            st = _stat(int(entry))
            if st and st[1] == mine:
                found.append((int(entry), st))
    return found


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def upload_run(cmd, install, collector, known_children, marker, timeout=60.0):
    """The first `roar run -- true` of `install` in the foreground, then its detached upload process, caught as an
    orphan of this (subreaper) process: the first orphan whose command line has `marker` in it (roar's is
    `<command> __upload`); with no marker, the first orphan that is not the `sh` that started it. {foreground_ms, cpu_ms, ms, rss_kib, delivered}."""
    collector.stats(reset=True)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        # looked for while the command runs too: the uploader is this process' child as soon as the sh that
        # started it exits, and a short upload may end right after the command does
        t0 = time.perf_counter_ns()
        fg = subprocess.Popen(cmd + ["run", "--", "true"], cwd=install.work, env=install.env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        known_children = set(known_children) | {fg.pid}
        deadline = time.monotonic() + timeout
        uploader, others, left_behind, fg_done, late = None, [], 0, None, 0
        while (uploader is None or fg_done is None) and time.monotonic() < deadline:
            if fg_done is None:
                pid, status, usage = os.wait4(fg.pid, os.WNOHANG)
                if pid:
                    fg_done = {"ms": (time.perf_counter_ns() - t0) / 1e6, "exit": os.waitstatus_to_exitcode(status),
                               "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000}
                    fg.returncode = fg_done["exit"]
            for pid, (comm, _, start) in ([] if uploader else _orphans_of_mine(known_children | set(others))):
                if comm == "sh":  # the `sh -c '"$@" &'` that started it, orphaned before it exited
                    os.waitpid(pid, 0)
                elif marker is None or marker in _cmdline(pid):
                    uploader = (pid, comm, start)
                    break
                elif not _cmdline(pid) and comm not in ("bash", LAUNCHER_COMM):
                    # it ended before it was seen (a zombie has no command line): its end is now at the latest
                    uploader = (pid, comm, start)
                    late += 1
                    break
                else:  # something else the command left behind (a start-up cache training): not the upload
                    others.append(pid)
            time.sleep(0.002)
        if fg_done is None or fg_done["exit"] != 0:
            sys.exit(f"bench: the first run did not end well: {fg_done}")
        if uploader is None:
            sys.exit("bench: the first run started no upload process that outlived it")
        pid, comm, start = uploader
        _, status, usage = os.wait4(pid, 0)
        end = time.clock_gettime(time.CLOCK_BOOTTIME)
        # whatever else the command left behind (nothing, when the launcher's cache is in place) is waited for,
        # so it never runs beside the next measurement, and counted
        while time.monotonic() < deadline:
            for pid, _ in _orphans_of_mine(known_children | set(others)):
                others.append(pid)
            if not others:
                break
            os.waitpid(others.pop(), 0)
            left_behind += 1
    finally:
        _libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
    delivered = collector.stats()["requests"]
    return {"foreground_ms": fg_done["ms"], "foreground_cpu_ms": fg_done["cpu_ms"], "comm": comm,
            "ms": (end - start) * 1000, "cpu_ms": (usage.ru_utime + usage.ru_stime) * 1000,
            "rss_kib": usage.ru_maxrss, "exit": os.waitstatus_to_exitcode(status), "delivered": delivered,
            "left_behind": left_behind + len(others), "caught_late": late}


def template_event(base, cmd):
    """One real queued event: a `roar run` whose uploader cannot reach its endpoint leaves its events queued."""
    down = whole.Install(base, "template", ROAR_TELEMETRY_ENDPOINT=NOWHERE)
    t0 = time.time_ns()
    whole.check(whole.run(cmd + ["run", "--", "true"], down), "queueing run")
    whole.wait_for_uploader(down, t0)
    real = down.queued()
    if not real:
        sys.exit("bench: nothing queued to copy")
    body = real[0].read_bytes()
    if canonical(json.loads(body)) != body:
        sys.exit("bench: roar's queue file is not what canonical() makes; fix canonical()")
    return json.loads(body)


def seed(install, template, events):
    """Replaces the install's queue with `events` copies of template, each with a new id, as roar writes them."""
    install.queue.mkdir(parents=True, exist_ok=True)
    for f in install.queued():
        f.unlink()
    for i in range(events):
        event = dict(template, event_id=str(uuid.uuid4()), sequence=i + 1)
        path = install.queue / (event["event_id"] + ".json")
        path.write_bytes(canonical(event))
        os.chmod(path, 0o600)


class Sink:
    """bench/sink.py of one kind on a free loopback port; close() gives what it saw."""

    def __init__(self, kind):
        self.proc = subprocess.Popen([sys.executable, str(whole.ROOT / "bench/sink.py"), kind],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            sys.exit("bench: the sink did not start")

    def close(self):
        self.proc.stdin.close()
        seen = json.loads(self.proc.stdout.readline())
        self.proc.wait()
        span = seen["last"] - seen["first"]
        seen["events_per_s"] = (seen["requests"] - 1) / span if span > 0 else 0.0
        return seen


def drain(argv, install, kind, events):
    """One client posting `events` to a fresh sink of `kind`: the sink's counts, events/s, the process' figures."""
    sink = Sink(kind)
    try:
        install.env["ROAR_TELEMETRY_ENDPOINT"] = sink.url
        res = whole.run([a.replace("{url}", sink.url) for a in argv], install, capture=True)
    finally:
        seen = sink.close()
    first = (res["out"].splitlines() or [""])[0]
    seen.update(process_ms=res["ms"], cpu_ms=res["cpu_ms"], rss_kib=res["rss_kib"], said=first, exit=res["exit"])
    seen["all_once"] = seen["requests"] == events and seen["distinct"] in (events, 1)
    return seen
