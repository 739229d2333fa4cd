"""Bad input gets a clear error naming what and where; the process keeps serving; nothing
committed is lost."""
import json
import os
import re
import socket
import unittest

from harness import Daemon, Member, daemon, pile, run_tests


def run_to_exit(d):
    return d.run_to_exit()


class InvalidConfig(unittest.TestCase):
    def test_every_problem_with_file_line_key_expected_and_found(self):
        d = Daemon()
        d.write_config('[web]\nport = 70000\nprot = 8080\n\n[gateway]\nlog_level = "loud"\n')
        code, log = run_to_exit(d)
        self.assertEqual(code, 2, log)
        path = re.escape(d.config_path)
        self.assertRegex(log, path + r":2:\d+: web\.port: .*1\.\.65535.*70000")
        self.assertRegex(log, path + r":3:\d+: web\.prot: .*did you mean \"port\"")
        self.assertRegex(log, path + r":6:\d+: gateway\.log_level: .*loud")

    def test_toml_syntax_error_names_the_line(self):
        d = Daemon()
        d.write_config('[web]\nport = 8080\nbind = "127.0.0.1\n')
        code, log = run_to_exit(d)
        self.assertEqual(code, 2, log)
        self.assertRegex(log, re.escape(d.config_path) + r":3")

    def test_missing_config_file(self):
        d = Daemon()  # no config written
        code, log = run_to_exit(d)
        self.assertEqual(code, 2, log)
        self.assertIn(d.config_path, log)

    def test_driver_settings_are_checked_against_the_plugin(self):
        d = daemon(args=["--check-config"], piles=[pile(battery_kwh=500.0, phasez=3)])
        code, log = run_to_exit(d)
        self.assertEqual(code, 2, log)
        self.assertRegex(log, r"piles\[0\]\.settings\.battery_kwh: .*500")
        self.assertRegex(log, r"piles\[0\]\.settings\.phasez: .*did you mean \"phases\"")
        # And the daemon itself refuses to start on it, with the same messages.
        d = daemon(piles=[pile(battery_kwh=500.0)])
        code, log = run_to_exit(d)
        self.assertEqual(code, 2, log)
        self.assertRegex(log, r"piles\[0\]\.settings\.battery_kwh")

    def test_unknown_driver_fails_check_config(self):
        d = daemon(args=["--check-config"], piles=[pile(driver="acme/wallbox")])
        code, log = run_to_exit(d)
        self.assertEqual(code, 2, log)
        self.assertIn('no plugin named "acme"', log)


