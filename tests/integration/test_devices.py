"""Devices that fail never stop the gateway: unreachable piles go offline and are retried, bad
plugins are refused one by one, and the good ones keep working."""
import gzip
import re
import json
import os
import unittest

from harness import PLUGIN_DIR, TEST_PLUGIN_DIR, Member, daemon, meter, pile, run_tests

GOOD = pile("good", ev_connected=True, auto_start=True, time_scale=60.0, tick_ms=100)


def pile_in(status, pile_id):
    return next(p for p in status["piles"] if p["id"] == pile_id)


class DeviceFailures(unittest.TestCase):
    def test_unreachable_pile_is_offline_and_retried_while_others_work(self):
        with daemon(piles=[pile("far", fault="unreachable"), GOOD]) as d:
            events = d.events()
            # Retried with backoff: the attempt counter keeps climbing while the gateway serves.
            _, far = events.wait_for(lambda e, p: e == "pile" and p["id"] == "far" and p["reconnect_attempts"] >= 3,
                                     "the unreachable pile is retried")
            self.assertFalse(far["online"])
            self.assertIn("unreachable", far["error"])
            status = d.get_json("/api/v1/status")
            self.assertTrue(pile_in(status, "good")["online"])
            self.assertFalse(pile_in(status, "far")["online"])
            self.assertEqual(d.request("GET", "/healthz")[0], 200)
            self.assertIn("[far] offline", d.log())

    def test_comm_loss_goes_offline_then_comes_back(self):
        flaky = pile("flaky", ev_connected=True, fault="comm_loss", fault_after_s=2, time_scale=20.0, tick_ms=100)
        with daemon(piles=[flaky]) as d:
            # The log tells each step; live events are coalesced (one per device per 200 ms), so
            # an offline spell shorter than that may never reach a stream.
            d.wait_for_log(r"\[flaky\] offline: connection lost", timeout=20)
            d.wait_for_log(r"\[flaky\] online again", timeout=20)
            events = d.events()
            events.wait_for(lambda e, p: e in ("pile", "snapshot") and (p.get("online") or any(
                x["id"] == "flaky" and x["online"] for x in p.get("piles", []))), "the pile is online")

    def test_bad_plugins_are_refused_and_the_gateway_keeps_running(self):
        piles = [pile("broken", driver="throwing/charger"), GOOD]
        with daemon(plugin_dirs=[PLUGIN_DIR, TEST_PLUGIN_DIR], piles=piles, meters=[meter()]) as d:
            log = d.log()
            self.assertRegex(log, r"pilemesh-wrong-abi\.so refused: built for plugin SDK ABI 44, this gateway needs ABI 3")
            self.assertRegex(log, r"pilemesh-missing-symbol\.so refused: missing entry symbol pilemesh_plugin_entry")
            self.assertRegex(log, r"pilemesh-bad-entry\.so refused: .*factory")
            status = d.get_json("/api/v1/status")
            broken = pile_in(status, "broken")
            self.assertFalse(broken["online"])
            self.assertIn("wallbox firmware 0.9 is not supported", broken["error"])
            self.assertTrue(pile_in(status, "good")["online"])
            answer = d.get_json("/api/v1/plugins")
            plugins = {p["name"]: p for p in answer["plugins"]}
            self.assertIn("simulator", plugins)
            self.assertIn("throwing", plugins)
            self.assertNotIn("broken", plugins)
            # Each plugin's health is its devices': the throwing driver's pile is down, with why.
            self.assertEqual([(x["id"], x["online"]) for x in plugins["throwing"]["devices"]], [("broken", False)])
            self.assertIn("wallbox firmware 0.9 is not supported", plugins["throwing"]["devices"][0]["error"])
            self.assertEqual(sorted((x["id"], x["kind"], x["online"]) for x in plugins["simulator"]["devices"]),
                             [("good", "charger", True), ("house", "meter", True)])
            # The refused files are listed with their reasons.
            refused = sorted(re.search(r"(pilemesh-[a-z-]+\.so) refused: ", m).group(1) for m in answer["refused"])
            self.assertEqual(refused, ["pilemesh-bad-entry.so", "pilemesh-low-top-up-number.so",
                                       "pilemesh-missing-symbol.so", "pilemesh-wrong-abi.so"])
            self.assertTrue(any("pilemesh-wrong-abi.so refused: built for plugin SDK ABI 44" in m for m in answer["refused"]))

    def test_a_pile_whose_plugin_is_missing_stays_offline(self):
        with daemon(piles=[pile("ghost", driver="acme/wallbox"), GOOD]) as d:
            ghost = pile_in(d.get_json("/api/v1/status"), "ghost")
            self.assertFalse(ghost["online"])
            self.assertIn('no plugin named "acme"', ghost["error"])


