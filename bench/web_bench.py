#!/usr/bin/env python3
"""The web API under load, and the first page's weight, on the real pilemeshd.

A demo neighbourhood with 1 000 priced piles (`pilemesh demo seed --extra-piles 997`) is
served by the daemon; wrk (Debian's) loads GET /api/v1/service/piles (search near a cell,
20 results) from 2 threads over 32 connections on loopback for 10 s. Then the first page
(/, the assets it names and the API answers it reads) is fetched as a phone would, and its bytes are counted as sent.

Prints its figures last:
  BENCH web.api_piles_rps <requests/s>
  BENCH web.api_piles_p99_ms <ms>
  BENCH web.first_page_kb <KiB>
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
os.environ["PILEMESH_BUILD_DIR"] = BUILD
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import harness  # noqa: E402  (after the build dir is known)
from harness import daemon, pile  # noqa: E402

PILEMESH = os.path.join(BUILD, "bin", "pilemesh")
DEMO_CONFIG = os.path.join(ROOT, "config", "examples", "demo.toml")
# What the UI's search page asks for: the list view of the results.
SEARCH = "/api/v1/service/piles?near=u33dc1&limit=20&view=list"


def latency_ms(text):
    value, unit = float(text[:-2] if text.endswith(("us", "ms")) else text[:-1]), text[-2:]
    if unit == "us":
        return value / 1000
    if unit == "ms":
        return value
    return value * 1000  # "s"


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: run `make deps`")
    tmp = tempfile.mkdtemp(prefix="pilemesh-web-bench-")
    try:
        data = os.path.join(tmp, "data")
        subprocess.run([PILEMESH, "demo", "seed", "--config", DEMO_CONFIG, "--data-dir", data,
                        "--days", "2", "--extra-piles", "997"], check=True, capture_output=True)
        d = daemon(piles=[pile("pile-1")], location="u33dc1")
        d.data_dir = data
        with d:
            found = d.get_json(SEARCH)["piles"]
            assert len(found) == 20, len(found)
            print("search among 1 000 priced piles (3 of the demo, 997 more), 20 results per request")
            run = subprocess.run(["wrk", "-t2", "-c32", "-d10s", "--latency",
                                  f"http://127.0.0.1:{d.port}{SEARCH}"],
                                 check=True, capture_output=True, text=True)
            print(run.stdout)
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", run.stdout).group(1))
            p99 = latency_ms(re.search(r"^\s+99%\s+(\S+)", run.stdout, re.M).group(1))
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", run.stdout)
            assert errors is None, errors.group(0)

            # The first page: the HTML, every local asset it names (gzipped as sent), and the
            # API answers the search page reads before it shows its results.
            code, headers, body = d.request("GET", "/", headers={"Accept-Encoding": "gzip, br"})
            assert code == 200, code
            sent = len(body)
            page = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
            names = sorted(set(re.findall(r'(?:src|href)="(/[^"]+)"', page)))
            names += ["/api/v1/status", "/api/v1/service/params",
                      "/api/v1/service/piles?near=u33dc1&limit=50&view=list"]
            for name in names:
                code, _, asset = d.request("GET", name, headers={"Accept-Encoding": "gzip, br"})
                assert code == 200, (name, code)
                sent += len(asset)
            print(f"first page: / and {names}: {sent} bytes")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"BENCH web.api_piles_rps {rps:.1f} 1/s")
    print(f"BENCH web.api_piles_p99_ms {p99:.3f} ms")
    print(f"BENCH web.first_page_kb {sent / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
