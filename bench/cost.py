#!/usr/bin/env python3
"""What cost accounting and rate limits cost: the lookup benchmark with them off and on.

Seeds a fresh PostgreSQL database, then in each round starts the release build twice —
once with KAKEHASHI_RATE_LIMITS=off, once on (with a budget large enough that nothing is
refused, so every request is charged, refunded and written back but none is throttled) —
in alternating order, and runs wrk's lookup workload against each. Prints the medians and
the ratio on / off.

Usage: python3 bench/cost.py [--runs 5] [--duration 10] [--connections 32] [--specialists 50000] [--no-build]
Needs: wrk on PATH, a PostgreSQL server (BENCH_PG_ADMIN, default
postgres://postgres@127.0.0.1:5432/postgres) where it may create `kakehashi_bench_cost`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import BIN, PORT, ROOT, run_wrk, sh  # noqa: E402


def serve(env):
    server = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("the service did not become ready")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--specialists", type=int, default=50000)
    parser.add_argument("--no-build", action="store_true",
                        help="use target/release/kakehashi as it is")
    args = parser.parse_args()

    admin = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
    url = admin.rsplit("/", 1)[0] + "/kakehashi_bench_cost"
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "kakehashi"], cwd=ROOT, check=True)
    sh("psql", admin, "-qc", "DROP DATABASE IF EXISTS kakehashi_bench_cost WITH (FORCE)")
    sh("psql", admin, "-qc", "CREATE DATABASE kakehashi_bench_cost")
    base = dict(os.environ, DATABASE_URL=url, RUST_LOG="warn", KAKEHASHI_BIND=f"127.0.0.1:{PORT}",
                BENCH_SPECIALISTS=str(args.specialists))
    base.pop("KAKEHASHI_ENV", None)
    print(sh(BIN, "seed", "--specialists", str(args.specialists), env=base).strip())
    sh("psql", url, "-qc", "VACUUM ANALYZE")

    modes = {
        "off": dict(base, KAKEHASHI_RATE_LIMITS="off"),
        # Every request charged and refunded, spending written back each second; none refused.
        "on": dict(base, KAKEHASHI_RATE_LIMITS="on",
                   KAKEHASHI_ANONYMOUS_RATE_LIMIT_POINTS="1000000000",
                   KAKEHASHI_ANONYMOUS_RATE_LIMIT_RESTORE_PER_SEC="1000000000"),
    }
    results = {"off": [], "on": []}
    quick = argparse.Namespace(**{**vars(args), "duration": 3})
    for round_ in range(args.runs):
        order = ["off", "on"] if round_ % 2 == 0 else ["on", "off"]
        for mode in order:
            server = serve(modes[mode])
            try:
                run_wrk("lookup.lua", quick, modes[mode])  # warm up
                results[mode].append(run_wrk("lookup.lua", args, modes[mode]))
            finally:
                server.terminate()
                server.wait()
        print(f"round {round_ + 1}: " + ", ".join(
            f"{m} {results[m][-1][0]:.0f} req/s (p99 {results[m][-1][2]:.2f} ms)" for m in order))

    print(f"\nlookup, {args.specialists} specialists, {args.connections} connections, "
          f"{args.runs} alternating rounds of {args.duration} s, medians")
    med = {m: tuple(statistics.median(r[i] for r in runs) for i in range(3))
           for m, runs in results.items()}
    for m in ("off", "on"):
        print(f"rate limits {m:<3}: {med[m][0]:>8.0f} req/s  p50 {med[m][1]:.2f} ms  "
              f"p99 {med[m][2]:.2f} ms  runs {[round(r[0]) for r in results[m]]}")
    print(f"on / off: {med['on'][0] / med['off'][0]:.3f}")


if __name__ == "__main__":
    main()
