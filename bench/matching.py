#!/usr/bin/env python3
"""Matching benchmark on PostgreSQL: ranking the Active List for one consultation request,
and the expiry sweep over many unanswered proposals, each against hand-written SQL.

Ranking: seeds N specialists (about a fifth get a published entry), registers a company
and files one request for ten themes through the API, then asks `matchCandidates(first:
20)` one request at a time (a person waiting for the page), several runs of many requests.
The SQL baseline (bench/candidates.sql, pgbench -M prepared, one client) is the statement
that reads the candidate entries; the ranking itself happens in the service.

Sweep: P requests, each with one proposal whose window closed yesterday, are added to the
seeded database with SQL; `kakehashi matches sweep` expires them all (and must expire
nothing when run again). The SQL baseline (bench/match_sweep.sql) does the same updates.
Each run starts from a fresh copy of the database.

Usage: python3 bench/matching.py [--runs 5] [--requests 50] [--specialists 50000]
                                 [--proposals 20000]
Needs: the release build (cargo build --release; KAKEHASHI_BIN names another binary, for
A/B runs), psql and pgbench, and a PostgreSQL server
(BENCH_PG_ADMIN, default postgres://postgres@127.0.0.1:5432/postgres) where it may create
and drop databases named kk_match_*.
"""

import argparse
import datetime
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KAKEHASHI_BIN", os.path.join(ROOT, "target", "release", "kakehashi"))
ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
BASE = ADMIN.rsplit("/", 1)[0]
PORT = 8101
SECRET = "bench-secret-bench-secret-bench-secret-00"
THEMES = ["BASIC_POLICY", "SECURITY_ACTION_1", "SECURITY_ACTION_2", "EMPLOYEE_TRAINING",
          "INCIDENT_RESPONSE_PLAN", "BACKUP_AND_RECOVERY", "SUPPLIER_REQUIREMENTS",
          "LOG_MONITORING", "RULES_AND_PROCEDURES", "STAR3_READINESS"]


def sh(*args, env=None):
    return subprocess.run(args, check=True, text=True, capture_output=True, env=env).stdout


