#!/usr/bin/env python3
"""Renewal batch benchmark on PostgreSQL: the lapse sweep and the reminder run over N
specialists, each against hand-written SQL doing the same writes (bench/sweep.sql,
bench/remind.sql) on an identical copy of the database.

The sweep runs on a worst-case backlog: every open cycle of the seeded registry is moved
three years back, so all of them ended without renewal and lapse in one run. The reminder
run is a first run on the seeded registry: every open cycle within a year of its
application deadline gets a reminder. Each run starts from a fresh copy (CREATE DATABASE
... TEMPLATE) and is followed by a second run that must write nothing.

Usage: python3 bench/renewals.py [--runs 5] [--specialists 50000]
Needs: the release build (cargo build --release), psql, and a PostgreSQL server
(BENCH_PG_ADMIN, default postgres://postgres@127.0.0.1:5432/postgres) where it may create
and drop databases named kk_renew_*.
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "kakehashi")
ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
BASE = ADMIN.rsplit("/", 1)[0]


def sh(*args, env=None):
    return subprocess.run(args, check=True, text=True, capture_output=True, env=env).stdout


def psql(url, *args):
    return sh("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, *args)


def fresh(name, template=None):
    psql(ADMIN, "-c", f"DROP DATABASE IF EXISTS {name}")
    psql(ADMIN, "-c", f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{BASE}/{name}"


def drop(name):
    psql(ADMIN, "-c", f"DROP DATABASE IF EXISTS {name}")


def kakehashi(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "RUST_LOG": "warn"}
    started = time.monotonic()
    out = sh(BIN, *args, env=env)
    wall = time.monotonic() - started
    # The command reports the time of the work itself, after connecting and migrating.
    work = float(re.search(r"\(([0-9.]+) s\)", out).group(1))
    return out.strip(), work, wall


def timed_sql(url, script, as_of):
    started = time.monotonic()
    psql(url, "-v", f"as_of={as_of}", "-f", os.path.join(ROOT, "bench", script))
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--specialists", type=int, default=50000)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: cargo build --release")
    as_of = datetime.datetime.now(
        datetime.timezone(datetime.timedelta(hours=9))).date().isoformat()

    seed = fresh("kk_renew_seed")
    out = sh(BIN, "seed", "--specialists", str(args.specialists),
             env={**os.environ, "DATABASE_URL": seed, "RUST_LOG": "warn"})
    print(out.strip())
    counts = psql(seed, "-At", "-c",
                  "SELECT state, count(*) FROM renewal_cycles GROUP BY 1 ORDER BY 1")
    print("cycles by state:", counts.replace("\n", ", "))
    backlog = fresh("kk_renew_backlog", "kk_renew_seed")
    psql(backlog, "-c",
         "UPDATE renewal_cycles SET starts_on = starts_on - interval '3 years', "
         "ends_on = ends_on - interval '3 years', "
         "application_due_on = application_due_on - interval '3 years' WHERE state = 'OPEN'")

    sweeps, sweep_walls, sweep_sql, reminds, remind_walls, remind_sql = [], [], [], [], [], []
    for run in range(args.runs):
        url = fresh("kk_renew_run", "kk_renew_backlog")
        out, work, wall = kakehashi(url, "renewals", "sweep", "--as-of", as_of)
        again, _, _ = kakehashi(url, "renewals", "sweep", "--as-of", as_of)
        if " 0 cycles lapsed" not in again:
            sys.exit(f"the second sweep changed something: {again}")
        sweeps.append(work)
        sweep_walls.append(wall)
        print(f"run {run + 1}: {out}")
        url = fresh("kk_renew_run", "kk_renew_backlog")
        sweep_sql.append(timed_sql(url, "sweep.sql", as_of))

        url = fresh("kk_renew_run", "kk_renew_seed")
        out, work, wall = kakehashi(url, "renewals", "remind", "--as-of", as_of)
        again, _, _ = kakehashi(url, "renewals", "remind", "--as-of", as_of)
        if ": 0 written" not in again:
            sys.exit(f"the second reminder run wrote something: {again}")
        reminds.append(work)
        remind_walls.append(wall)
        print(f"run {run + 1}: {out}")
        url = fresh("kk_renew_run", "kk_renew_seed")
        remind_sql.append(timed_sql(url, "remind.sql", as_of))
    for name in ("kk_renew_run", "kk_renew_backlog", "kk_renew_seed"):
        drop(name)

    med = statistics.median
    print(f"\nmedians of {args.runs} runs, {args.specialists} specialists, as of {as_of}")
    print(f"sweep:  kakehashi {med(sweeps):.2f} s (process {med(sweep_walls):.2f} s), "
          f"SQL baseline {med(sweep_sql):.2f} s, ratio {med(sweeps) / med(sweep_sql):.2f}")
    print(f"remind: kakehashi {med(reminds):.2f} s (process {med(remind_walls):.2f} s), "
          f"SQL baseline {med(remind_sql):.2f} s, ratio {med(reminds) / med(remind_sql):.2f}")


if __name__ == "__main__":
    main()