class RuntimeFailures(unittest.TestCase):
    def test_port_in_use(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            d = Daemon(port=s.getsockname()[1])
            d.write_config(f'[web]\nport = {d.port}\n\n[ocpp]\nlisten = "off"\n')
            code, log = run_to_exit(d)
        self.assertEqual(code, 1, log)
        self.assertRegex(log, rf"cannot listen on 127\.0\.0\.1:{d.port}: .*in use")

    def test_unreadable_plugin_dir(self):
        d = daemon(plugin_dirs=["/nonexistent/pilemesh-plugins"])
        code, log = run_to_exit(d)
        self.assertEqual(code, 1, log)
        self.assertIn("plugin directory /nonexistent/pilemesh-plugins: cannot read it", log)

    def test_data_dir_that_is_a_file(self):
        d = daemon()
        with open(d.data_dir, "w") as f:
            f.write("not a folder")
        code, log = run_to_exit(d)
        self.assertEqual(code, 1, log)
        self.assertIn("is not a directory", log)

    def test_unwritable_data_dir(self):
        # /proc refuses new folders even to root, so this holds whoever runs the tests.
        d = daemon()
        d.data_dir = "/proc/pilemesh-data"
        code, log = run_to_exit(d)
        self.assertEqual(code, 1, log)
        self.assertIn("/proc/pilemesh-data", log)

    def test_corrupt_database_is_refused_and_left_alone(self):
        d = daemon()
        os.makedirs(d.data_dir, mode=0o700)
        garbage = b"SQLite format 3\x00" + bytes(range(256)) * 64
        db = os.path.join(d.data_dir, "gateway.db")
        with open(db, "wb") as f:
            f.write(garbage)
        d.start(wait_ready=False)
        code, log = d.wait_exit(), d.log()
        self.assertEqual(code, 1, log)
        self.assertRegex(log, r"gateway\.db")
        with open(db, "rb") as f:
            self.assertEqual(f.read(), garbage, "a corrupt database must not be replaced by an empty one")
        d.tmp.cleanup()


class MalformedHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.d = daemon(piles=[pile(ev_connected=True)], extra="")
        cls.d.start()

    @classmethod
    def tearDownClass(cls):
        cls.d.__exit__(None, None, None)

    def assert_still_serving(self):
        status, _, body = self.d.request("GET", "/healthz")
        self.assertEqual(status, 200, body)

    def assert_json_error(self, answer, status, code=None):
        head, _, body = answer.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 %d" % status), answer[:200])
        error = json.loads(body)["error"]
        self.assertIn("message", error)
        if code:
            self.assertEqual(error["code"], code)

    def test_oversized_headers(self):
        answer = self.d.raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        self.assert_json_error(answer, 431)
        self.assert_still_serving()

    def test_oversized_body(self):
        body = b"{" + b" " * (2 << 20) + b"}"
        answer = self.d.raw(b"PUT /api/v1/piles/pile-1/connectors/1/current-limit HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        self.assert_json_error(answer, 413)
        self.assert_still_serving()

    def test_garbage_request_line(self):
        answer = self.d.raw(b"\x16\x03\x01 this is not http\r\n\r\n")
        self.assertTrue(answer.startswith(b"HTTP/1.1 4"), answer[:100])
        self.assert_still_serving()

    def test_unknown_method(self):
        answer = self.d.raw(b"BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertRegex(answer[:12].decode(), r"HTTP/1.1 (4\d\d|501)")
        self.assert_still_serving()

    def test_method_not_allowed_and_unknown_path(self):
        status, headers, body = self.d.request("DELETE", "/api/v1/status")
        self.assertEqual(status, 405)
        self.assertEqual(json.loads(body)["error"]["code"], "method_not_allowed")
        status, _, body = self.d.request("GET", "/api/v1/nothing-here")
        self.assertEqual(status, 404)
        self.assertEqual(json.loads(body)["error"]["code"], "not_found")

    def test_bad_json_and_bad_fields(self):
        path = "/api/v1/piles/pile-1/connectors/1/current-limit"
        # In the owner's session: what is checked here is the body, not who sends it.
        owner = Member(self.d, os.path.join(self.d.data_dir, "node.key"))
        owner.login()
        json_headers = owner.headers()
        status, _, body = self.d.request("PUT", path, body="{not json", headers=json_headers)
        self.assertEqual((status, json.loads(body)["error"]["code"]), (400, "invalid_json"))
        status, _, body = self.d.request("PUT", path, body='{"current_a": "lots"}', headers=json_headers)
        self.assertEqual(status, 422)
        status, _, body = self.d.request("PUT", path, body='{"current_a": -3}', headers=json_headers)
        self.assertEqual((status, json.loads(body)["error"]["code"]), (422, "out_of_range"))
        status, _, body = self.d.request("PUT", path, body='{"current_a": 10}',
                                         headers=owner.headers({"Content-Type": "text/plain"}))
        self.assertEqual(status, 415)
        status, _, body = self.d.request("PUT", "/api/v1/piles/nope/connectors/1/current-limit",
                                         body='{"current_a": 10}', headers=json_headers)
        self.assertEqual(status, 404)
        status, _, body = self.d.request("PUT", "/api/v1/piles/pile-1/connectors/9/current-limit",
                                         body='{"current_a": 10}', headers=json_headers)
        self.assertEqual(status, 400, body)
        self.assert_still_serving()


if __name__ == "__main__":
    run_tests()
