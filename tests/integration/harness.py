"""Runs the real pilemeshd binary for integration tests: a temporary config and data folder,
a free port, its log lines as they come, HTTP and server-sent events over real sockets.

Nothing here sleeps: waits are for a log line, an event or a process exit, each with a deadline.
"""
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BUILD_DIR = os.environ.get("PILEMESH_BUILD_DIR", os.path.join(os.path.dirname(__file__), "../../build"))
PILEMESHD = os.path.join(BUILD_DIR, "bin", "pilemeshd")
PLUGIN_DIR = os.path.join(BUILD_DIR, "lib", "pilemesh", "plugins")
TEST_PLUGIN_DIR = os.path.join(BUILD_DIR, "test-plugins")
READY_LINE = re.compile(r"web UI and API at http://")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)  # a TOML basic string is a JSON string for our ASCII values


def pile(id="pile-1", driver="simulator/charger", **settings):
    return {"id": id, "driver": driver, "settings": settings}


def meter(id="house", driver="simulator/meter", **settings):
    return {"id": id, "driver": driver, "settings": settings}


def render_config(port, piles=(), meters=(), plugin_dirs=None, extra="", location=None, address=None,
                  ocpp_port=None):
    """location: the geohash cell that offers the piles to neighbours; None keeps them private.
    address: the piles' exact address, sealed to booked members.
    ocpp_port: the OCPP endpoint's port on 127.0.0.1; None runs no OCPP endpoint."""
    lines = ['[gateway]', 'name = "test"'] + ([f'location = "{location}"'] if location else []) + \
        ([f'address = {toml_value(address)}'] if address else []) + ['', '[web]', 'bind = "127.0.0.1"', f"port = {port}", '',
             '[devices]', 'reconnect_initial_ms = 100', 'reconnect_max_ms = 1000', '',
             '[ocpp]', 'listen = ' + (f'"127.0.0.1:{ocpp_port}"' if ocpp_port is not None else '"off"'), '']
    if plugin_dirs is not None:
        lines += ['[plugins]', f"dirs = {toml_value(plugin_dirs)}", '']
    for table, devices in (("piles", piles), ("meters", meters)):
        for d in devices:
            lines += [f"[[{table}]]", f'id = "{d["id"]}"', f'driver = "{d["driver"]}"']
            if d["settings"]:
                lines.append(f"[{table}.settings]")
                lines += [f"{k} = {toml_value(v)}" for k, v in d["settings"].items()]
            lines.append("")
    return "\n".join(lines) + extra


SIGN = os.path.join(BUILD_DIR, "bin", "ledger_sign")


