#!/usr/bin/env python3
"""Camps benchmark on PostgreSQL: the public alumni directory and the camps' figures, each
against hand-written SQL for the same answer.

Seeds N specialists (24,000 by default: the full camp demo, about 5,000 camp applicants and
a community of about 1,100), then asks, one request at a time (a person waiting for the
page), several runs of many requests:
- `alumni(first: 20)` as an anonymous caller, with the total, display names, interests,
  prefectures and completed cohorts; baseline bench/alumni.sql;
- `campFigures(baselineFiscalYear: 2024)` as an analyst; baseline bench/camp_figures.sql.
Baselines run with pgbench -M prepared, one client.

Usage: python3 bench/camps.py [--runs 5] [--requests 100] [--specialists 24000]
Needs: the release build (cargo build --release; KAKEHASHI_BIN names another binary), psql
and pgbench, and a PostgreSQL server (BENCH_PG_ADMIN, default
postgres://postgres@127.0.0.1:5432/postgres) where it may create and drop kk_camps_seed.
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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from matching import (ADMIN, BIN, ROOT, env_for, fresh, gql, percentile,  # noqa: E402
                      psql, sh)

DIRECTORY = """{ alumni(first: 20) { totalCount nodes { id displayName interests
    prefecture { code } cohorts { name program { kind } } } } }"""
FIGURES = """{ campFigures(baselineFiscalYear: 2024) { graduates { fiscalYear program graduates }
    baselineGraduates targetGraduates years { fiscalYear graduates shareOfTarget } alumni
    communityMembers openToMentoring activities { fiscalYear kind reports } eventsHeld
    eventAttendances } }"""


def timed(token, query, args):
    for _ in range(10):  # warm up
        gql(token, query, {})
    runs = []
    for _ in range(args.runs):
        latencies = []
        for _ in range(args.requests):
            started = time.perf_counter()
            gql(token, query, {})
            latencies.append((time.perf_counter() - started) * 1000)
        runs.append((percentile(latencies, 50), percentile(latencies, 99)))
    return runs


def baseline(url, script, args):
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, "log")
            sh("pgbench", "-n", "-M", "prepared", "-c", "1", "-T", "5",
               "-f", os.path.join(ROOT, "bench", script), "-l", f"--log-prefix={prefix}", url)
            latencies = []
            for path in glob.glob(prefix + "*"):
                with open(path) as f:
                    latencies.extend(int(line.split()[2]) / 1000 for line in f)
            runs.append(percentile(latencies, 50))
    return runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--specialists", type=int, default=24000)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: cargo build --release")
    seed = fresh("kk_camps_seed")
    env = env_for(seed)
    print(sh(BIN, "seed", "--specialists", str(args.specialists), env=env).strip())
    psql(seed, "-c", "VACUUM ANALYZE")
    counts = psql(seed, "-At", "-c", """SELECT (SELECT count(*) FROM camp_applications),
        (SELECT count(*) FROM community_members WHERE left_at IS NULL),
        (SELECT count(*) FROM community_members WHERE left_at IS NULL
            AND display_name_visibility = 0)""").strip()
    analyst = sh(BIN, "token", "--role", "ANALYST", "--sub", "bench", env=env).strip()
    server = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen("http://127.0.0.1:8101/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        directory = timed(None, DIRECTORY, args)
        figures = timed(analyst, FIGURES, args)
        with open(f"/proc/{server.pid}/status") as f:
            rss = next(line for line in f if line.startswith("VmHWM")).split()[1]
    finally:
        server.terminate()
        server.wait()
    sql_directory = baseline(seed, "alumni.sql", args)
    sql_figures = baseline(seed, "camp_figures.sql", args)
    psql(ADMIN, "-c", "DROP DATABASE IF EXISTS kk_camps_seed WITH (FORCE)")

    med = statistics.median
    applications, members, public = counts.split("|")
    print(f"\n{args.specialists} specialists, {applications} camp applications, {members} "
          f"members ({public} listed publicly); {args.runs} runs of {args.requests}, medians; "
          f"peak RSS {int(rss) / 1024:.1f} MiB")
    for name, runs, sql in (("alumni directory, first 20, anonymous", directory, sql_directory),
                            ("campFigures, analyst", figures, sql_figures)):
        p50, p99 = med(r[0] for r in runs), med(r[1] for r in runs)
        print(f"{name}: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
              f"(runs p50: {[round(r[0], 1) for r in runs]}); SQL p50 {med(sql):.2f} ms; "
              f"ratio {p50 / med(sql):.1f}")


if __name__ == "__main__":
    main()
