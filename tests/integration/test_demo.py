"""The demo neighbourhood of `make run`: `pilemesh demo seed` builds weeks of history in an
empty data folder through the contracts; the chain verifies; the daemon carries on from it and
shows three priced piles, ratings with reviews, analytics with sessions, and a neighbour's
bookings to that neighbour; seeding again leaves the folder alone."""
import json
import os
import subprocess
import tempfile
import unittest

import harness
from harness import BUILD_DIR, daemon, pile, run_tests

PILEMESH = os.path.join(BUILD_DIR, "bin", "pilemesh")
DEMO_CONFIG = os.path.join(os.path.dirname(__file__), "..", "..", "config", "examples", "demo.toml")


class Demo(unittest.TestCase):
    def test_the_demo_neighbourhood_has_history_to_show(self):
        tmp = tempfile.TemporaryDirectory(prefix="pilemesh-demo-")
        self.addCleanup(tmp.cleanup)
        data = os.path.join(tmp.name, "data")
        seed = subprocess.run([PILEMESH, "demo", "seed", "--config", DEMO_CONFIG, "--data-dir", data, "--days", "14",
                               "--extra-piles", "5"],
                              capture_output=True, text=True)
        self.assertEqual(seed.returncode, 0, seed.stderr)
        # Each neighbour's sign-in link carries the seed of their key file; the owner has a password.
        with open(os.path.join(data, "demo-keys", "alice.key")) as f:
            alice_seed = f.read().strip()
        self.assertIn(f"alice  http://127.0.0.1:8080/#/key/{alice_seed}  ({os.path.join(data, 'demo-keys', 'alice.key')})",
                      seed.stdout)
        self.assertIn("password demo-owner", seed.stdout)
        verify = subprocess.run([PILEMESH, "ledger", "verify", "--data-dir", data], capture_output=True, text=True)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        again = subprocess.run([PILEMESH, "demo", "seed", "--config", DEMO_CONFIG, "--data-dir", data],
                               capture_output=True, text=True)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("not seeded again", again.stdout)
        # `make run` seeds on every start: the second time it prints the same logins.
        self.assertIn(f"alice  http://127.0.0.1:8080/#/key/{alice_seed}", again.stdout)
        self.assertIn("password demo-owner", again.stdout)

        d = daemon(piles=[pile("pile-1")], location="u33dc1")
        d.data_dir = data
        with d:
            piles = d.get_json("/api/v1/service/piles?near=u33dc1")["piles"]
            self.assertEqual(sorted(p["id"] for p in piles),
                             ["frank-carport", "frank-garage", "pile-1"] + [f"street-{i}" for i in range(1, 6)])
            self.assertTrue(all(p["estimate"] > 0 for p in piles))
            # The demo's owner signs in with the printed password, as the gateway's key.
            code, _, body = d.request("POST", "/api/v1/auth/owner", headers={"Content-Type": "application/json"},
                                      body=json.dumps({"password": "demo-owner"}))
            self.assertEqual(code, 200, body)
            self.assertEqual(json.loads(body)["member"], d.gateway_key())
            self.assertEqual(d.get_json("/api/v1/setup")["needed"], False)
            detail = d.get_json("/api/v1/service/piles/pile-1")
            self.assertGreater(len(detail["ratings"]), 0)
            self.assertTrue(any("review" in r for r in detail["ratings"]))
            owner = harness.Member(d, os.path.join(data, "node.key"))
            owner.login()
            analytics = owner.get("/api/v1/service/piles/pile-1/analytics")
            self.assertGreater(sum(m["sessions"] for m in analytics["months"].values()), 0)
            self.assertGreater(sum(sum(row) for row in analytics["usage_minutes"]), 0)
            alice = harness.Member(d, os.path.join(data, "demo-keys", "alice.key"))
            alice.login()
            bookings = alice.get(f"/api/v1/service/members/{alice.key}/bookings")["bookings"]
            self.assertGreater(len(bookings), 1)
            self.assertEqual(bookings[0]["status"], 1)  # tomorrow's, still ahead
            self.assertTrue(all(b["member"] == alice.key for b in bookings))


if __name__ == "__main__":
    run_tests()
