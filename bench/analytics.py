#!/usr/bin/env python3
"""Analytics benchmark on PostgreSQL: the ten-year monthly specialistSeries, targetProgress
and the prefecture breakdown, one request at a time, against hand-written SQL; then, for the
record (no target), the industry breakdown, renewalHealth, activeListSupplyDemand,
matchingPerformance, the series as CSV and the target-progress chart.

Seeds N specialists (50,000 by default; the demo history starts in 2017), starts the
service, and asks each query as an analyst: several runs of R requests after 3 to warm up.
Baselines (pgbench -M prepared, one client): bench/analytics_series.sql (the monthly active
counts as known at each month's end) and bench/analytics_breakdown.sql (today's count by
prefecture). targetProgress has no SQL baseline of its own: it is six rounds of the series.

Usage: python3 bench/analytics.py [--runs 5] [--requests 20] [--specialists 50000]
Needs: the release build (cargo build --release; KAKEHASHI_BIN names another binary), psql
and pgbench, and a PostgreSQL server (BENCH_PG_ADMIN) where it may create and drop
kk_analytics_seed.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from camps import baseline  # noqa: E402
from matching import ADMIN, BIN, env_for, fresh, gql, percentile, psql, sh  # noqa: E402


def p50_runs(call, args):
    """The p50 latency (ms) of each of `args.runs` runs of `args.requests` calls, after 3."""
    for _ in range(3):
        call()
    runs = []
    for _ in range(args.runs):
        latencies = []
        for _ in range(args.requests):
            started = time.perf_counter()
            call()
            latencies.append((time.perf_counter() - started) * 1000)
        runs.append(percentile(latencies, 50))
    return runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--specialists", type=int, default=50000)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: cargo build --release")
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()
    start = today.replace(year=today.year - 10, day=1)
    queries = {
        "specialistSeries, monthly, ten years": f"""{{ specialistSeries(from: "{start}",
            to: "{today}", interval: MONTH) {{ endsOn activeAtEnd registrations renewals lapses
            deregistrations revocations }} }}""",
        "targetProgress (six rounds)": """{ targetProgress { current gap neededPerMonth
            trendPerMonth projectedOnTargetDate projectedDate } }""",
        "specialistBreakdown by prefecture": f"""{{ specialistBreakdown(by: PREFECTURE,
            asOf: "{today}") {{ total cells {{ key value suppressed }} }} }}""",
        "specialistBreakdown by industry": f"""{{ specialistBreakdown(by: INDUSTRY,
            asOf: "{today}") {{ total cells {{ key value suppressed }} }} }}""",
        "renewalHealth, ten years of rounds": f"""{{ renewalHealth(from: "{start}") {{
            claimsPending cyclesByStatus {{ status count }} rounds {{ startsOn renewed lapsed
            lapseRate claimsFiled claimsApproved feesSavedYen }} }} }}""",
        "activeListSupplyDemand": """{ activeListSupplyDemand { publishedEntries
            openRequests byTheme { key supply demand } byPrefecture { key supply demand } } }""",
        "matchingPerformance, ten years": f"""{{ matchingPerformance(from: "{start}") {{
            requestsFiled requestsMatched medianDaysToMatch completionRate
            companyRatings {{ count average distribution }} }} }}""",
    }
    files = {
        "specialist-series.csv, monthly, ten years":
            f"/analytics/specialist-series.csv?from={start}&interval=MONTH",
        "target-progress.svg": "/analytics/target-progress.svg",
    }
    seed = fresh("kk_analytics_seed")
    env = env_for(seed)
    print(sh(BIN, "seed", "--specialists", str(args.specialists), env=env).strip())
    psql(seed, "-c", "VACUUM ANALYZE")
    events = psql(seed, "-At", "-c", "SELECT count(*) FROM specialist_status_events").strip()
    analyst = sh(BIN, "token", "--role", "ANALYST", "--sub", "bench", env=env).strip()
    server = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.DEVNULL)
    results = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen("http://127.0.0.1:8101/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for name, query in queries.items():
            results[name] = p50_runs(lambda: gql(analyst, query, {}), args)
        for name, path in files.items():
            fetch = urllib.request.Request(f"http://127.0.0.1:8101{path}",
                                           headers={"Authorization": f"Bearer {analyst}"})
            results[name] = p50_runs(lambda: urllib.request.urlopen(fetch, timeout=30).read(),
                                     args)
        with open(f"/proc/{server.pid}/status") as f:
            rss = next(line for line in f if line.startswith("VmHWM")).split()[1]
    finally:
        server.terminate()
        server.wait()
    sql_series = baseline(seed, "analytics_series.sql", args)
    sql_breakdown = baseline(seed, "analytics_breakdown.sql", args)
    psql(ADMIN, "-c", "DROP DATABASE IF EXISTS kk_analytics_seed WITH (FORCE)")

    med = statistics.median
    print(f"\n{args.specialists} specialists, {events} status events; {args.runs} runs of "
          f"{args.requests}, medians of the runs' p50; peak RSS {int(rss) / 1024:.1f} MiB")
    for name, runs in results.items():
        print(f"{name}: p50 {med(runs):.0f} ms (runs: {[round(r) for r in runs]})")
    print(f"SQL: monthly series p50 {med(sql_series):.0f} ms; "
          f"prefecture breakdown p50 {med(sql_breakdown):.0f} ms")


if __name__ == "__main__":
    main()
