#!/usr/bin/env python3
"""Crash safety: kill the server (SIGKILL) in the middle of a registration
and sign-in load, restart it, and check that the database is consistent and
the app serves.

    scripts/crash_test.py BINARY DATABASE_URL

DATABASE_URL is a SQLite file path or a postgres:// URL (checked with psql).
Only the standard library is used; all traffic stays on 127.0.0.1.
"""

import http.cookiejar
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

BINARY, DATABASE_URL = sys.argv[1], sys.argv[2]
PASSWORD = "correct horse battery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
ENV = dict(
    os.environ,
    ROCKET_PORT=str(PORT),
    ROCKET_ADDRESS="127.0.0.1",
    ROCKET_LOG_LEVEL="off",
    ROCKET_SECRET_KEY="hPRYyVRiMyxpw5sBB1XeCMN1kFsDCqKvBi2QJxBVHQk=",
    ROCKET_DATABASES='{app={url="%s"}}' % DATABASE_URL,
    # The flags this script relies on, whatever the project's Rocket.toml chose.
    ROCKET_SECURITY="{default_locale=\"en\",registerable=true,confirmable=false,passwordless=false,two_factor=false,"
    "password_complexity=false,password_check_breached=false,change_email=false,"
    "username_enable=false,username_recovery=false,change_username=false,unified_signin=false,"
    "argon2={memory_kib=64,iterations=1,parallelism=1},rate_limits={enabled=false}}",
    ROCKET_MAIL='{transport="memory"}',
)


def start():
    server = subprocess.Popen([BINARY], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(BASE + "/api/hello", timeout=1) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start")


def client():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def call(opener, method, path, body=None, csrf=None):
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if csrf:
        headers["X-CSRF-Token"] = csrf
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, headers=headers, method=method)
    try:
        with opener.open(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


stop = threading.Event()
server_errors = []


def load(worker):
    n = 0
    while not stop.is_set():
        n += 1
        email = f"crash{worker}-{n}@example.com"
        try:
            opener = client()
            _, page = call(opener, "GET", "/login")
            csrf = page["response"]["csrf_token"]
            status, _ = call(opener, "POST", "/register", {"email": email, "password": PASSWORD}, csrf)
            if status >= 500:
                server_errors.append(status)
            status, _ = call(opener, "POST", "/login", {"email": email, "password": PASSWORD}, csrf)
            if status >= 500:
                server_errors.append(status)
        except (OSError, KeyError, ValueError):
            pass  # the server was killed mid-request


server = start()
threads = [threading.Thread(target=load, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
time.sleep(3)
server.send_signal(signal.SIGKILL)
server.wait()
stop.set()
for t in threads:
    t.join()
assert not server_errors, f"5xx during the load: {server_errors}"

server = start()
try:
    opener = client()
    _, page = call(opener, "GET", "/login")
    csrf = page["response"]["csrf_token"]
    status, _ = call(opener, "POST", "/register", {"email": "after-crash@example.com", "password": PASSWORD}, csrf)
    assert status == 200, status
    status, me = call(opener, "GET", "/api/me")
    assert status == 200 and me["email"] == "after-crash@example.com", (status, me)
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

CHECKS = {
    "users without a complete row": "SELECT count(*) FROM users WHERE email = '' OR email_key = '' "
    "OR password_hash NOT LIKE '$argon2id$%' OR created_at IS NULL",
    "tokens of no user": "SELECT count(*) FROM user_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE u.id IS NULL",
    "roles of no user": "SELECT count(*) FROM roles_users r LEFT JOIN users u ON u.id = r.user_id WHERE u.id IS NULL",
    "users with a login count but no login time": "SELECT count(*) FROM users WHERE login_count > 0 AND current_login_at IS NULL",
}

if DATABASE_URL.startswith("postgres"):
    def query(sql):
        return subprocess.check_output(["psql", "-tAq", DATABASE_URL, "-c", sql], text=True).strip()
else:
    db = sqlite3.connect(DATABASE_URL)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "SQLite integrity check failed"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == [], "foreign key violations"

    def query(sql):
        return str(db.execute(sql).fetchone()[0])

users = int(query("SELECT count(*) FROM users"))
assert users > 1, f"the load registered nobody ({users} users)"
for name, sql in CHECKS.items():
    found = query(sql)
    assert found == "0", f"{name}: {found}"
print(f"crash test: ok ({users} users after a SIGKILL under load, database consistent, app serving)")
