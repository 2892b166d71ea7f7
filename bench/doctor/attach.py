#!/usr/bin/env python3
"""What attaching plumb doctor --sites costs a running process, and whether it names the leak.

In one run, against scan_leak (the scanner's hot loop) running as a separate process:
  1. the planted per-iteration leak (--inject leak-per-iter=1024): scan throughput before, during and
     after the recording (heaptrack attached through gdb, then stopped), the attach and detach times,
     and the growing site's bytes/s against 1024 bytes x the iterations/s scan_leak itself reported
     over the same window (target: within 10%);
  2. the clean scanner under the same watch: no growing site, exit 0;
  3. the cached scanner (a byte-capped cache that fills to its cap) started under the doctor: not a leak.
Usage: bench/doctor/attach.py BUILD_DIR [--watch SECONDS]; exit 1 when a target is missed.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

PROGRESS = re.compile(r"progress (\d+)/\d+ iterations.*elapsed ([0-9.]+)(h|m|s)")


def progress_points(path):
    """(seconds since start, iterations) from scan_leak's progress lines."""
    points = []
    with open(path) as lines:
        for line in lines:
            match = PROGRESS.search(line)
            if match:
                value = float(match.group(2)) * {"h": 3600, "m": 60, "s": 1}[match.group(3)]
                points.append((value, int(match.group(1))))
    return points


def rate(points, start, end):
    """Iterations per second between two times, from the progress points nearest to them."""
    inside = [p for p in points if start <= p[0] <= end]
    if len(inside) < 2:
        return float("nan")
    (t0, i0), (t1, i1) = inside[0], inside[-1]
    return (i1 - i0) / (t1 - t0)


def rss_kb(pid):
    """VmRSS of a process, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def doctor(plumb, out, args):
    started = time.monotonic()
    run = subprocess.run([plumb, "doctor", "--out", out] + args, capture_output=True, text=True)
    return run, started, time.monotonic()


def scan_leak(scan, log, extra):
    return subprocess.Popen([scan, "--announcements", "100", "--iterations", "1000000000", "--no-snapshots",
                             "--progress", "--progress-every", "0.5"] + extra,
                            stderr=open(log, "w"), stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--watch", type=float, default=12)
    args = parser.parse_args()
    plumb = os.path.join(args.build, "bin", "plumb")
    scan = os.path.join(args.build, "bin", "scan_leak")
    failures = []
    work = tempfile.mkdtemp(prefix="plumb-bench-attach.")
    watch = ["--sites", "--duration", str(args.watch), "--interval", "0.2"]

    # 1. The planted leak, attached to.
    log = os.path.join(work, "leak.log")
    launched = time.monotonic()
    target = scan_leak(scan, log, ["--inject", "leak-per-iter=1024"])
    time.sleep(6)
    run, started, ended = doctor(plumb, os.path.join(work, "leak"), watch + ["--pid", str(target.pid)])
    time.sleep(6)
    alive = target.poll() is None
    target.terminate()
    target.wait()
    points = progress_points(log)
    attach_s = float(re.search(r"attached to pid \d+ in ([0-9.]+) s", run.stderr).group(1))
    stop_s = float(re.search(r"recording stopped in ([0-9.]+) s", run.stdout).group(1))
    rec_start = started - launched + attach_s
    rec_end = ended - launched - stop_s
    before = rate(points, 1.0, started - launched)
    during = rate(points, rec_start, rec_end)
    after = rate(points, ended - launched + 0.5, ended - launched + 6)
    report = json.load(open(os.path.join(work, "leak", "report.json")))
    sites = [f for f in report["findings"] if f.get("metric", "").startswith("live bytes at ")]
    warmup = min(0.2 * args.watch, 30)
    fitted = rate(points, rec_start + warmup, rec_end)
    print(f"scan_leak iterations/s: {before:.1f} before, {during:.1f} recorded ({during / before:.0%}), "
          f"{after:.1f} after the recording stopped ({after / before:.0%})")
    print(f"attach {attach_s:.2f} s, stop {stop_s:.2f} s; process alive after the watch: {alive}")
    if run.returncode != 1 or not sites:
        failures.append(f"planted leak: exit {run.returncode}, {len(sites)} growing site(s)\n{run.stdout}")
    else:
        site = sites[0]
        slope = next(g for g in report["growth"] if g["metric"] == site["metric"])["slope_per_iteration"]
        expected = 1024 * fitted
        print(f"growing site {site['site']}: {slope:.0f} B/s; planted 1024 B x {fitted:.1f} iterations/s = "
              f"{expected:.0f} B/s ({slope / expected - 1:+.1%})")
        if "plant_per_iteration_leak" not in site["site"]:
            failures.append(f"the growing site is {site['site']}, not the planting function")
        if abs(slope / expected - 1) > 0.10:
            failures.append(f"site slope {slope:.0f} B/s is not within 10% of {expected:.0f} B/s")
    if not alive:
        failures.append("scan_leak did not survive the watch")

    # 2. The clean scanner under the same watch.
    target = scan_leak(scan, os.path.join(work, "clean.log"), [])
    time.sleep(3)
    rss_before = rss_kb(target.pid)
    run, _, _ = doctor(plumb, os.path.join(work, "clean"), watch + ["--pid", str(target.pid)])
    time.sleep(2)
    rss_after = rss_kb(target.pid)
    print(f"clean scanner RSS: {rss_before} KiB before attaching, {rss_after} KiB 2 s after the recording stopped "
          f"(+{rss_after - rss_before} KiB: heaptrack's library stays mapped, idle)")
    target.terminate()
    target.wait()
    print(f"clean scanner: exit {run.returncode}, {run.stdout.count('growing allocation sites')} growing-site list")
    if run.returncode != 0:
        failures.append(f"clean scanner: exit {run.returncode}\n{run.stdout}")

    # 3. The cached scanner, its cache filling to a 1 MiB cap, started under the doctor.
    run, _, _ = doctor(plumb, os.path.join(work, "cached"), watch + [
        "--", scan, "--mode", "cached", "--cache-cap-bytes", "1048576", "--announcements", "2000",
        "--iterations", "1000000000", "--no-snapshots", "--no-progress"])
    print(f"cached scanner: exit {run.returncode}")
    if run.returncode != 0:
        failures.append(f"cached scanner: exit {run.returncode}\n{run.stdout}")
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