class PileCommands(unittest.TestCase):
    def test_current_limit_is_honoured(self):
        with daemon(piles=[GOOD]) as d:
            events = d.events()
            events.wait_for(lambda e, p: e == "pile" and p["connectors"][0]["state"] == "Charging",
                            "the pile charges")
            path, limit = "/api/v1/piles/good/connectors/1/current-limit", json.dumps({"current_a": 8})
            # Only the gateway's owner (or an admin) commands the pile, with the session's CSRF token.
            status, _, body = d.request("PUT", path, body=limit, headers={"Content-Type": "application/json"})
            self.assertEqual((status, json.loads(body)["error"]["code"]), (401, "not_logged_in"))
            owner = Member(d, os.path.join(d.data_dir, "node.key"))
            owner.login()
            status, _, body = d.request("PUT", path, body=limit, headers=owner.headers({"X-CSRF-Token": ""}))
            self.assertEqual((status, json.loads(body)["error"]["code"]), (403, "csrf"))
            status, _, body = d.request("PUT", path, body=limit, headers=owner.headers())
            self.assertEqual(status, 200, body)
            _, p = events.wait_for(
                lambda e, p: e == "pile" and p["connectors"][0]["current_limit_ma"] == 8000
                and 0 < max(p["connectors"][0]["current_ma"]) <= 8100, "the current follows the limit")
            self.assertLess(p["connectors"][0]["power_w"], 3 * 230 * 8.2)


class Observability(unittest.TestCase):
    def test_metrics_in_prometheus_text(self):
        with daemon(piles=[GOOD], meters=[meter()]) as d:
            d.events().wait_for(lambda e, p: e == "meter" and p["reading"], "a meter reading")
            status, headers, body = d.request("GET", "/metrics")
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("text/plain"))
            text = body.decode()
            for needle in ("# TYPE process_resident_memory_bytes gauge", 'pilemesh_pile_online{device="good"} 1',
                           'pilemesh_connector_power_watts{device="good",connector="1"}',
                           'pilemesh_meter_power_watts{device="house"}', 'pilemesh_http_requests_total{code="2xx"}'):
                self.assertIn(needle, text)

    def test_the_web_ui_and_its_assets(self):
        with daemon(piles=[GOOD]) as d:
            status, headers, body = d.request("GET", "/")
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("text/html"))
            self.assertEqual(headers["Cache-Control"], "no-cache")
            csp = headers["Content-Security-Policy"]
            self.assertIn("script-src 'self'", csp)
            self.assertIn("frame-ancestors 'none'", csp)
            page = body.decode()
            self.assertNotIn("http://", page.replace("http://www.w3.org", ""), "the page must not load anything remote")
            script_path = re.search(r'src="(/assets/[0-9a-f]{16}/app\.js)"', page).group(1)
            status, headers, script = d.request("GET", script_path)
            self.assertEqual(status, 200)
            self.assertIn("immutable", headers["Cache-Control"])
            self.assertIn("EventSource", script.decode())
            status, _, _ = d.request("GET", script_path, headers={"If-None-Match": headers["ETag"]})
            self.assertEqual(status, 304)
            # Precompressed: the same bytes, gzipped, to a client that accepts gzip.
            status, headers, packed = d.request("GET", script_path, headers={"Accept-Encoding": "gzip, br"})
            self.assertEqual((status, headers["Content-Encoding"]), (200, "gzip"))
            self.assertEqual(gzip.decompress(packed), script)
            self.assertLess(len(packed), len(script) / 2)

if __name__ == "__main__":
    run_tests()
