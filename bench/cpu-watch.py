#!/usr/bin/env python3
"""Other work on the machine while the benchmark suite runs (docs/performance.md, "Is the machine quiet?").

Usage: cpu-watch.py SUITE_PID WORK_DIR OUT.json
Samples /proc every half second until SIGTERM and writes the CPU time that processes outside the suite used: a
process is the suite's when the suite's process is among its ancestors, or its own or an ancestor's command line
names the suite's work folder (the embedded PostgreSQL of the servers it starts detaches from the suite's tree, and
its server processes are children of that postmaster). The load average cannot say
this: the suite itself keeps both cores busy. Processes that start and end between two samples are not seen, so a
flurry of short commands can go unnoticed; long-running work (a build, a test suite, another server) cannot.

On a virtual machine the hypervisor can also hold the cores back for other guests, which no process here shows: the
kernel counts that time as steal (/proc/stat). The watch reports steal's share of all the cores' time over the run.
"""
import json
import os
import signal
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def snapshot():
    """pid -> (ppid, cpu ticks, start time, command name)."""
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may contain spaces or parentheses itself
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        procs[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[19]), comm)
    return procs


def cpu_times():
    """The aggregate line of /proc/stat: (steal ticks, all ticks); steal is the eighth field (user nice system idle
    iowait irq softirq steal; guest time is already counted in user)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    return fields[7], sum(fields)


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def is_ours(pid, procs, suite, work, verdicts):
    """The suite's process, or below it, or a process whose command line or an ancestor's names the work folder
    (a PostgreSQL server process is a child of its postmaster, which names its data folder; the postmaster itself
    left the suite's tree when pg_ctl started it)."""
    chain = []
    p = pid
    ours = False
    for _ in range(64):  # walk up to the suite or to init
        if p not in procs or p <= 1:
            break
        key = (p, procs[p][2])
        if key in verdicts:
            ours = verdicts[key]
            break
        chain.append(key)
        if p == suite or work in cmdline(p):
            ours = True
            break
        p = procs[p][0]
    for key in chain:  # a process keeps its ancestors, so the verdict holds for each of them
        verdicts[key] = ours
    return ours


def main():
    suite, work, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    me = os.getpid()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    seen = {}  # (pid, start time) -> [ticks at first sight, ticks last seen, comm, ours]
    verdicts = {}  # (pid, start time) -> ours, for the ancestors walked
    begin = time.monotonic()
    steal_begin, all_begin = cpu_times()
    while True:
        procs = snapshot()
        for pid, (ppid, ticks, start, comm) in procs.items():
            key = (pid, start)
            entry = seen.get(key)
            if entry is None:
                seen[key] = [ticks, ticks, comm, pid == me or is_ours(pid, procs, suite, work, verdicts)]
            else:
                entry[1] = ticks
        if stop:
            break
        time.sleep(0.5)
    wall = time.monotonic() - begin
    steal_end, all_end = cpu_times()
    steal_s = (steal_end - steal_begin) / TICK
    others = {}
    for first, last, comm, ours in seen.values():
        if not ours and last > first:
            others[comm] = others.get(comm, 0) + (last - first) / TICK
    total = sum(others.values())
    top = sorted(others.items(), key=lambda kv: -kv[1])[:3]
    json.dump(
        {
            "wall_s": round(wall, 1),
            "other_cpu_s": round(total, 1),
            "other_share": round(total / (wall * os.cpu_count()), 4) if wall > 0 else 0,
            "other_top": [{"command": c, "cpu_s": round(s, 1)} for c, s in top],
            "steal_cpu_s": round(steal_s, 1),
            "steal_share": round((steal_end - steal_begin) / (all_end - all_begin), 4) if all_end > all_begin else 0,
        },
        open(out, "w"),
        indent=2,
    )


if __name__ == "__main__":
    main()
