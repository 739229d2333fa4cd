#!/usr/bin/env python3
"""Booking latency on the real pilemeshd with the solo engine, as a neighbour's phone sees it.

The daemon runs with one simulated pile offered at a geohash cell, and `[ledger]
block_interval_ms` left at its default (the production setting; printed below). A few members
with their own keys join, are verified by the gateway's key (the chain's admin) and top up.
Then, one after the other, ~40 bookings of distinct slots are timed from the first HTTP call
(POST /api/v1/service/prepare) through signing (build/bin/ledger_sign, as a phone would) and
POST /api/v1/ledger/txs to the "service" server-sent event of the committed booking.

Prints its figures last:
  BENCH service.booking_commit_ms_p50 <ms>
  BENCH service.booking_commit_ms_p99 <ms>
"""
import hashlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
os.environ["PILEMESH_BUILD_DIR"] = BUILD
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402  (after the build dir is known)
from harness import daemon, pile  # noqa: E402

PILEMESH = os.path.join(BUILD, "bin", "pilemesh")
MEMBERS = int(os.environ.get("BENCH_SERVICE_MEMBERS", "4"))
BOOKINGS = int(os.environ.get("BENCH_SERVICE_BOOKINGS", "40"))
SLOT_MS = 30 * 60_000


def block_interval_default():
    """The default of [ledger] block_interval_ms, from the daemon's own config schema."""
    out = subprocess.run([PILEMESH, "config", "schema"], check=True, capture_output=True, text=True).stdout
    found = re.search(r"^\s*ledger\.block_interval_ms\s.*?default ([0-9]+)", out, re.MULTILINE)
    if not found:
        raise SystemExit("ledger.block_interval_ms is missing from `pilemesh config schema`")
    return int(found.group(1))


class Member(harness.Member):
    def submit(self, type_, payload):
        """Prepares, signs and submits one transaction; returns its hash (stops on a refusal)."""
        ok, result = super().submit(type_, payload)
        if not ok:
            raise SystemExit(f"{type_}: {result}")
        return result


def committed(events, hashes):
    """Waits for the service events of all `hashes`; returns them by hash. Each must be ok."""
    pending, out = set(hashes), {}
    while pending:
        _, data = events.wait_for(lambda e, s: e == "service" and s["hash"] in pending, "committed")
        if not data["ok"]:
            raise SystemExit(f"{data['type']} failed: {data}")
        pending.discard(data["hash"])
        out[data["hash"]] = data
    return out


def main():
    interval = block_interval_default()
    keys = tempfile.mkdtemp(prefix="bench-keys-")
    # The data dir sits on the build's disk, not a tmpfs: the ledger's commits are real fsyncs.
    data = tempfile.mkdtemp(prefix="bench-service-", dir=BUILD)
    d = daemon(piles=[pile("drive")], location="u33dc1")  # no [ledger] table: defaults
    d.data_dir = os.path.join(data, "data")
    try:
        with d:
            owner = Member(d, os.path.join(d.data_dir, "node.key"))  # the gateway's key, the admin
            members = [Member(d, os.path.join(keys, f"m{i}.key")) for i in range(MEMBERS)]
            owner.login()
            events = d.events(timeout=30, member=owner)  # the admin's: every service event
            if d.request("GET", "/api/v1/service/piles/drive")[0] != 200:
                events.wait_for(lambda e, s: e == "service" and s["type"] == "register_pile" and s["ok"],
                                "pile registered")

            # Setup, each step for everyone at once: price, join, verify, top up, confirm.
            setup_start = time.monotonic()
            committed(events, [owner.submit("set_tariff", {"pile_id": "drive", "price_per_kwh": 30,
                                                           "booking_fee": 50})])
            committed(events, [m.submit("register_member", {"role": 1, "profile_hash": "0" * 64})
                               for m in members])
            committed(events, [owner.submit("attest", {"kind": 1, "member": m.key}) for m in members])
            for m in members:
                m.login()
            requests = committed(events, [m.submit("request_top_up", {"amount": 1_000_000, "method": 1,
                                                                      "payee": owner.key,
                                                                      "reference": "BENCH"})
                                          for m in members])
            committed(events, [owner.submit("confirm_top_up", {"request": h}) for h in requests])
            setup_s = time.monotonic() - setup_start

            # Bookings of distinct half-hour slots from tomorrow on, one at a time.
            first = (int(time.time() * 1000) // SLOT_MS + 48) * SLOT_MS
            times = []
            for k in range(BOOKINGS):
                m = members[k % len(members)]
                start = first + k * SLOT_MS
                token = f"qr-{k}"
                t0 = time.monotonic()
                tx_hash = m.submit("book", {"pile_id": "drive", "start_ms": start, "end_ms": start + SLOT_MS,
                                            "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                                            "max_deposit": 1_000_000})
                committed(events, [tx_hash])
                times.append((time.monotonic() - t0) * 1000)
            events.close()
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(keys, ignore_errors=True)

    times.sort()
    p50 = statistics.median(times)
    p99 = times[max(0, math.ceil(0.99 * len(times)) - 1)]
    print(f"[ledger] block_interval_ms = {interval} (the default; the bench's config sets no [ledger] table)")
    print(f"setup of {len(members)} members (join, verify, top up) in {setup_s:.1f} s")
    print(f"{len(times)} bookings, prepare to committed (ms): min {times[0]:.0f}, "
          f"p50 {p50:.0f}, p99 {p99:.0f}, max {times[-1]:.0f}")
    print(f"BENCH service.booking_commit_ms_p50 {p50:.1f} ms")
    print(f"BENCH service.booking_commit_ms_p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
