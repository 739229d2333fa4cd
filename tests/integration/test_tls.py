"""HTTPS on a listener that is not loopback: the gateway's own certificate made at first start
and kept, the owner's own certificate when configured, and the session cookie marked Secure."""
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import unittest

from harness import Daemon, run_tests

HTTPS_READY = re.compile(r"web UI and API at https://")


def config(port, extra=""):
    return f'[gateway]\nname = "tls"\n\n[ocpp]\nlisten = "off"\n\n[web]\nbind = "0.0.0.0"\nport = {port}\n{extra}'


def https(d, method, path, body=None, headers=None):
    """A request over TLS without checking the chain (the certificate is self-signed); the
    peer's certificate comes back with the answer, for its fingerprint."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", d.port, timeout=10, context=context)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        der = conn.sock.getpeercert(binary_form=True)
        return resp.status, dict(resp.getheaders()), resp.read(), der
    finally:
        conn.close()


class serving:
    """Starts `d` and waits for its HTTPS line; stops it and removes its folder on exit."""

    def __init__(self, d):
        self.d = d

    def __enter__(self):
        self.d.start(wait_ready=False)
        self.d.wait_for_log(HTTPS_READY, timeout=20)
        return self.d

    def __exit__(self, *exc):
        self.d.__exit__(*exc)


def fingerprint(der):
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


class Tls(unittest.TestCase):
    def test_a_lan_listener_speaks_tls_with_its_own_certificate(self):
        d = Daemon()
        d.write_config(config(d.port))
        with serving(d):
            logged = re.search(r"own certificate (\S+) \(SHA-256 ([0-9A-F:]+)\)", d.log())
            self.assertIsNotNone(logged, d.log())
            status, _, body, der = https(d, "GET", "/healthz")
            self.assertEqual((status, json.loads(body)), (200, {"status": "ok"}))
            self.assertEqual(fingerprint(der), logged.group(2))
            key_file = os.path.join(d.data_dir, "tls", "private-key.pem")
            self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)
            # Plain HTTP on this port is never served: it is sent to the same place over HTTPS.
            answer = d.raw(b"GET /api/v1/status?x=1 HTTP/1.1\r\nHost: pilemesh.local:8443\r\n\r\n")
            self.assertNotIn(b"200 OK", answer)
            self.assertTrue(answer.startswith(b"HTTP/1.1 301"), answer)
            self.assertIn(b"\r\nLocation: https://pilemesh.local:8443/api/v1/status?x=1\r\n", answer)
            self.assertNotIn(b'"name"', answer)  # nothing of the status itself
            # A Host that is not a plain name gives way to the address the client reached.
            answer = d.raw(b"GET / HTTP/1.1\r\nHost: evil.example/\"x\r\n\r\n")
            self.assertIn(b"Location: https://127.0.0.1:%d/\r\n" % d.port, answer)
            # Bytes that are neither TLS nor HTTP: the connection closes, the gateway serves on.
            self.assertNotIn(b"HTTP/1.1", d.raw(b"\x00\x01garbage"))
            self.assertEqual(https(d, "GET", "/healthz")[0], 200)
            # The event stream is never served in the clear either: the same redirect.
            answer = d.raw(b"GET /api/v1/events HTTP/1.1\r\nHost: pilemesh.local\r\n\r\n")
            self.assertTrue(answer.startswith(b"HTTP/1.1 301"), answer[:200])
            self.assertNotIn(b"text/event-stream", answer)
            # The owner's session cookie is never sent over plain HTTP.
            with open(os.path.join(d.data_dir, "setup-code")) as f:
                code = f.read().strip()
            status, headers, body, _ = https(d, "POST", "/api/v1/setup/owner",
                                             json.dumps({"code": code, "password": "correct horse"}),
                                             {"Content-Type": "application/json"})
            self.assertEqual(status, 200, body)
            self.assertIn("; Secure", headers["Set-Cookie"])
            self.assertIn("HttpOnly", headers["Set-Cookie"])
            d.stop()
            # The certificate stays the same across restarts.
            d.lines.clear()
            d.start(wait_ready=False)
            d.wait_for_log(HTTPS_READY, timeout=20)
            self.assertEqual(fingerprint(https(d, "GET", "/healthz")[3]), logged.group(2))

    def test_a_client_that_sends_nothing_is_closed_at_the_request_timeout(self):
        d = Daemon()
        d.write_config(config(d.port, "request_timeout_ms = 300\n"))
        with serving(d):
            with socket.create_connection(("127.0.0.1", d.port), timeout=10) as s:
                self.assertEqual(s.recv(1), b"")  # closed by the gateway, not by the 10 s here
            self.assertEqual(https(d, "GET", "/healthz")[0], 200)

    def test_the_owners_own_certificate(self):
        d = Daemon()
        mine = os.path.join(d.tmp.name, "mine")
        # A certificate made elsewhere: here, by a first gateway.
        first = Daemon()
        first.write_config(config(first.port))
        with serving(first):
            shutil.copytree(os.path.join(first.data_dir, "tls"), mine)
        d.write_config(config(d.port, f'tls_certificate = "{mine}/certificate.pem"\n'
                                      f'tls_private_key = "{mine}/private-key.pem"\n'))
        with serving(d):
            self.assertIn(f"HTTPS with the certificate {mine}/certificate.pem", d.log())
            self.assertFalse(os.path.exists(os.path.join(d.data_dir, "tls")))
            status, _, _, der = https(d, "GET", "/healthz")
            self.assertEqual(status, 200)
            with open(os.path.join(mine, "certificate.pem")) as f:
                pem = f.read()
            self.assertEqual(der, ssl.PEM_cert_to_DER_cert(pem))

    def test_half_a_certificate_is_a_configuration_error(self):
        d = Daemon()
        d.write_config(config(d.port, 'tls_certificate = "/etc/ssl/certs/none.pem"\n'))
        code, log = d.run_to_exit()
        self.assertEqual(code, 2, log)
        self.assertIn("web.tls_certificate and web.tls_private_key: set both or neither", log)


if __name__ == "__main__":
    run_tests()
