"""The sharing service end to end on the real daemon with the simulated pile: two neighbours
register and are verified, the owner prices the pile, a neighbour tops up, searches, books
(the other one loses the race for the same slot), starts the session with the booking's QR token,
charges, stops, gets a receipt with its ledger proof, rates; the owner answers and sees the
session in the analytics; and `pilemesh ledger verify` passes on the chain afterwards. Members
sign with their own keys, as a phone would: the gateway only prepares the bytes."""
import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import harness
from harness import BUILD_DIR, SIGN, daemon, pile, run_tests

PILEMESH = os.path.join(BUILD_DIR, "bin", "pilemesh")
JSON = {"Content-Type": "application/json"}


class Member(harness.Member):
    def send(self, events, type_, payload):
        """Prepares, signs and submits one transaction; returns its service event once
        committed, or the refusal as {"ok": False, "code", "log"}."""
        accepted, result = self.submit(type_, payload)
        if not accepted:
            return {"ok": False, "code": result["code"], "log": result["message"]}
        _, event = events.wait_for(lambda e, s: e == "service" and s["hash"] == result, f"{type_} committed")
        return event


def ok(event):
    assert event["ok"], event
    return event


class ServiceJourney(unittest.TestCase):
    def test_two_neighbours_book_charge_pay_and_rate(self):
        data = tempfile.TemporaryDirectory(prefix="pilemesh-journey-")
        self.addCleanup(data.cleanup)
        address = "Lindenstrasse 7, garage on the left"
        d = daemon(piles=[pile("drive", ev_connected=True, auto_start=True, tick_ms=100)], location="u33dc1",
                   address=address,
                   extra="\n[ledger]\nblock_interval_ms = 20\n")
        d.data_dir = os.path.join(data.name, "data")
        with d:
            # The gateway's key is the owner and the admin; the admin's event stream carries
            # every service event.
            owner = Member(d, os.path.join(d.data_dir, "node.key"))
            alice = Member(d, os.path.join(data.name, "alice.key"))
            bob = Member(d, os.path.join(data.name, "bob.key"))
            owner.login()
            events = owner.events()
            # The gateway registers its pile at start (perhaps before the stream opened).
            if d.request("GET", "/api/v1/service/piles/drive")[0] != 200:
                _, e = events.wait_for(lambda e, s: e == "service" and s["type"] == "register_pile",
                                       "pile registered")
                ok(e)

            # The owner prices the pile: 0.30/kWh, 0.50 booking fee, cancellation and no-show fees.
            ok(owner.send(events, "set_tariff", {"pile_id": "drive", "price_per_kwh": 30, "booking_fee": 50,
                                                 "free_cancel_before_ms": 3600000, "cancel_fee": 100,
                                                 "no_show_fee": 300}))
            # Two neighbours join; the admin verifies them.
            for m in (alice, bob):
                ok(m.send(events, "register_member", {"role": 1, "profile_hash": hashlib.sha256(m.key.encode()).hexdigest()}))
                self.assertEqual(d.get_json(f"/api/v1/service/members/{m.key}")["status"], 1)  # pending
                queue = owner.get("/api/v1/service/pending")
                self.assertEqual(([p["key"] for p in queue["members"]], queue["piles"]), ([m.key], []))
                ok(owner.send(events, "attest", {"kind": 1, "member": m.key}))
                self.assertEqual(d.get_json(f"/api/v1/service/members/{m.key}")["status"], 2)  # verified
                self.assertEqual(owner.get("/api/v1/service/pending")["members"], [])
                m.login()

            # Alice tops up 50.00 by SEPA transfer to the owner, who confirms receiving it.
            request = ok(alice.send(events, "request_top_up", {"amount": 5000, "method": 2, "payee": owner.key,
                                                               "reference": "PILEMESH ALICE"}))
            self.assertEqual(alice.get(f"/api/v1/service/members/{alice.key}")["balance"], 0)
            ok(owner.send(events, "confirm_top_up", {"request": request["hash"]}))
            self.assertEqual(alice.get(f"/api/v1/service/members/{alice.key}")["balance"], 5000)

            # Search near home, with a free window.
            now = int(time.time() * 1000)
            start, end = now - 30_000, now + 30 * 60_000
            found = d.get_json(f"/api/v1/service/piles?near=u33dc1&connector=1&from_ms={start}&to_ms={end}")["piles"]
            self.assertEqual([p["id"] for p in found], ["drive"])
            self.assertIn("estimate", found[0])
            quote = d.get_json(f"/api/v1/service/piles/drive/quote?start_ms={start}&end_ms={end}")
            self.assertTrue(quote["available"])
            # 11 kW for the whole slot at 0.30/kWh, rounded up, and the booking fee.
            self.assertEqual(quote["deposit"], -(-11000 * (end - start) * 30 // 3_600_000_000) + 50)
            parts = quote["deposit_parts"]
            self.assertEqual(parts["energy"] + parts["time"] + parts["booking_fee"], quote["deposit"])
            self.assertEqual((parts["booking_fee"], parts["max_power_w"]), (50, 11000))

            # Both neighbours book the same slot: exactly one wins.
            token = "qr-" + alice.key[:16]
            booking = alice.send(events, "book", {"pile_id": "drive", "start_ms": start, "end_ms": end,
                                                  "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                                                  "max_deposit": quote["deposit"]})
            ok(booking)
            lost = bob.send(events, "book", {"pile_id": "drive", "start_ms": start + 60_000, "end_ms": end,
                                             "token_hash": hashlib.sha256(b"bob").hexdigest(), "max_deposit": 10**6})
            self.assertFalse(lost["ok"])
            self.assertIn("taken", lost["log"])
            self.assertEqual(alice.get(f"/api/v1/service/members/{alice.key}")["escrow"], quote["deposit"])
            self.assertTrue(any(m == alice.key for m in booking["members"]))  # notified
            taken = d.get_json("/api/v1/service/piles/drive")["taken"]
            self.assertEqual(taken, [{"start_ms": start, "end_ms": end}])
            # The owner's dashboard: the pile with its tariff, and the booking in its calendar.
            mine = owner.get(f"/api/v1/service/members/{owner.key}/piles")["piles"]
            self.assertEqual([(p["id"], p["status"], p["has_tariff"]) for p in mine], [("drive", 2, True)])
            calendar = owner.get(f"/api/v1/service/piles/drive/bookings?from_ms={start}")["bookings"]
            self.assertEqual([(b["id"], b["member"]) for b in calendar], [(booking["hash"], alice.key)])
            # The pile's printable QR code: its page's URL, drawn by the gateway.
            url = urllib.parse.quote(f"http://127.0.0.1:{d.port}/#/piles/drive", safe="")
            code, headers, svg = d.request("GET", f"/api/v1/qr?text={url}")
            self.assertEqual((code, headers["Content-Type"], headers["Cache-Control"]),
                             (200, "image/svg+xml", "public, max-age=86400"))
            self.assertTrue(svg.startswith(b"<svg") and svg.count(b"<path") == 1, svg[:80])

            # The exact address, sealed to Alice's key: only she can read it.
            sealed = alice.get(f"/api/v1/service/bookings/{booking['hash']}/address")["sealed"]
            opened = subprocess.run([SIGN, alice.key_file, "open", sealed], capture_output=True, text=True)
            self.assertEqual((opened.returncode, opened.stdout.strip()), (0, address))
            self.assertEqual(subprocess.run([SIGN, bob.key_file, "open", sealed], capture_output=True).returncode, 1)
            self.assertNotIn("Lindenstrasse", json.dumps(d.get_json("/api/v1/service/piles/drive")))

            # At the pile: a wrong token is refused, the QR token starts the session.
            code, body = alice.request("POST", "/api/v1/service/sessions/start",
                                       {"booking": booking["hash"], "token": "guess"})
            self.assertEqual(code, 403, body)
            code, body = alice.request("POST", "/api/v1/service/sessions/start",
                                       {"booking": booking["hash"], "token": token})
            self.assertEqual(code, 202, body)
            ok(events.wait_for(lambda e, s: e == "service" and s["type"] == "start_session", "started")[1])
            # The pile is enabled and the energy rises, live.
            events.wait_for(lambda e, s: e == "pile" and s["id"] == "drive" and
                            any(c["power_w"] > 0 for c in s["connectors"]), "charging")
            # Its gateway announces the pile's live status, signed (peers get it with the mesh).
            self.assertEqual(d.get_json("/api/v1/service/piles/drive")["live"]["status"], "occupied")
            first = None
            for _ in range(400):
                live = alice.get(f"/api/v1/service/bookings/{booking['hash']}").get("live", {})
                if first is None and live.get("energy_wh", 0) > 0:
                    first = live["energy_wh"]
                if first is not None and live.get("energy_wh", 0) > first:
                    break
                events.next()
            self.assertIsNotNone(first, "no energy recorded")

            # Stop: settled from the escrow, the rest refunded, a receipt with its proof.
            code, body = alice.request("POST", "/api/v1/service/sessions/stop",
                                       {"booking": booking["hash"], "token": token})
            self.assertEqual(code, 202, body)
            ok(events.wait_for(lambda e, s: e == "service" and s["type"] == "stop_session", "stopped")[1])
            b = alice.get(f"/api/v1/service/bookings/{booking['hash']}")
            self.assertEqual(b["status"], 3)
            self.assertGreater(b["energy_wh"], 0)
            self.assertEqual(b["cost"], b["paid"])
            self.assertEqual(b["paid"] + b["refunded"], quote["deposit"])
            self.assertEqual(b["energy_cost"], (b["energy_wh"] * 30 + 500) // 1000)
            self.assertGreater(b["meter_values"], 0)
            self.assertIn("proof", b["receipt"])
            alice_now = alice.get(f"/api/v1/service/members/{alice.key}")
            self.assertEqual(alice_now["balance"], 5000 - b["paid"])
            self.assertEqual(alice_now["credibility"], 1)

            # The meter series is kept off-chain under the hash the stop anchored.
            series = alice.get(f"/api/v1/service/offchain/{b['meter_chain_hash']}")
            self.assertEqual(series["kind"], "meter_series")
            self.assertEqual(len(series["values"]), b["meter_values"])
            self.assertEqual(series["values"][-1][1] - series["values"][0][1] <= b["energy_wh"], True)

            # Rating: 3 with a review (its text stays off-chain); the owner answers.
            review = "Quick and easy <script>alert(1)</script>"
            message = b"pilemesh/offchain/v1" + hashlib.sha256(review.encode()).digest()
            signature = subprocess.run([SIGN, alice.key_file, message.hex()], check=True,
                                       capture_output=True, text=True).stdout.strip()
            stored = {"kind": "review", "text": review, "signer": alice.key, "signature": signature}
            # A text signed by someone else, or by a stranger to the neighbourhood, is refused.
            code, _, body = d.request("POST", "/api/v1/service/offchain", headers=JSON,
                                      body=json.dumps(dict(stored, signer=bob.key)))
            self.assertEqual((code, json.loads(body)["error"]["code"]), (403, "bad_signature"))
            stranger = harness.Member(d, os.path.join(data.name, "stranger.key"))
            sig = subprocess.run([SIGN, stranger.key_file, message.hex()], check=True,
                                 capture_output=True, text=True).stdout.strip()
            code, _, body = d.request("POST", "/api/v1/service/offchain", headers=JSON,
                                      body=json.dumps(dict(stored, signer=stranger.key, signature=sig)))
            self.assertEqual((code, json.loads(body)["error"]["code"]), (403, "not_a_member"))
            code, _, body = d.request("POST", "/api/v1/service/offchain", headers=JSON, body=json.dumps(stored))
            self.assertEqual(code, 201, body)
            review_hash = json.loads(body)["hash"]
            self.assertEqual(review_hash, hashlib.sha256(review.encode()).hexdigest())
            pile_now = d.get_json("/api/v1/service/piles/drive")
            rating = ok(alice.send(events, "rate_session", {
                "booking": booking["hash"], "score": 3, "review_hash": review_hash,
                "prev_pile_evaluation": "0" * 64, "prev_ev_evaluation": "0" * 64}))
            self.assertEqual(pile_now["ratings"], [])
            again = alice.send(events, "rate_session", {"booking": booking["hash"], "score": 1,
                                                        "prev_pile_evaluation": rating["hash"],
                                                        "prev_ev_evaluation": rating["hash"]})
            self.assertFalse(again["ok"])
            ok(owner.send(events, "respond_rating", {"rating": rating["hash"],
                                                     "response_hash": hashlib.sha256(b"Thanks!").hexdigest()}))
            detail = d.get_json("/api/v1/service/piles/drive")
            self.assertEqual(len(detail["ratings"]), 1)
            self.assertGreater(detail["score"], 0)
            self.assertNotEqual(detail["ratings"][0]["response_hash"], "0" * 64)
            self.assertEqual(detail["ratings"][0]["review"], review)  # as text, for the page to show inertly
            # Search by rating: rated 3 on average, the pile matches "at least 3"; unrated piles never do.
            rated = lambda least: [p["id"] for p in d.get_json(f"/api/v1/service/piles?near=u33dc1&min_rating_milli={least}")["piles"]]
            self.assertIn("drive", rated(3000))
            self.assertEqual(d.get_json("/api/v1/service/piles/drive")["rating_average"], 3)
            self.assertEqual(d.request("GET", "/api/v1/service/piles?min_rating_milli=4000")[0], 400)

            # Analytics and a report as CSV.
            a = owner.get("/api/v1/service/piles/drive/analytics")
            month = list(a["months"].values())[0]
            self.assertEqual(month["sessions"], 1)
            self.assertEqual(month["revenue"], b["paid"])
            self.assertGreater(sum(sum(row) for row in a["usage_minutes"]), 0)
            code, headers, body = d.request("GET", "/api/v1/service/reports?metric=energy_wh&group_by=pile&format=csv",
                                            headers=owner.headers())
            self.assertEqual(code, 200)
            self.assertEqual(body.decode().splitlines(), ["pile,energy_wh", f"drive,{b['energy_wh']}"])
            code, body = owner.request("GET", "/api/v1/service/reports?metric=bogus&group_by=pile")
            self.assertEqual(code, 400)
            self.assertIn("metric", body["error"]["message"])

            self.check_members_see_only_their_own(d, owner, alice, bob, booking["hash"], token,
                                                  b["meter_chain_hash"], request["hash"], data.name)

            # Bad input: unknown type, a typo in a payload, a malformed signer.
            for payload, status, code_name in [
                ({"type": "fly", "signer": alice.key, "payload": {}}, 422, "unknown_type"),
                ({"type": "book", "signer": alice.key, "payload": {"pile": "drive"}}, 422, "invalid_payload"),
                ({"type": "book", "signer": "zz", "payload": {}}, 422, "invalid_field"),
            ]:
                code, body = alice.request("POST", "/api/v1/service/prepare", payload)
                self.assertEqual((code, body["error"]["code"]), (status, code_name), body)

        # The whole chain verifies from genesis, and the off-chain records against their hashes.
        r = subprocess.run([PILEMESH, "ledger", "verify", "--data-dir", d.data_dir], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("verified 52 off-chain records: ok", r.stdout)  # a review, a meter series, 50 notes
        # The owner's answer and the two profiles were only hashed, never stored here: counted as
        # missing (a peer may hold them), not an error.
        self.assertIn("3 hashes on the chain have no off-chain record", r.stdout)
        with sqlite3.connect(os.path.join(d.data_dir, "offchain.db")) as db:
            db.execute("UPDATE records SET bytes = CAST('Terrible' AS BLOB) WHERE kind = 2")
        r = subprocess.run([PILEMESH, "ledger", "verify", "--data-dir", d.data_dir], capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("off-chain record review", r.stdout)

    def check_members_see_only_their_own(self, d, owner, alice, bob, booking, token, meter_hash, top_up,
                                         tmp):
        """Bob, logged in, and anyone without a session, never read or change Alice's things."""
        # Service events reach only the members they name (and admins): Bob's profile update
        # is not sent to Alice's stream nor to a stream without a session.
        alice_stream, anonymous = alice.events(), d.events()
        owner_stream = owner.events()
        bobs = bob.send(owner_stream, "update_profile", {"profile_hash": "1" * 64})
        alices = alice.send(owner_stream, "update_profile", {"profile_hash": "2" * 64})
        seen = []
        alice_stream.wait_for(lambda e, s: e == "service" and (seen.append(s["hash"]) or s["hash"] == alices["hash"]),
                              "Alice's own event")
        self.assertNotIn(bobs["hash"], seen)
        anonymous.wait_for(lambda e, s: self.assertNotEqual(e, "service", s) or
                           (e == "ledger" and s["height"] >= alices["height"]), "the block, without its service events")
        alices = [f"/api/v1/service/members/{alice.key}/bookings", f"/api/v1/service/members/{alice.key}/topups",
                  f"/api/v1/service/bookings/{booking}",
                  f"/api/v1/service/bookings/{booking}/address", f"/api/v1/service/offchain/{meter_hash}",
                  f"/api/v1/service/topups/{top_up}/epc", "/api/v1/service/piles/drive/analytics",
                  "/api/v1/service/piles/drive/bookings", f"/api/v1/service/members/{alice.key}/piles",
                  "/api/v1/service/pending",
                  f"/api/v1/service/reports?metric=energy_wh&group_by=pile&owner={owner.key}"]
        for path in alices:
            code, body = bob.request("GET", path)
            self.assertEqual((code, body["error"]["code"]), (403, "forbidden"), path)
            code, _, body = d.request("GET", path)
            self.assertEqual((code, json.loads(body)["error"]["code"]), (401, "not_logged_in"), path)
        # The booking's owner sees it; Alice's wallet is hers: Bob sees her standing only.
        self.assertEqual(owner.get(f"/api/v1/service/bookings/{booking}")["member"], alice.key)
        public = bob.get(f"/api/v1/service/members/{alice.key}")
        self.assertEqual(public["credibility"], 1)
        for private in ("balance", "escrow", "profile_hash", "recovery_code_hashes", "debt"):
            self.assertNotIn(private, public)
        self.assertIn("balance", alice.get(f"/api/v1/service/members/{alice.key}"))
        topups = alice.get(f"/api/v1/service/members/{alice.key}/topups")["topups"]
        self.assertEqual([(t["id"], t["amount"], t["status"]) for t in topups], [(top_up, 5000, 2)])
        self.assertIn("balance", owner.get(f"/api/v1/service/members/{alice.key}"))  # the admin
        # Changes: Bob cannot sign as Alice nor stop her sessions, even with her token; a change
        # without the CSRF token, or without a session, is refused.
        code, body = bob.request("POST", "/api/v1/service/prepare",
                                 {"type": "cancel_booking", "signer": alice.key, "payload": {"booking": booking}})
        self.assertEqual((code, body["error"]["code"]), (403, "forbidden"))
        code, body = bob.request("POST", "/api/v1/service/sessions/stop", {"booking": booking, "token": token})
        self.assertEqual((code, body["error"]["code"]), (403, "forbidden"))
        headers = dict(alice.headers())
        del headers["X-CSRF-Token"]
        code, _, body = d.request("POST", "/api/v1/service/prepare", headers=headers,
                                  body=json.dumps({"type": "cancel_booking", "signer": alice.key,
                                                   "payload": {"booking": booking}}))
        self.assertEqual((code, json.loads(body)["error"]["code"]), (403, "csrf"))
        # Logging in: a challenge is used once; a wrong key's signature, or a stranger, is refused.
        challenge = json.loads(d.request("POST", "/api/v1/auth/challenge")[2])
        message = harness.login_message(d.gateway_key(), challenge["nonce"])
        attempt = {"key": alice.key, "nonce": challenge["nonce"], "signature": bob.sign(message)}
        code, _, body = d.request("POST", "/api/v1/auth/login", headers=JSON, body=json.dumps(attempt))
        self.assertEqual((code, json.loads(body)["error"]["code"]), (401, "bad_signature"))
        attempt["signature"] = alice.sign(message)
        code, _, body = d.request("POST", "/api/v1/auth/login", headers=JSON, body=json.dumps(attempt))
        self.assertEqual((code, json.loads(body)["error"]["code"]), (401, "unknown_challenge"))
        stranger = harness.Member(d, os.path.join(tmp, "nobody.key"))
        challenge = json.loads(d.request("POST", "/api/v1/auth/challenge")[2])
        code, _, body = d.request("POST", "/api/v1/auth/login", headers=JSON, body=json.dumps(
            {"key": stranger.key, "nonce": challenge["nonce"],
             "signature": stranger.sign(harness.login_message(d.gateway_key(), challenge["nonce"]))}))
        self.assertEqual((code, json.loads(body)["error"]["code"]), (403, "not_a_member"))
        # One member's share of the off-chain store is bounded: 50 new texts a day.
        def store_text(text):
            message = b"pilemesh/offchain/v1" + hashlib.sha256(text.encode()).digest()
            return d.request("POST", "/api/v1/service/offchain", headers=JSON, body=json.dumps(
                {"kind": "review", "text": text, "signer": bob.key, "signature": bob.sign(message.hex())}))
        for i in range(50):
            self.assertEqual(store_text(f"note {i}")[0], 201, i)
        code, headers, body = store_text("one too many")
        self.assertEqual((code, json.loads(body)["error"]["code"]), (429, "quota"))
        self.assertIn("Retry-After", headers)
        self.assertEqual(store_text("note 7")[0], 201)  # stored already: nothing new to keep
        # The session names its member; after logging out the cookie opens nothing.
        self.assertEqual(bob.get("/api/v1/auth/session")["member"], bob.key)
        self.assertEqual(bob.request("POST", "/api/v1/auth/logout")[0], 200)
        code, body = bob.request("GET", "/api/v1/auth/session")
        self.assertEqual((code, body["error"]["code"]), (401, "not_logged_in"))


if __name__ == "__main__":
    run_tests()
