#!/usr/bin/env python3
"""Benchmarks of the real pilemeshd binary on the demo configuration (simulated pile and meter).

Prints its figures last, one per line:
  BENCH gateway.ready_ms <median ms from process start to /healthz answering>
  BENCH gateway.idle_rss_mb <resident memory after 10 s idle>
  BENCH gateway.idle_disk_write_kb_per_h <bytes written to storage while idle, per hour>
"""
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
PILEMESHD = os.path.join(BUILD, "bin", "pilemeshd")
DEMO = os.path.join(ROOT, "config", "examples", "demo.toml")
READY_RUNS = int(os.environ.get("BENCH_READY_RUNS", "7"))
IDLE_SETTLE_S = float(os.environ.get("BENCH_IDLE_SETTLE_S", "10"))
IDLE_MEASURE_S = float(os.environ.get("BENCH_IDLE_MEASURE_S", "60"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_config(folder):
    """The demo config on a free port, so the bench never collides with a running gateway."""
    port = free_port()
    with open(DEMO) as f:
        text = f.read().replace("port = 8080", f"port = {port}")
    path = os.path.join(folder, "demo.toml")
    with open(path, "w") as f:
        f.write(text)
    return path, port


def start(folder):
    config, port = demo_config(folder)
    # The data dir sits on the build's disk, not a tmpfs, so that writes are real writes.
    data = tempfile.mkdtemp(prefix="bench-data-", dir=BUILD)
    t0 = time.monotonic()
    proc = subprocess.Popen([PILEMESHD, "--config", config, "--data-dir", data, "--log-level", "warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/healthz"
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"pilemeshd exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return proc, (time.monotonic() - t0) * 1000, data
        except OSError:
            time.sleep(0.001)  # a busy wait for readiness; this is the figure being measured


def stop(proc, data):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


def proc_field(pid, file, key):
    with open(f"/proc/{pid}/{file}") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1])
    raise KeyError(key)


def main():
    folder = tempfile.mkdtemp(prefix="pilemesh-bench-")
    try:
        ready = []
        for _ in range(READY_RUNS):
            proc, ms, data = start(folder)
            ready.append(ms)
            stop(proc, data)
        print(f"ready times (ms): {', '.join(f'{x:.1f}' for x in ready)}")

        proc, _, data = start(folder)
        time.sleep(IDLE_SETTLE_S)
        rss_kb = proc_field(proc.pid, "status", "VmRSS:")
        written0 = proc_field(proc.pid, "io", "write_bytes:")
        time.sleep(IDLE_MEASURE_S)
        written1 = proc_field(proc.pid, "io", "write_bytes:")
        stop(proc, data)
        per_hour_kb = (written1 - written0) / 1024 * (3600 / IDLE_MEASURE_S)
        print(f"idle: {written1 - written0} bytes written in {IDLE_MEASURE_S:.0f} s")

        print(f"BENCH gateway.ready_ms {statistics.median(ready):.1f} ms")
        print(f"BENCH gateway.idle_rss_mb {rss_kb / 1024:.1f} MB")
        print(f"BENCH gateway.idle_disk_write_kb_per_h {per_hour_kb:.1f} KB/h")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
