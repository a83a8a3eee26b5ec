#!/usr/bin/env python3
"""Load benchmark of Kakehashi on PostgreSQL, against pgbench on the equivalent SQL.

Seeds a fresh database with N specialists, starts the release build of the service, then
for each workload runs wrk (GraphQL over HTTP) and pgbench -M prepared (the one best
hand-written SQL statement for the same read) at the same concurrency, several times, and
prints the medians, our requests/s as a fraction of pgbench's, and the service's peak RSS.

Usage: python3 bench/run.py [--runs 3] [--duration 10] [--connections 32] [--specialists 50000]
Needs: wrk and pgbench on PATH, a PostgreSQL server (BENCH_PG_ADMIN, default
postgres://postgres@127.0.0.1:5432/postgres) where it may create `kakehashi_bench`.
"""

import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "kakehashi")
PORT = 8100


def sh(*args, **kwargs):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kwargs).stdout


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_wrk(script, args, env):
    out = sh("wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "5s",
             "-s", os.path.join(ROOT, "bench", script), f"http://127.0.0.1:{PORT}", env=env, cwd=ROOT)
    line = next(l for l in out.splitlines() if l.startswith("RESULT"))
    fields = dict(kv.split("=") for kv in line.split()[1:])
    if int(fields["errors"]) > 0:
        sys.exit(f"wrk saw errors: {line}")
    return float(fields["rps"]), float(fields["p50_ms"]), float(fields["p99_ms"])


def run_pgbench(script, args, url):
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "log")
        out = sh("pgbench", "-n", "-M", "prepared", "-c", str(args.connections), "-j", "2",
                 "-T", str(args.duration), "-f", os.path.join(ROOT, "bench", script),
                 "-l", f"--log-prefix={prefix}", url)
        tps = next(float(l.split("=")[1].split()[0]) for l in out.splitlines() if l.startswith("tps"))
        latencies = []
        for path in glob.glob(prefix + "*"):
            with open(path) as f:
                latencies.extend(int(line.split()[2]) / 1000 for line in f)
        return tps, percentile(latencies, 50), percentile(latencies, 99)


def median_of(runs):
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--specialists", type=int, default=50000)
    args = parser.parse_args()

    admin = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
    url = admin.rsplit("/", 1)[0] + "/kakehashi_bench"
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "kakehashi"], cwd=ROOT, check=True)
    sh("psql", admin, "-qc", "DROP DATABASE IF EXISTS kakehashi_bench WITH (FORCE)")
    sh("psql", admin, "-qc", "CREATE DATABASE kakehashi_bench")
    env = dict(os.environ, DATABASE_URL=url, RUST_LOG="warn", KAKEHASHI_BIND=f"127.0.0.1:{PORT}",
               BENCH_SPECIALISTS=str(args.specialists))
    env.pop("KAKEHASHI_ENV", None)
    started = time.time()
    print(sh(BIN, "seed", "--specialists", str(args.specialists), env=env).strip(),
          f"(PostgreSQL, wall {time.time() - started:.1f} s)")
    sh("psql", url, "-qc", "VACUUM ANALYZE")
    print("published Active List entries:", sh("psql", url, "-Atc",
          "SELECT count(*) FROM active_list_entries WHERE status = 'PUBLISHED'").strip())

    server = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        # Warm up connections and caches.
        quick = argparse.Namespace(**{**vars(args), "duration": 3})
        run_wrk("lookup.lua", quick, env)
        run_wrk("page.lua", quick, env)
        run_wrk("activelist.lua", quick, env)

        results = {}
        workloads = [("lookup", "lookup.lua", "lookup.sql"), ("page of 50", "page.lua", "page.sql"),
                     ("active list", "activelist.lua", "activelist.sql")]
        for name, lua, sql in workloads:
            api_runs, sql_runs = [], []
            for _ in range(args.runs):
                api_runs.append(run_wrk(lua, args, env))
                sql_runs.append(run_pgbench(sql, args, url))
            results[name] = (median_of(api_runs), median_of(sql_runs), api_runs, sql_runs)
        with open(f"/proc/{server.pid}/status") as f:
            rss = next(l for l in f if l.startswith("VmHWM")).split()[1]
    finally:
        server.terminate()
        server.wait()

    print(f"\n{args.specialists} specialists, {args.connections} connections, "
          f"{args.runs} runs of {args.duration} s each, medians")
    print(f"{'workload':<12} {'api req/s':>10} {'p50 ms':>8} {'p99 ms':>8} | {'sql tx/s':>10} {'p50 ms':>8} {'p99 ms':>8} | api/sql")
    for name, (api, sql, api_runs, sql_runs) in results.items():
        print(f"{name:<12} {api[0]:>10.0f} {api[1]:>8.2f} {api[2]:>8.2f} | {sql[0]:>10.0f} {sql[1]:>8.2f} {sql[2]:>8.2f} | {api[0] / sql[0]:.2f}")
        print(f"{'':<12} api runs (req/s): {[round(r[0]) for r in api_runs]}  sql runs (tx/s): {[round(r[0]) for r in sql_runs]}")
    print(f"peak RSS of the service: {int(rss) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