def psql(url, *args):
    return sh("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, *args)


def fresh(name, template=None):
    psql(ADMIN, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(ADMIN, "-c", f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return f"{BASE}/{name}"


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def env_for(url):
    return {**os.environ, "DATABASE_URL": url, "RUST_LOG": "warn",
            "KAKEHASHI_BIND": f"127.0.0.1:{PORT}", "KAKEHASHI_JWT_HS256_SECRET": SECRET}


def gql(token, query, variables):
    body = json.dumps({"query": query, "variables": variables}).encode()
    headers = {"Content-Type": "application/json"}
    if token:  # None: an anonymous caller
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/graphql", data=body,
                                     headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        reply = json.loads(response.read())
    if reply.get("errors"):
        sys.exit(f"GraphQL errors: {reply['errors']}")
    return reply["data"]


def rank(args, seed):
    env = env_for(seed)
    token = sh(BIN, "token", "--role", "PROGRAM_STAFF", "--sub", "bench", env=env).strip()
    server = subprocess.Popen([BIN, "serve"], env=env, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        company = gql(token, """mutation($input: RegisterCompanyInput!) {
            registerCompany(input: $input) { company { id } userErrors { message } } }""",
                      {"input": {"corporateNumber": "7000012050002", "name": "ベンチ工業",
                                 "nameKana": "ベンチコウギョウ", "industry": "MANUFACTURING",
                                 "employees": 30, "capitalYen": 10000000, "prefecture": "13",
                                 "contactName": "試験 太郎",
                                 "contactEmail": "bench@example.jp"}})
        company_id = company["registerCompany"]["company"]["id"]
        filed = gql(token, """mutation($input: FileConsultationRequestInput!) {
            fileConsultationRequest(input: $input) { request { id } userErrors { message } } }""",
                    {"input": {"companyId": company_id, "themes": THEMES,
                               "description": "全般的な助言がほしい", "remoteOk": True}})
        request_id = filed["fileConsultationRequest"]["request"]["id"]
        query = """query($id: ID!) { matchCandidates(requestId: $id, first: 20) {
            score parts { themeCoverage regionFit industryFit capacityLeft responsiveness
            pastRatings } entry { id } } }"""
        for _ in range(10):  # warm up
            gql(token, query, {"id": request_id})
        runs = []
        for _ in range(args.runs):
            latencies = []
            for _ in range(args.requests):
                started = time.perf_counter()
                gql(token, query, {"id": request_id})
                latencies.append((time.perf_counter() - started) * 1000)
            runs.append((percentile(latencies, 50), percentile(latencies, 99)))
        with open(f"/proc/{server.pid}/status") as f:
            rss = next(l for l in f if l.startswith("VmHWM")).split()[1]
    finally:
        server.terminate()
        server.wait()
    candidates = psql(seed, "-At", "-f", os.path.join(ROOT, "bench", "candidates.sql"))
    ranked = len([line for line in candidates.splitlines() if line.strip()])
    sql_runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, "log")
            sh("pgbench", "-n", "-M", "prepared", "-c", "1", "-T", "5",
               "-f", os.path.join(ROOT, "bench", "candidates.sql"), "-l",
               f"--log-prefix={prefix}", seed)
            latencies = []
            for path in glob.glob(prefix + "*"):
                with open(path) as f:
                    latencies.extend(int(line.split()[2]) / 1000 for line in f)
            sql_runs.append(percentile(latencies, 50))
    return runs, sql_runs, ranked, int(rss) / 1024


def add_proposals(url, proposals):
    psql(url, "-c", f"""
        INSERT INTO companies (corporate_number, name, name_kana, industry, employees,
            capital_yen, prefecture_code, sme_sector, is_sme, security_action,
            supply_chain_target, otasuketai, guide_step, contact_name, contact_email,
            version, created_at, updated_at)
        VALUES ('2000012010019', 'ベンチ商事', 'ベンチショウジ', 'E', 20, 10000000, '13',
            'MANUFACTURING_AND_OTHERS', true, 'NONE', 'NONE', false, 1, '試験 花子',
            'sweep@example.jp', 1, now(), now());
        WITH entries AS (
            SELECT id, specialist_id, row_number() OVER (ORDER BY id) AS n
              FROM active_list_entries WHERE status = 'PUBLISHED'),
        total AS (SELECT count(*) AS c FROM entries),
        requests AS (
            INSERT INTO consultation_requests (company_id, status, theme_ids, description,
                prefecture_code, remote_ok, urgency, language, filed_by, opened_on,
                version, created_at, updated_at)
            SELECT (SELECT id FROM companies WHERE corporate_number = '2000012010019'),
                   'MATCHING', '[1]', 'bench', '13', true, 'NORMAL', 'ja', 'bench',
                   CURRENT_DATE - 10, 1, now(), now()
              FROM generate_series(1, {proposals})
            RETURNING id)
        INSERT INTO matches (request_id, entry_id, specialist_id, status, score, proposed_by,
            proposed_at, respond_by, version, created_at, updated_at)
        SELECT r.id, e.id, e.specialist_id, 'PROPOSED', '{{}}', 'bench', now() - interval '8 days',
               CURRENT_DATE - 1, 1, now(), now()
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM requests) r
          JOIN entries e ON e.n = 1 + (r.n - 1) % (SELECT c FROM total);
        ANALYZE;""")


def sweep(args, seed):
    as_of = datetime.datetime.now(
        datetime.timezone(datetime.timedelta(hours=9))).date().isoformat()
    template = fresh("kk_match_sweep", "kk_match_seed")
    add_proposals(template, args.proposals)
    open_count = psql(template, "-At", "-c",
                      "SELECT count(*) FROM matches WHERE status = 'PROPOSED'").strip()
    works, walls, sqls = [], [], []
    for run in range(args.runs):
        url = fresh("kk_match_run", "kk_match_sweep")
        started = time.monotonic()
        out = sh(BIN, "matches", "sweep", "--as-of", as_of, env=env_for(url))
        walls.append(time.monotonic() - started)
        works.append(float(re.search(r"\(([0-9.]+) s\)", out).group(1)))
        again = sh(BIN, "matches", "sweep", "--as-of", as_of, env=env_for(url))
        if ": 0 proposals expired" not in again:
            sys.exit(f"the second sweep changed something: {again}")
        print(f"run {run + 1}: {out.strip()}")
        url = fresh("kk_match_run", "kk_match_sweep")
        started = time.monotonic()
        psql(url, "-v", f"as_of={as_of}", "-f", os.path.join(ROOT, "bench", "match_sweep.sql"))
        sqls.append(time.monotonic() - started)
    for name in ("kk_match_run", "kk_match_sweep"):
        psql(ADMIN, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return int(open_count), works, walls, sqls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--specialists", type=int, default=50000)
    parser.add_argument("--proposals", type=int, default=20000)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: cargo build --release")
    seed = fresh("kk_match_seed")
    print(sh(BIN, "seed", "--specialists", str(args.specialists), env=env_for(seed)).strip())
    psql(seed, "-c", "VACUUM ANALYZE")

    runs, sql_runs, ranked, rss = rank(args, seed)
    open_count, works, walls, sqls = sweep(args, seed)
    psql(ADMIN, "-c", "DROP DATABASE IF EXISTS kk_match_seed WITH (FORCE)")

    med = statistics.median
    p50 = med(r[0] for r in runs)
    p99 = med(r[1] for r in runs)
    print(f"\n{args.specialists} specialists; {args.runs} runs, medians")
    print(f"ranking {ranked} candidate entries for a ten-theme request, first 20, one client: "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (runs p50: {[round(r[0], 1) for r in runs]}); "
          f"SQL reading the candidates p50 {med(sql_runs):.1f} ms; ratio {p50 / med(sql_runs):.1f}; "
          f"peak RSS {rss:.1f} MiB")
    print(f"sweep of {open_count} unanswered proposals: kakehashi {med(works):.2f} s "
          f"(process {med(walls):.2f} s), SQL baseline {med(sqls):.2f} s, "
          f"ratio {med(works) / med(sqls):.2f}")


if __name__ == "__main__":
    main()
