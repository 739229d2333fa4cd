"""A session opened by an RFID card at the pile, on the real daemon with the simulated pile:
the member books with the card's token; the driver of the plugged-in EV taps the card (the
simulator's rfid_token); the gateway finds the booking, starts the session on the ledger and
lets the pile charge; the member stops it from the phone and the session settles."""
import hashlib
import json
import os
import tempfile
import time
import unittest

import harness
from harness import daemon, pile, run_tests

CARD = "04A2B3C4"



class RfidSession(unittest.TestCase):
    def test_a_card_tapped_at_the_pile_opens_the_booked_session(self):
        keys = tempfile.TemporaryDirectory(prefix="pilemesh-rfid-")
        self.addCleanup(keys.cleanup)
        d = daemon(piles=[pile("drive", ev_connected=True, rfid_token=CARD, tick_ms=100, time_scale=10.0)],
                   location="u33dc1", extra="\n[ledger]\nblock_interval_ms = 20\n")
        with d:
            owner = harness.Member(d, os.path.join(d.data_dir, "node.key"))
            alice = harness.Member(d, os.path.join(keys.name, "alice.key"))
            owner.login()
            events = owner.events()
            if d.request("GET", "/api/v1/service/piles/drive")[0] != 200:
                events.wait_for(lambda e, s: e == "service" and s["type"] == "register_pile", "pile registered")
            owner.commit(events, "set_tariff", {"pile_id": "drive", "price_per_kwh": 30})
            alice.commit(events, "register_member", {"role": 1, "profile_hash": "0" * 64})
            owner.commit(events, "attest", {"kind": 1, "member": alice.key})
            alice.login()
            request = alice.commit(events, "request_top_up", {"amount": 5000, "method": 1, "payee": owner.key})
            owner.commit(events, "confirm_top_up", {"request": request})

            # The card taps before any booking open nothing: the pile stays off.
            now = int(time.time() * 1000)
            start, end = now - 30_000, now + 30 * 60_000
            quote = d.get_json(f"/api/v1/service/piles/drive/quote?start_ms={start}&end_ms={end}")
            # Alice books with her card: the gateway gives the hash of the token it derives from
            # the card's uid, so the uid itself never reaches the ledger.
            code, card = alice.request("POST", "/api/v1/service/cards", {"uid": CARD})
            self.assertEqual(code, 200, card)
            self.assertNotEqual(card["token_hash"], hashlib.sha256(CARD.encode()).hexdigest())
            booking = alice.commit(events, "book", {
                "pile_id": "drive", "start_ms": start, "end_ms": end,
                "token_hash": card["token_hash"], "max_deposit": quote["deposit"]})

            # The next tap starts the session: on the ledger, then the pile charges.
            _, started = events.wait_for(lambda e, s: e == "service" and s["type"] == "start_session" and
                                         s.get("booking") == booking, "the card's session started")
            self.assertTrue(started["ok"], started)
            d.wait_for_log(r"\[drive\] a card opened booking " + booking[:16])
            events.wait_for(lambda e, s: e == "pile" and s["id"] == "drive" and
                            any(c["power_w"] > 0 and c["energy_wh"] > 0 for c in s["connectors"]),
                            "charging, energy counted")
            self.assertNotIn(CARD, "\n".join(d.lines))  # the card's uid is never logged
            start_tx = d.get_json(f"/api/v1/ledger/txs/{started['hash']}")
            self.assertNotIn(CARD, json.dumps(start_tx))  # nor published
            token = start_tx["payload"]["token"]
            self.assertEqual(hashlib.sha256(token.encode()).hexdigest(), card["token_hash"])

            code, body = alice.request("POST", "/api/v1/service/sessions/stop", {"booking": booking, "token": token})
            self.assertEqual(code, 202, body)
            events.wait_for(lambda e, s: e == "service" and s["type"] == "stop_session" and s["ok"], "stopped")
            b = alice.get(f"/api/v1/service/bookings/{booking}")
            self.assertEqual(b["status"], 3)
            self.assertGreater(b["energy_wh"], 0)
            self.assertEqual(b["paid"] + b["refunded"], quote["deposit"])


if __name__ == "__main__":
    run_tests()
