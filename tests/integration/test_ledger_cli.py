"""`pilemesh ledger` against a real ledger: a chain made by ledger_demo_chain (LedgerNode, the
daemon's own assembly, without the daemon), read, proved and verified by the real binary."""
import hashlib
import json
import os
import re
import shutil
import struct
import sqlite3
import stat
import subprocess
import tempfile
import unittest

from harness import BUILD_DIR, run_tests

PILEMESH = os.path.join(BUILD_DIR, "bin", "pilemesh")
DEMO_CHAIN = os.path.join(BUILD_DIR, "bin", "ledger_demo_chain")
BLOCKS = 30


def pilemesh(*args):
    return subprocess.run([PILEMESH, *args], capture_output=True, text=True, timeout=120)


def merkle_verify(item_hex, proof, root_hex):
    """RFC 6962 / RFC 9162 audit-path check, written here independently of the C++ code."""
    h = lambda b: hashlib.sha256(b).digest()
    fn, sn = proof["index"], proof["leaf_count"] - 1
    if fn > sn:
        return False
    r = h(b"\x00" + bytes.fromhex(item_hex))
    for p_hex in proof["path"]:
        p = bytes.fromhex(p_hex)
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = h(b"\x01" + p + r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = h(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r.hex() == root_hex


class LedgerCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="pilemesh-ledger-cli-")
        cls.data = os.path.join(cls.tmp.name, "data")
        made = subprocess.run([DEMO_CHAIN, cls.data, str(BLOCKS)], capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
        cls.chain = json.loads(made.stdout)
        assert cls.chain["height"] == BLOCKS, cls.chain

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def ledger(self, *args, data_dir=None):
        return pilemesh("ledger", *args, "--data-dir", data_dir or self.data)

    def ledger_json(self, *args):
        r = self.ledger(*args, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def copy_of_data(self):
        dest = os.path.join(tempfile.mkdtemp(dir=self.tmp.name), "data")
        shutil.copytree(self.data, dest)
        return dest

    def test_status_shows_the_chain(self):
        r = self.ledger("status")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout, rf"height\s+{BLOCKS}\n")
        self.assertRegex(r.stdout, r"chain id\s+demo-chain")
        self.assertIn(self.chain["node_key"], r.stdout)
        self.assertRegex(r.stdout, r"mempool\s+0 ")
        st = self.ledger_json("status")
        self.assertEqual(st["height"], BLOCKS)
        self.assertEqual(st["chain_id"], "demo-chain")
        self.assertEqual(st["validators"], [self.chain["node_key"]])
        self.assertEqual(st["mempool"]["txs"], 0)
        self.assertTrue(st["genesis"]["matches"])
        self.assertRegex(st["latest_block"]["hash"], r"^[0-9a-f]{64}$")
        self.assertRegex(st["state_root"], r"^[0-9a-f]{64}$")
        # Block 1: register + 2 transfers; block 2: charging + 2 transfers; then 4 a block.
        self.assertEqual(st["txs"], 3 + 3 + 4 * (BLOCKS - 2))

    def test_block_one(self):
        r = self.ledger("block", "1")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("block 1\n"), r.stdout)
        self.assertIn("register_pile", r.stdout)
        self.assertRegex(r.stdout, r"prev block\s+none")
        self.assertIn("commit signatures (1", r.stdout)
        b = self.ledger_json("block", "1")
        self.assertEqual(b["header"]["height"], 1)
        self.assertEqual(b["header"]["prev_block"], "0" * 64)
        self.assertEqual(b["header"]["proposer"], self.chain["node_key"])
        self.assertEqual([t["type"] for t in b["transactions"]], ["register_pile", "transfer", "transfer"])
        self.assertEqual([t["result"]["code"] for t in b["transactions"]], ["ok"] * 3)
        self.assertEqual([s["validator"] for s in b["commit"]["signatures"]], [self.chain["node_key"]])
        # The branch links of a later block point back to the previous block of each branch.
        b3 = self.ledger_json("block", "3")
        b2 = self.ledger_json("block", "2")
        charging = [l for l in b3["header"]["branches"] if l["branch"] == "charging"][0]
        self.assertEqual(charging["branch_height"], 2)
        self.assertEqual(charging["prev_branch_block"], b2["header"]["hash"])
        self.assertEqual(b3["header"]["prev_block"], b2["header"]["hash"])

    def test_missing_block_is_an_error(self):
        r = self.ledger("block", str(BLOCKS + 1))
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"no block {BLOCKS + 1}", r.stderr)

    def test_tx_with_a_proof_that_verifies(self):
        record = self.chain["charging"][4]
        r = self.ledger("tx", record["hash"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("charging_record (20)", r.stdout)
        self.assertRegex(r.stdout, r"pile_id\s+pile-1")
        self.assertIn(f"proof verifies against block {record['height']}'s tx_root", r.stdout)
        self.assertRegex(r.stdout, r"tx_root [0-9a-f]{64}: yes\n")
        t = self.ledger_json("tx", record["hash"])
        self.assertEqual(t["hash"], record["hash"])
        self.assertEqual(t["height"], record["height"])
        self.assertEqual(t["result"]["code"], "ok")
        self.assertEqual(t["payload"]["ev"], self.chain["ev"])
        self.assertTrue(t["proof"]["verifies"])
        header = self.ledger_json("block", str(record["height"]))["header"]
        self.assertEqual(t["proof"]["tx_root"], header["tx_root"])
        self.assertTrue(merkle_verify(record["hash"], t["proof"], header["tx_root"]))
        self.assertFalse(merkle_verify(self.chain["charging"][3]["hash"], t["proof"], header["tx_root"]))

    def test_tx_unknown_or_malformed(self):
        r = self.ledger("tx", "ab" * 32)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no transaction", r.stderr)
        self.assertEqual(self.ledger("tx", "xyz").returncode, 2)

    def test_history_newest_first_with_proofs(self):
        newest = [c["hash"] for c in reversed(self.chain["charging"])]
        h = self.ledger_json("history", "pile-1", "--limit", "5")
        self.assertEqual([r["hash"] for r in h["records"]], newest[:5])
        self.assertTrue(all(r["proof"]["verifies"] for r in h["records"]))
        heights = [r["height"] for r in h["records"]]
        self.assertEqual(heights, sorted(heights, reverse=True))
        for r in h["records"]:
            self.assertTrue(merkle_verify(r["hash"], r["proof"], r["proof"]["tx_root"]))
        everything = self.ledger_json("history", "pile-1", "--limit", "1000")
        self.assertEqual([r["hash"] for r in everything["records"]], newest)
        evaluations = self.ledger_json("history", "pile-1", "--kind", "evaluation", "--limit", "3")
        self.assertEqual([r["hash"] for r in evaluations["records"]],
                         [e["hash"] for e in reversed(self.chain["evaluations"])][:3])
        text = self.ledger("history", "pile-1", "--limit", "2")
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertIn("charging history of pile pile-1: 2 records, newest first", text.stdout)
        self.assertEqual(re.findall(r"height (\d+)", text.stdout), [str(BLOCKS), str(BLOCKS - 1)])
        self.assertEqual(text.stdout.count("tx_root: yes"), 2)
        unknown = self.ledger("history", "no-such-pile")
        self.assertEqual(unknown.returncode, 1)
        self.assertEqual(self.ledger("history", "pile-1", "--kind", "market").returncode, 2)

    def test_verify_passes(self):
        r = self.ledger("verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"verified {BLOCKS} blocks: ok", r.stdout)
        self.assertEqual(self.ledger_json("verify"), {"ok": True, "blocks": BLOCKS})

    def test_verify_names_the_height_of_a_tampered_transaction(self):
        data = self.copy_of_data()
        bad = 17
        db = sqlite3.connect(os.path.join(data, "ledger.db"))
        (tx_bytes,) = db.execute("SELECT bytes FROM txs WHERE height = ? AND idx = 0", (bad,)).fetchone()
        flipped = bytearray(tx_bytes)
        flipped[-1] ^= 0x01  # a bit of the signature, as a disk error would
        db.execute("UPDATE txs SET bytes = ? WHERE height = ? AND idx = 0", (bytes(flipped), bad))
        db.commit()
        db.close()
        r = self.ledger("verify", data_dir=data)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"first bad height: {bad}", r.stdout)
        self.assertIn(f"block {bad}:", r.stdout)
        j = json.loads(self.ledger("verify", "--json", data_dir=data).stdout)
        self.assertFalse(j["ok"])
        self.assertEqual(j["bad_height"], bad)

    def test_verify_replays_signatures_the_link_check_cannot_see(self):
        # A commit signature with one bit flipped still decodes and names the right block, so
        # only the replay, which checks signatures against the genesis validators, catches it.
        data = self.copy_of_data()
        bad = 9
        db = sqlite3.connect(os.path.join(data, "ledger.db"))
        (commit,) = db.execute("SELECT commit_bytes FROM blocks WHERE height = ?", (bad,)).fetchone()
        forged = bytearray(commit)
        forged[-1] ^= 0x01
        db.execute("UPDATE blocks SET commit_bytes = ? WHERE height = ?", (bytes(forged), bad))
        db.commit()
        db.close()
        r = self.ledger("verify", data_dir=data)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn(f"first bad height: {bad}", r.stdout)
        self.assertIn("commit", r.stdout)

    def test_verify_finds_a_state_value_changed_behind_the_trees_back(self):
        # A young chain's state is still in the journal (one row per block, written into the
        # state table every few megabytes): change the first value the last row sets.
        data = self.copy_of_data()
        db = sqlite3.connect(os.path.join(data, "ledger.db"))
        last = db.execute("SELECT seq, changes FROM state_journal ORDER BY seq DESC LIMIT 1").fetchone()
        self.assertIsNotNone(last, f"a chain of {BLOCKS} blocks keeps its state in the journal")
        seq, row = last
        row = bytearray(row)
        self.assertEqual(row[0], 1)  # the row format's version
        at = 5  # version, count
        while True:
            (key_len,) = struct.unpack(">I", row[at:at + 4])
            at += 4 + key_len
            kind = row[at]
            at += 1
            if kind == 1:
                (value_len,) = struct.unpack(">I", row[at:at + 4])
                if value_len > 0:
                    row[at + 4] ^= 0x01
                    break
                at += 4
        db.execute("UPDATE state_journal SET changes = ? WHERE seq = ?", (bytes(row), seq))
        db.commit()
        db.close()
        r = self.ledger("verify", data_dir=data)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("1 stored state entries differ", r.stdout)

    def test_verify_refuses_another_chains_genesis(self):
        tmp = tempfile.mkdtemp(dir=self.tmp.name)
        with open(os.path.join(self.data, "genesis.json")) as f:
            genesis = json.load(f)
        genesis["chain_id"] = "another-chain"
        other = os.path.join(tmp, "other-genesis.json")
        with open(other, "w") as f:
            json.dump(genesis, f)
        config = os.path.join(tmp, "pilemesh.toml")
        with open(config, "w") as f:
            f.write(f'[gateway]\ndata_dir = "{self.data}"\n\n[ledger]\ngenesis = "{other}"\n')
        r = pilemesh("ledger", "verify", "--config", config)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("is not the genesis this ledger was made with", r.stdout)

    def test_config_gives_the_data_dir(self):
        tmp = tempfile.mkdtemp(dir=self.tmp.name)
        config = os.path.join(tmp, "pilemesh.toml")
        with open(config, "w") as f:
            f.write(f'[gateway]\ndata_dir = "{self.data}"\n')
        r = pilemesh("ledger", "status", "--config", config, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["height"], BLOCKS)
        with open(config, "w") as f:
            f.write("[gateway]\ndata_dri = 1\n")
        r = pilemesh("ledger", "status", "--config", config)
        self.assertEqual(r.returncode, 2)
        self.assertIn("data_dri", r.stderr)

    def test_missing_ledger_is_not_created(self):
        empty = tempfile.mkdtemp(dir=self.tmp.name)
        for cmd in (["status"], ["verify"], ["block", "1"], ["history", "pile-1"]):
            r = self.ledger(*cmd, data_dir=empty)
            self.assertEqual(r.returncode, 1, cmd)
            self.assertIn(f"no ledger in {empty} (start pilemeshd once, or check --data-dir)", r.stderr)
        self.assertEqual(os.listdir(empty), [])
        r = pilemesh("ledger", "status")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--data-dir", r.stderr)

    def test_keygen_creates_a_private_file_and_never_overwrites(self):
        tmp = tempfile.mkdtemp(dir=self.tmp.name)
        key_file = os.path.join(tmp, "alice.key")
        r = pilemesh("ledger", "keygen", "--out", key_file)
        self.assertEqual(r.returncode, 0, r.stderr)
        public = r.stdout.strip()
        self.assertRegex(public, r"^[0-9a-f]{64}$")
        self.assertEqual(stat.S_IMODE(os.stat(key_file).st_mode), 0o600)
        with open(key_file) as f:
            secret = f.read()
        self.assertNotIn(secret.strip(), r.stdout + r.stderr)
        again = pilemesh("ledger", "keygen", "--out", key_file)
        self.assertEqual(again.returncode, 1)
        self.assertIn("exists", again.stderr)
        with open(key_file) as f:
            self.assertEqual(f.read(), secret)
        j = json.loads(pilemesh("ledger", "keygen", "--out", os.path.join(tmp, "bob.key"), "--json").stdout)
        self.assertTrue(j["created"])
        self.assertNotEqual(j["public_key"], public)
        # Without --out: the node's own key, shown when it exists and left as it is.
        node = self.ledger("keygen")
        self.assertEqual(node.returncode, 0, node.stderr)
        self.assertEqual(node.stdout.strip(), self.chain["node_key"])

    def test_config_commands_still_work(self):
        r = pilemesh("config", "schema")
        self.assertEqual(r.returncode, 0)
        self.assertIn("gateway.data_dir", r.stdout)


class LongChain(unittest.TestCase):
    def test_verify_reports_progress_every_thousand_blocks(self):
        with tempfile.TemporaryDirectory(prefix="pilemesh-ledger-cli-") as tmp:
            data = os.path.join(tmp, "data")
            made = subprocess.run([DEMO_CHAIN, data, "1001"], capture_output=True, text=True, timeout=200)
            self.assertEqual(made.returncode, 0, made.stderr)
            r = pilemesh("ledger", "verify", "--data-dir", data)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(r.stdout, "verified 1001 blocks: ok\n")
            self.assertIn("replayed: 1000 of 1001 blocks", r.stderr)
            self.assertNotIn("1001 of 1001", r.stderr)


if __name__ == "__main__":
    run_tests()
