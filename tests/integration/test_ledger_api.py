"""The ledger in the daemon: the gateway registers its piles on its own chain at start, and the
HTTP API shows status, blocks and transactions and accepts signed transactions."""
import json
import os
import sqlite3
import subprocess
import tempfile
import unittest

from harness import BUILD_DIR, Daemon, daemon, pile, run_tests

MAKE_TX = os.path.join(BUILD_DIR, "bin", "ledger_make_tx")
JSON = {"Content-Type": "application/json"}


def wait_for_height(d, events, height):
    status = d.get_json("/api/v1/ledger/status")
    if status["height"] >= height:
        return status
    _, status = events.wait_for(lambda e, s: e == "ledger" and s["height"] >= height, f"height {height}")
    return status


class LedgerApi(unittest.TestCase):
    def setUp(self):
        self.data = tempfile.TemporaryDirectory(prefix="pilemesh-ledger-")
        self.addCleanup(self.data.cleanup)

    def node(self, piles):
        d = daemon(piles=piles, location="u33dc1", extra="\n[ledger]\nblock_interval_ms = 20\n")
        d.data_dir = os.path.join(self.data.name, "data")
        return d

    def test_piles_are_registered_and_blocks_are_served(self):
        with self.node([pile("drive"), pile("garage")]) as d:
            events = d.events()
            status = wait_for_height(d, events, 1)
            self.assertEqual(status["validators"], [status["node_key"]])
            self.assertEqual(len(status["state_root"]), 64)
            block = d.get_json("/api/v1/ledger/blocks/1")
            self.assertEqual(block["height"], 1)
            self.assertEqual([b["branch"] for b in block["branches"]], ["identity"])
            registered = sorted(t["payload"]["pile_id"] for t in block["txs"])
            self.assertEqual(registered, ["drive", "garage"])
            self.assertEqual(block["commit"]["signatures"][0]["validator"], status["node_key"])
            tx = d.get_json("/api/v1/ledger/txs/" + block["txs"][0]["hash"])
            self.assertEqual(tx["result"]["code"], "ok")
            self.assertEqual(tx["proof"]["tx_root"], block["tx_root"])
            self.assertEqual(d.request("GET", "/api/v1/ledger/blocks/99")[0], 404)
            self.assertEqual(d.request("GET", "/api/v1/ledger/blocks/x")[0], 400)
            self.assertEqual(d.request("GET", "/api/v1/ledger/txs/zz")[0], 400)
        # A restart continues the same chain and registers only the pile that is new.
        with self.node([pile("drive"), pile("shed")]) as d:
            events = d.events()
            status = wait_for_height(d, events, 2)
            self.assertEqual(status["chain_id"], block["chain_id"])
            self.assertEqual([t["payload"]["pile_id"] for t in d.get_json("/api/v1/ledger/blocks/2")["txs"]], ["shed"])

    def test_signed_transactions_are_checked_and_committed(self):
        with self.node([pile("drive")]) as d:
            events = d.events()
            status = wait_for_height(d, events, 1)
            key_file = os.path.join(d.data_dir, "node.key")

            def make(nonce, *args, chain=status["chain_id"]):
                return subprocess.run([MAKE_TX, key_file, chain, str(nonce), *args], check=True,
                                      capture_output=True, text=True).stdout.strip()

            good = make(2, "register_pile", "carport")
            code, _, body = d.request("POST", "/api/v1/ledger/txs", body=json.dumps({"tx": good}), headers=JSON)
            self.assertEqual(code, 202, body)
            tx_hash = json.loads(body)["hash"]
            code, _, body = d.request("POST", "/api/v1/ledger/txs", body=json.dumps({"tx": good}), headers=JSON)
            self.assertIn(code, (409, 422), body)  # duplicate in the mempool, or replayed once committed
            wait_for_height(d, events, 2)
            tx = d.get_json("/api/v1/ledger/txs/" + tx_hash)
            self.assertEqual((tx["height"], tx["result"]["code"]), (2, "ok"))

            for payload, status_code, code_name in [
                (make(3, "register_pile", "x", chain="another-chain"), 422, "wrong_chain"),
                (make(9, "register_pile", "y"), 422, "bad_nonce"),
                (make(2, "register_pile", "carport"), 422, "bad_nonce"),  # replayed
                (make(3, "register_pile", "drive"), 422, "conflict"),     # exists already
                (good[:-2] + ("00" if not good.endswith("00") else "01"), 422, "bad_signature"),
                ("00" + good[2:], 400, "malformed"),
                (good + "00", 400, "malformed"),
            ]:
                code, _, body = d.request("POST", "/api/v1/ledger/txs", body=json.dumps({"tx": payload}), headers=JSON)
                self.assertEqual((code, json.loads(body)["error"]["code"]), (status_code, code_name), body)
            code, _, body = d.request("POST", "/api/v1/ledger/txs", body="{", headers=JSON)
            self.assertEqual(code, 400)
            self.assertEqual(d.request("GET", "/healthz")[0], 200)
            metrics = d.request("GET", "/metrics")[2].decode()
            self.assertIn("pilemesh_ledger_height 2", metrics)

    def test_a_batch_is_checked_in_order_with_one_result_each(self):
        with self.node([pile("drive")]) as d:
            events = d.events()
            status = wait_for_height(d, events, 1)
            key_file = os.path.join(d.data_dir, "node.key")

            def make(nonce, *args):
                return subprocess.run([MAKE_TX, key_file, status["chain_id"], str(nonce), *args], check=True,
                                      capture_output=True, text=True).stdout.strip()

            batch = [make(2, "register_pile", "a"), make(3, "register_pile", "b"), make(3, "register_pile", "c")]
            bad = make(4, "register_pile", "d")
            batch.append(bad[:-2] + ("00" if not bad.endswith("00") else "01"))
            code, _, body = d.request("POST", "/api/v1/ledger/txs", body=json.dumps({"txs": batch}), headers=JSON)
            self.assertEqual(code, 202, body)
            results = json.loads(body)["results"]
            self.assertEqual([r["code"] for r in results], ["ok", "ok", "bad_nonce", "bad_signature"])
            wait_for_height(d, events, 2)
            self.assertEqual(d.get_json("/api/v1/ledger/txs/" + results[1]["hash"])["result"]["code"], "ok")
            for body, expected in [({"txs": []}, 422), ({"txs": ["zz"]}, 400), ({"txs": [1]}, 422)]:
                self.assertEqual(d.request("POST", "/api/v1/ledger/txs", body=json.dumps(body), headers=JSON)[0],
                                 expected, body)

    def test_the_demo_builds_a_chain_that_verifies(self):
        root = os.path.dirname(os.path.dirname(os.path.abspath(os.path.dirname(__file__))))
        with open(os.path.join(root, "config", "examples", "demo.toml")) as f:
            demo = f.read()
        d = Daemon()
        d.write_config(demo.replace("port = 8080", f"port = {d.port}"))
        d.data_dir = os.path.join(self.data.name, "demo")
        with d:
            wait_for_height(d, d.events(), 1)
            self.assertEqual(d.stop(), 0)
        r = subprocess.run([os.path.join(BUILD_DIR, "bin", "pilemesh"), "ledger", "verify", "--data-dir", d.data_dir],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("verified 1 block: ok", r.stdout)

    def test_a_corrupt_ledger_stops_the_start_with_a_clear_error(self):
        with self.node([pile("drive")]) as d:
            wait_for_height(d, d.events(), 1)
        db = sqlite3.connect(os.path.join(d.data_dir, "ledger.db"))
        db.execute("UPDATE blocks SET header = substr(header, 1, 20) || x'ff' || substr(header, 22) WHERE height = 1")
        db.commit()
        db.close()
        code, log = self.node([pile("drive")]).run_to_exit()
        self.assertEqual(code, 1, log)
        self.assertIn("ledger.db failed its check", log)


if __name__ == "__main__":
    run_tests()
