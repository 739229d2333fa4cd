"""pilemeshd starts on a config, serves a live simulated pile, and stops cleanly on a signal."""
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import tempfile
import unittest

from harness import BUILD_DIR, daemon, meter, pile, run_tests

FAST_PILE = pile(ev_connected=True, auto_start=True, soc_start_pct=40.0, time_scale=120.0, tick_ms=100)


class Lifecycle(unittest.TestCase):
    def test_live_pile_through_status_and_events(self):
        d = daemon(piles=[FAST_PILE], meters=[meter(base_load_w=500)])
        with d:
            status, _, body = d.request("GET", "/healthz")
            self.assertEqual(status, 200)
            st = d.get_json("/api/v1/status")
            self.assertEqual(st["name"], "test")
            self.assertEqual([p["id"] for p in st["piles"]], ["pile-1"])
            self.assertEqual([m["id"] for m in st["meters"]], ["house"])
            events = d.events()
            ev, snapshot = events.next()
            self.assertEqual(ev, "snapshot")
            self.assertEqual(snapshot["piles"][0]["id"], "pile-1")
            # The EV charges: the pile reports Charging with power, and the energy register rises.
            _, first = events.wait_for(
                lambda e, p: e == "pile" and p["online"] and p["connectors"][0]["state"] == "Charging"
                and p["connectors"][0]["power_w"] > 1000, "the pile charges")
            start_energy = first["connectors"][0]["energy_wh"]
            _, later = events.wait_for(
                lambda e, p: e == "pile" and p["connectors"][0]["energy_wh"] > start_energy + 10,
                "the energy register rises")
            self.assertGreaterEqual(later["connectors"][0]["energy_wh"], start_energy)
            # The house meter sees the pile on top of the base load.
            _, m = events.wait_for(lambda e, p: e == "meter" and p["reading"] and p["reading"]["power_w"] > 1500,
                                   "the meter sees the charging power")
            self.assertTrue(m["online"])
            events.close()
            self.assertEqual(d.stop(), 0, d.log())
        self.assertIn("stopped cleanly", d.log())

    def test_sigint_and_sigterm_stop_cleanly_and_record_it(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            d = daemon(piles=[FAST_PILE])
            with d:
                d.wait_for_log(r"\[pile-1\] online")
                d.proc.send_signal(sig)
                self.assertEqual(d.wait_exit(), 0, d.log())
                self.assertIn("stopped cleanly", d.log())
                db = sqlite3.connect(os.path.join(d.data_dir, "gateway.db"))
                rows = db.execute("SELECT clean_shutdown FROM boot_log").fetchall()
                db.close()
                self.assertEqual(rows, [(1,)])

    def test_data_dir_is_created_private(self):
        d = daemon()
        with d:
            mode = stat.S_IMODE(os.stat(d.data_dir).st_mode)
            self.assertEqual(mode, 0o700)
            self.assertTrue(os.path.exists(os.path.join(d.data_dir, "gateway.db")))

    def test_version_and_check_config(self):
        d = daemon(args=["--version"], piles=[FAST_PILE])
        code, log = d.run_to_exit()
        self.assertEqual(code, 0)
        self.assertRegex(log, r"pilemeshd \d+\.\d+\.\d+")

        d = daemon(args=["--check-config"], piles=[FAST_PILE], meters=[meter()])
        data_dir = d.data_dir
        code, log = d.run_to_exit()
        self.assertEqual(code, 0, log)
        self.assertIn("configuration is valid", log)
        self.assertFalse(os.path.exists(data_dir), "--check-config must not touch the data dir")

    def test_systemd_notifications_ready_watchdog_stopping(self):
        # Stand in for systemd: a datagram socket in NOTIFY_SOCKET, a watchdog of 200 ms.
        with tempfile.TemporaryDirectory() as tmp, socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            path = os.path.join(tmp, "notify")
            sock.bind(path)
            sock.settimeout(10)
            with daemon(piles=[FAST_PILE], env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "200000"}) as d:
                messages = [sock.recv(4096).decode()]
                self.assertIn("READY=1", messages[0])
                pings = 0
                while pings < 3:  # the watchdog is pinged at half its interval
                    message = sock.recv(4096).decode()
                    pings += message == "WATCHDOG=1"
                d.proc.send_signal(signal.SIGTERM)
                while "STOPPING=1" not in sock.recv(4096).decode():
                    pass
                self.assertEqual(d.wait_exit(), 0, d.log())

    def test_config_schema_lists_every_section(self):
        out = subprocess.run([os.path.join(BUILD_DIR, "bin", "pilemesh"), "config", "schema"],
                             capture_output=True, text=True, check=True).stdout
        for key in ("gateway.data_dir", "web.port", "web.max_body_bytes", "devices.reconnect_max_ms",
                    "piles[].driver", "meters[].settings"):
            self.assertIn(key, out)


if __name__ == "__main__":
    run_tests()
