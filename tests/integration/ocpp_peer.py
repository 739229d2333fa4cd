"""An independent OCPP charge point for the tests: tests/integration/ocpp/charge_point.mjs (npm
ocpp-rpc in strict mode) in a node process, driven over JSON lines."""
import hashlib
import json
import os
import queue
import subprocess
import threading
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "ocpp", "charge_point.mjs")


def now_iso():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def id_tag_of(token, length=20):
    """The idTag the gateway derives from a session's token (plugins/ocpp/id_tag.hpp)."""
    return hashlib.sha256(b"pilemesh/ocpp-id-tag/v1" + token.encode()).hexdigest().upper()[:length]


class ChargePoint:
    """One ocpp-rpc client. Every event it reports is kept; wait() finds the next one that
    matches, call() makes a CALL and returns its result (or raises on a CALLERROR)."""

    def __init__(self, ocpp_port, identity, password=None, protocols=("ocpp1.6",)):
        self.endpoint = f"ws://127.0.0.1:{ocpp_port}/ocpp"
        self.identity, self.password, self.protocols = identity, password, list(protocols)
        self.proc = subprocess.Popen(["node", SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=os.path.join(HERE, "ocpp"))
        self.events = queue.Queue()
        self.seen = []  # events taken off the queue and not matched yet
        self.strict_failures = []
        self.ref = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()
        self.stderr = []

    def _read(self):
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "unparsed", "text": line}
            if event.get("event") == "strict_failure":
                self.strict_failures.append(event)
            self.events.put(event)
        self.events.put({"event": "exited"})

    def _read_errors(self):
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip("\n"))

    def send(self, **msg):
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()

    def wait(self, predicate, what, timeout=15):
        for i, e in enumerate(self.seen):
            if predicate(e):
                del self.seen[i]
                return e
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"charge point {self.identity}: no {what}; seen {self.seen[-10:]}; "
                                     f"stderr {self.stderr[-5:]}")
            try:
                e = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if e.get("event") == "exited":
                raise AssertionError(f"charge point {self.identity} exited before {what}: {self.stderr[-25:]}")
            if predicate(e):
                return e
            self.seen.append(e)

    def connect(self, password=None, expect=True):
        self.send(op="connect", endpoint=self.endpoint, identity=self.identity,
                  password=self.password if password is None else password, protocols=self.protocols)
        e = self.wait(lambda e: e["event"] in ("connected", "connect_failed"), "connection")
        if expect:
            assert e["event"] == "connected", e
        return e

    def call(self, action, payload, expect_ok=True):
        self.ref += 1
        ref = self.ref
        self.send(op="call", ref=ref, action=action, payload=payload)
        e = self.wait(lambda e: e.get("ref") == ref and e["event"] in ("result", "call_error"), f"answer to {action}")
        if expect_ok:
            assert e["event"] == "result", e
            return e["result"]
        return e

    def answer(self, action, result):
        self.send(op="answer", action=action, result=result)

    def called(self, action, timeout=15):
        """The next call of `action` the central system made."""
        return self.wait(lambda e: e["event"] == "called" and e["action"] == action,
                         f"{action} from the central system", timeout)["payload"]

    def boot(self, register_wh=None, connector=1):
        """BootNotification. The central system then asks (TriggerMessage) for the meter register it does not
        know yet; with `register_wh` the pile answers that with a MeterValues report, as a real pile would."""
        result = self.call("BootNotification", {"chargePointVendor": "pilemesh-tests", "chargePointModel": "ocpp-rpc"})
        if register_wh is not None:
            trigger = self.called("TriggerMessage")
            assert trigger == {"requestedMessage": "MeterValues", "connectorId": connector}, trigger
            self.meter(register_wh, connector=connector)
        return result

    def status(self, state, connector=1, error="NoError"):
        return self.call("StatusNotification", {"connectorId": connector, "errorCode": error, "status": state,
                                                "timestamp": now_iso()})

    def meter(self, wh, transaction_id=None, connector=1, power_w=None):
        sampled = [{"value": str(wh), "measurand": "Energy.Active.Import.Register", "unit": "Wh"}]
        if power_w is not None:
            sampled.append({"value": str(power_w / 1000), "measurand": "Power.Active.Import", "unit": "kW"})
        payload = {"connectorId": connector, "meterValue": [{"timestamp": now_iso(), "sampledValue": sampled}]}
        if transaction_id is not None:
            payload["transactionId"] = transaction_id
        return self.call("MeterValues", payload)

    def raw_connect(self):
        self.send(op="raw_connect", endpoint=self.endpoint, identity=self.identity, password=self.password,
                  protocols=self.protocols)
        return self.wait(lambda e: e["event"] in ("raw_connected", "raw_refused", "raw_error"), "raw connection")

    def raw(self, text, answer=True):
        """Sends one frame as it is; returns the parsed frame that answers it (or None)."""
        self.send(op="raw", text=text)
        if not answer:
            return None
        return json.loads(self.wait(lambda e: e["event"] == "raw", f"an answer to {text[:40]}")["text"])

    def close(self):
        try:
            self.send(op="close")
            self.proc.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except (OSError, ValueError):
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