class Daemon:
    """One pilemeshd process. Use as a context manager; it is stopped (SIGTERM) on exit."""

    def __init__(self, config_text=None, args=(), port=None, data_dir=None, env=None):
        self.tmp = tempfile.TemporaryDirectory(prefix="pilemesh-it-")
        self.port = port or free_port()
        self.config_path = os.path.join(self.tmp.name, "pilemesh.toml")
        if config_text is not None:
            with open(self.config_path, "w") as f:
                f.write(config_text)
        self.data_dir = data_dir or os.path.join(self.tmp.name, "data")
        self.args = args
        self.extra_env = env or {}
        self.lines = []
        self._lines = queue.Queue()
        self.proc = None

    def write_config(self, text):
        with open(self.config_path, "w") as f:
            f.write(text)

    def start(self, wait_ready=True):
        env = dict(os.environ)
        env.pop("JOURNAL_STREAM", None)
        env.pop("NOTIFY_SOCKET", None)
        env.update(self.extra_env)
        self.proc = subprocess.Popen(
            [PILEMESHD, "--config", self.config_path, "--data-dir", self.data_dir, *self.args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        threading.Thread(target=self._read, daemon=True).start()
        if wait_ready:
            self.wait_for_log(READY_LINE, timeout=20)
        return self

    def _read(self):
        with self.proc.stdout:
            for line in self.proc.stdout:
                self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for_log(self, pattern, timeout=10):
        """Returns the first log line (from now on, or already seen) matching pattern."""
        pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        for line in self.lines:
            if pattern.search(line):
                return line
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no log line matching {pattern.pattern!r}; log:\n" + "\n".join(self.lines))
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"pilemeshd exited before logging {pattern.pattern!r}; log:\n" + "\n".join(self.lines))
            self.lines.append(line)
            if pattern.search(line):
                return line

    def wait_exit(self, timeout=20):
        code = self.proc.wait(timeout=timeout)
        while True:  # drain the rest of the log
            try:
                line = self._lines.get(timeout=5)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return code

    def run_to_exit(self):
        """Runs the daemon until it exits by itself; returns (exit status, log)."""
        try:
            self.start(wait_ready=False)
            return self.wait_exit(), self.log()
        finally:
            self.tmp.cleanup()

    def log(self):
        return "\n".join(self.lines)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            return self.wait_exit()
        return self.proc.returncode if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if exc[0] is not None:  # a failing test shows what the daemon said last
            while not self._lines.empty():
                line = self._lines.get_nowait()
                if line is not None:
                    self.lines.append(line)
            print("--- daemon log, last 40 lines ---\n" + "\n".join(self.lines[-40:]), file=sys.stderr)
        try:
            if self.proc and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            self.tmp.cleanup()

    # --- HTTP ---------------------------------------------------------------------------
    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, dict(resp.getheaders()), data
        finally:
            conn.close()

    def gateway_key(self):
        """The gateway's public key, from its key file: what a client pins."""
        return subprocess.run([SIGN, os.path.join(self.data_dir, "node.key"), "pub"], check=True,
                              capture_output=True, text=True).stdout.strip()

    def get_json(self, path):
        status, headers, data = self.request("GET", path)
        assert status == 200, (status, data)
        return json.loads(data)

    def raw(self, payload, timeout=10):
        """Sends raw bytes and returns everything the server answers until it closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(payload)
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    def events(self, timeout=20, member=None):
        """The event stream; in `member`'s session when given (service events reach only the
        members they concern, and admins)."""
        return EventStream(self.port, timeout, member.cookie if member else None)


def daemon(args=(), extra="", env=None, **config):
    """A Daemon whose config file is render_config(**config) on its own free port."""
    d = Daemon(args=args, env=env)
    d.write_config(render_config(d.port, extra=extra, **config))
    return d


class EventStream:
    """A client of GET /api/v1/events (server-sent events)."""

    def __init__(self, port, timeout, cookie=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {"Accept": "text/event-stream"}
        if cookie:
            headers["Cookie"] = cookie
        self.conn.request("GET", "/api/v1/events", headers=headers)
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.status
        assert self.resp.getheader("Content-Type", "").startswith("text/event-stream")

    def next(self, deadline=None):
        """The next event; None once `deadline` (time.monotonic()) has passed while only
        keepalive comments arrived."""
        event, data = None, []
        while True:
            if deadline is not None and time.monotonic() > deadline:
                return None
            line = self.resp.fp.readline()
            if not line:
                raise AssertionError("event stream closed")
            line = line.decode().rstrip("\r\n")
            if line == "":
                if data:
                    return event, json.loads("\n".join(data))
                continue
            if line.startswith(":"):
                continue
            key, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if key == "event":
                event = value
            elif key == "data":
                data.append(value)

    def wait_for(self, predicate, what, limit=2000, timeout=60):
        """Reads events until predicate(event, data) is true; fails after `limit` events or
        `timeout` seconds (keepalive comments keep the socket busy, so its own timeout alone
        would never fire)."""
        deadline = time.monotonic() + timeout
        for _ in range(limit):
            if time.monotonic() > deadline:
                raise AssertionError(f"no event where {what} within {timeout} s")
            got = self.next(deadline)
            if got is None:
                raise AssertionError(f"no event where {what} within {timeout} s")
            event, data = got
            if predicate(event, data):
                return event, data
        raise AssertionError(f"no event where {what} among {limit} events")

    def close(self):
        self.conn.close()


def login_message(gateway_key, nonce):
    """The hex of the bytes a member signs to log in (docs/api.md)."""
    return ("pilemesh/login/v1" + gateway_key + nonce).encode().hex()


class Member:
    """A member whose key lives on the client, as on a phone: the gateway prepares each
    transaction, the member signs it (build/bin/ledger_sign) and posts it back."""

    def __init__(self, d, key_file):
        self.d, self.key_file = d, key_file
        self.key = subprocess.run([SIGN, key_file, "pub"], check=True, capture_output=True,
                                  text=True).stdout.strip()

        self.cookie, self.csrf = None, None

    def sign(self, hex_message):
        return subprocess.run([SIGN, self.key_file, hex_message], check=True,
                              capture_output=True, text=True).stdout.strip()

    def login(self):
        """Logs in by signing the gateway's challenge: keeps the session cookie and CSRF token."""
        code, _, body = self.d.request("POST", "/api/v1/auth/challenge")
        assert code == 200, (code, body)
        challenge = json.loads(body)
        # The message is built here, from the gateway key this client trusts (the gateway's
        # key file), never taken from the answer.
        assert challenge["gateway_key"] == self.d.gateway_key(), challenge
        code, headers, body = self.d.request(
            "POST", "/api/v1/auth/login", headers={"Content-Type": "application/json"},
            body=json.dumps({"key": self.key, "nonce": challenge["nonce"],
                             "signature": self.sign(login_message(self.d.gateway_key(), challenge["nonce"]))}))
        assert code == 200, (code, body)
        cookie = headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
        self.cookie = cookie.split(";")[0]
        self.csrf = json.loads(body)["csrf"]
        return json.loads(body)

    def events(self, timeout=20):
        return self.d.events(timeout, member=self)

    def headers(self, extra=None):
        h = {"Content-Type": "application/json"}
        if self.cookie:
            h["Cookie"], h["X-CSRF-Token"] = self.cookie, self.csrf
        h.update(extra or {})
        return h

    def request(self, method, path, body=None):
        """A request in this member's session: (status, parsed JSON or raw bytes)."""
        code, _, data = self.d.request(method, path, headers=self.headers(),
                                       body=None if body is None else json.dumps(body))
        try:
            return code, json.loads(data)
        except ValueError:
            return code, data

    def get(self, path):
        code, data = self.request("GET", path)
        assert code == 200, (path, code, data)
        return data

    def commit(self, events, type_, payload):
        """Submits one transaction and waits for its service event on `events` (a stream that
        sees it: the member's own or an admin's); returns its hash. Fails on any refusal."""
        accepted, result = self.submit(type_, payload)
        assert accepted, result
        _, event = events.wait_for(lambda e, s: e == "service" and s["hash"] == result, f"{type_} committed")
        assert event["ok"], event
        return event["hash"]

    def submit(self, type_, payload):
        """Prepares, signs and submits one transaction: (True, hash) or (False, error object)."""
        headers = self.headers()
        code, _, body = self.d.request("POST", "/api/v1/service/prepare", headers=headers,
                                       body=json.dumps({"type": type_, "signer": self.key, "payload": payload}))
        if code != 200:
            return False, json.loads(body)["error"]
        prepared = json.loads(body)
        signature = self.sign(prepared["sign"])
        code, _, body = self.d.request("POST", "/api/v1/ledger/txs", headers=headers,
                                       body=json.dumps({"tx": prepared["tx"], "signature": signature}))
        if code != 202:
            return False, json.loads(body)["error"]
        return True, json.loads(body)["hash"]


def run_tests():
    unittest.main(verbosity=2)
