#!/usr/bin/env python3
"""Kakehashi in a real browser: CORS and the self-hosted GraphiQL, in headless Chromium.

Starts the built service (target/debug/kakehashi serve) on a fresh SQLite file, allowing one
page origin in KAKEHASHI_CORS_ORIGINS, and checks that:

1. a page on that origin (served here, on a port of its own) POSTs a query with an
   Authorization header and reads the answer and its x-request-id;
2. the same page on another origin cannot read the answer (the browser blocks it);
3. GraphiQL, opened with every host but 127.0.0.1 unresolvable (as on a network that blocks
   public CDNs), renders the schema in its Documentation Explorer and no longer says
   "Loading"; a screenshot of it is saved under target/browser/.

Usage: cargo build && python3 tests/browser/run.py [--bin target/debug/kakehashi]
Needs: Chromium (Debian: apt-get install chromium; or set CHROMIUM to its path).
Python 3 standard library only. Exits non-zero on any failure.
"""

import argparse
import html
import http.server
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM_TIMEOUT = 120
# Virtual time Chromium lets the page run before dumping it: enough for the scripts and a
# few requests to 127.0.0.1; the page waits for the network in any case.
BUDGET_MS = "15000"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chromium():
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    sys.exit("browser: Chromium not found: apt-get install chromium (or set CHROMIUM)")


def service_env(tmp, api_port, page_origin):
    """The service's environment: only what this test sets, nothing inherited of ours."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KAKEHASHI_") and k not in ("DATABASE_URL", "RUST_LOG")}
    env.update({
        "KAKEHASHI_ENV": "development",
        "DATABASE_URL": f"sqlite://{tmp}/kakehashi.db?mode=rwc",
        "KAKEHASHI_BIND": f"127.0.0.1:{api_port}",
        "KAKEHASHI_DEMO_SEED": "0",
        "KAKEHASHI_INTROSPECTION": "true",
        "KAKEHASHI_JWT_HS256_SECRET": secrets.token_hex(32),
        "KAKEHASHI_CORS_ORIGINS": page_origin,
        "RUST_LOG": "warn",
    })
    return env


def wait_until_up(port, service, deadline_s=60):
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if service.poll() is not None:
            sys.exit(f"browser: the service stopped at start (exit {service.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("browser: the service did not answer /healthz in time")


def fetch_page(api, token):
    """A page that POSTs a query to `api` with a bearer token and writes what it read."""
    script = """
const out = document.getElementById("result");
fetch(%(endpoint)s, {
  method: "POST",
  headers: { "content-type": "application/json", "authorization": "Bearer " + %(token)s },
  body: JSON.stringify({ query: "{ viewer { authenticated role subject } }" }),
})
  .then(async (r) => {
    document.getElementById("request-id").textContent = r.headers.get("x-request-id") || "";
    out.textContent = "READ " + JSON.stringify(await r.json());
  })
  .catch((e) => { out.textContent = "BLOCKED " + e; });
""" % {"endpoint": json.dumps(f"{api}/graphql"), "token": json.dumps(token)}
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>partner page</title></head>"
            "<body><pre id='result'>waiting</pre><p id='request-id'></p>"
            f"<script>{script}</script></body></html>").encode()


def serve_page(port, body):
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium(binary, profile, url, *extra):
    """Runs headless Chromium on `url` with a profile of its own; returns its stdout."""
    args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", f"--user-data-dir={profile}",
            f"--virtual-time-budget={BUDGET_MS}", *extra, url]
    run = subprocess.run(args, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT)
    if run.returncode != 0:
        raise Check(f"chromium exited {run.returncode}: {run.stderr[-2000:]}")
    return run.stdout


class Check(Exception):
    pass


def text_of(dom, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', dom, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def check_allowed_origin_reads(browser, tmp, page_url):
    dom = chromium(browser, os.path.join(tmp, "profile-allowed"), page_url, "--dump-dom")
    result = text_of(dom, "result")
    if not result.startswith("READ "):
        raise Check(f"the allowed origin's page did not read the answer: {result!r}")
    viewer = json.loads(result[len("READ "):])["data"]["viewer"]
    if viewer != {"authenticated": True, "role": "PROGRAM_STAFF", "subject": "browser-test"}:
        raise Check(f"the page read another viewer: {viewer}")
    if not text_of(dom, "request-id"):
        raise Check("the page could not read x-request-id (Access-Control-Expose-Headers)")
    return f"the allowed origin's page read {json.dumps(viewer)}"


def check_other_origin_blocked(browser, tmp, page_url):
    dom = chromium(browser, os.path.join(tmp, "profile-other"), page_url, "--dump-dom")
    result = text_of(dom, "result")
    if not result.startswith("BLOCKED "):
        raise Check(f"a page on an origin not allowed read the answer: {result!r}")
    return f"a page on another origin was blocked ({result})"


def check_explorer_offline(browser, tmp, api, screenshot):
    # Every host but 127.0.0.1 is unresolvable: a CDN would fail as on a closed network.
    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    url = f"{api}/graphql#docs"
    dom = chromium(browser, os.path.join(tmp, "profile-explorer"), url, offline, "--dump-dom")
    if "Loading" in dom:
        raise Check("GraphiQL still says Loading: its scripts did not run")
    with open(os.path.join(ROOT, "schema.graphql"), encoding="utf-8") as f:
        types = re.findall(r"^type (\w+)", f.read(), re.M)
    missing = [t for t in types if f">{t}<" not in dom]
    if "Root Types" not in dom or not types or missing:
        raise Check(f"the Documentation Explorer does not list the schema's types: "
                    f"missing {missing[:10]} of {len(types)}")
    os.makedirs(os.path.dirname(screenshot), exist_ok=True)
    if os.path.exists(screenshot):
        os.remove(screenshot)
    chromium(browser, os.path.join(tmp, "profile-screenshot"), url, offline,
             "--window-size=1400,900", f"--screenshot={screenshot}")
    if not os.path.exists(screenshot) or os.path.getsize(screenshot) < 10_000:
        raise Check(f"no screenshot of the explorer at {screenshot}")
    return (f"GraphiQL rendered offline with all {len(types)} object types in its docs; "
            f"screenshot: {screenshot}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "kakehashi"))
    parser.add_argument("--screenshot",
                        default=os.path.join(ROOT, "target", "browser", "graphiql.png"))
    args = parser.parse_args()
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"browser: no service binary at {args.bin}: run `cargo build` first")
    browser = find_chromium()

    api_port, allowed_port, other_port = free_port(), free_port(), free_port()
    api = f"http://127.0.0.1:{api_port}"
    allowed_origin = f"http://127.0.0.1:{allowed_port}"
    other_origin = f"http://127.0.0.1:{other_port}"

    failures, passed = [], 0
    with tempfile.TemporaryDirectory(prefix="kakehashi-browser-") as tmp:
        env = service_env(tmp, api_port, allowed_origin)
        token = subprocess.run(
            [args.bin, "token", "--role", "PROGRAM_STAFF", "--sub", "browser-test"],
            env=env, capture_output=True, text=True, check=True).stdout.strip()
        log = open(os.path.join(tmp, "service.log"), "w")
        service = subprocess.Popen([args.bin, "serve"], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        servers = []
        try:
            wait_until_up(api_port, service)
            page = fetch_page(api, token)
            servers = [serve_page(allowed_port, page), serve_page(other_port, page)]
            checks = [
                lambda: check_allowed_origin_reads(browser, tmp, f"{allowed_origin}/"),
                lambda: check_other_origin_blocked(browser, tmp, f"{other_origin}/"),
                lambda: check_explorer_offline(browser, tmp, api, args.screenshot),
            ]
            for check in checks:
                try:
                    print(f"ok: {check()}", flush=True)
                    passed += 1
                except (Check, subprocess.TimeoutExpired, KeyError, ValueError) as err:
                    print(f"FAILED: {err}", flush=True)
                    failures.append(err)
        finally:
            for server in servers:
                server.shutdown()
            service.terminate()
            try:
                service.wait(timeout=30)
            except subprocess.TimeoutExpired:
                service.kill()
            log.close()
            if failures:
                with open(os.path.join(tmp, "service.log")) as f:
                    print("--- service log ---\n" + f.read()[-4000:])
    print(f"browser: {passed} checks passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
