"""OCPP 1.6J on the real daemon, against an independent charge point (npm ocpp-rpc in strict mode,
which checks every answer and call of the gateway against the official schemas): the neighbour
journey for each way a pile starts a transaction — on RemoteStart after the booking's QR code,
after Authorize with a booked card, and on its own at plug-in with a fixed tag — each metered and
settled on the ledger; credentials refused at the upgrade; malformed frames and invalid payloads
answered with the CALLERROR the specification names while another pile keeps charging; and a
pile that refuses charging profiles."""
import hashlib
import os
import tempfile
import time
import unittest

import harness
from harness import daemon, free_port, pile, run_tests
from ocpp_peer import ChargePoint, id_tag_of, now_iso

PASSWORD = "demo-password"


def ocpp_pile(id, identity, **settings):
    return pile(id, driver="ocpp/charge-point-16", identity=identity, password=PASSWORD, **settings)


class Neighbourhood:
    """A gateway with OCPP piles, its owner (the gateway's key) and a verified neighbour with
    money on the ledger."""

    def __init__(self, test, piles, **config):
        self.ocpp_port = free_port()
        self.keys = tempfile.TemporaryDirectory(prefix="pilemesh-ocpp-")
        test.addCleanup(self.keys.cleanup)
        self.d = daemon(piles=piles, location="u33dc1", ocpp_port=self.ocpp_port,
                        extra="\n[ledger]\nblock_interval_ms = 20\n", **config)
        self.pile_ids = [p["id"] for p in piles]

    def __enter__(self):
        self.d.__enter__()
        d = self.d
        self.owner = harness.Member(d, os.path.join(d.data_dir, "node.key"))
        self.alice = harness.Member(d, os.path.join(self.keys.name, "alice.key"))
        self.owner.login()
        self.events = self.owner.events()
        for pile_id in self.pile_ids:
            if d.request("GET", f"/api/v1/service/piles/{pile_id}")[0] != 200:
                self.events.wait_for(lambda e, s: e == "service" and s["type"] == "register_pile" and
                                     s.get("pile_id") == pile_id, f"{pile_id} registered")
            self.owner.commit(self.events, "set_tariff", {"pile_id": pile_id, "price_per_kwh": 30})
        self.alice.commit(self.events, "register_member", {"role": 1, "profile_hash": "0" * 64})
        self.owner.commit(self.events, "attest", {"kind": 1, "member": self.alice.key})
        self.alice.login()
        request = self.alice.commit(self.events, "request_top_up",
                                    {"amount": 5000, "method": 1, "payee": self.owner.key})
        self.owner.commit(self.events, "confirm_top_up", {"request": request})
        return self

    def __exit__(self, *exc):
        return self.d.__exit__(*exc)

    def book(self, pile_id, token_hash):
        now = int(time.time() * 1000)
        start, end = now - 30_000, now + 30 * 60_000
        quote = self.d.get_json(f"/api/v1/service/piles/{pile_id}/quote?start_ms={start}&end_ms={end}")
        booking = self.alice.commit(self.events, "book", {
            "pile_id": pile_id, "start_ms": start, "end_ms": end, "token_hash": token_hash,
            "max_deposit": quote["deposit"]})
        return booking, quote["deposit"]

    def wait_started(self, booking):
        _, started = self.events.wait_for(lambda e, s: e == "service" and s["type"] == "start_session" and
                                          s.get("booking") == booking, "the session started")
        assert started["ok"], started
        return started

    def wait_settled(self, booking, deposit, energy_wh):
        self.events.wait_for(lambda e, s: e == "service" and s["type"] == "stop_session" and
                             s.get("booking") == booking and s["ok"], "the session stopped")
        b = self.alice.get(f"/api/v1/service/bookings/{booking}")
        assert b["status"] == 3, b
        assert b["energy_wh"] == energy_wh, (b, energy_wh)
        assert b["paid"] + b["refunded"] == deposit, b
        assert b["paid"] > 0, b
        return b


def online(d, pile_id):
    d.wait_for_log(rf"\[{pile_id}\] online")


class OcppJourneys(unittest.TestCase):
    # The ledger refuses more energy than the pile's full power over the session's time plus a
    # minute: these sessions last about a second, so they deliver well under 11 kW for a minute.
    def assert_strict(self, cp):
        self.assertEqual(cp.strict_failures, [], "the gateway broke a schema")

    def test_qr_code_remote_start_meter_values_stop_and_settlement(self):
        with Neighbourhood(self, [ocpp_pile("drive", "CP001")]) as n, ChargePoint(n.ocpp_port, "CP001", PASSWORD) as cp:
            cp.connect()
            boot = cp.boot(register_wh=1000)
            self.assertEqual(boot["status"], "Accepted")
            self.assertEqual(boot["interval"], 300)
            online(n.d, "drive")
            self.assertIn("currentTime", cp.call("Heartbeat", {}))
            cp.status("Available")
            cp.status("Preparing")  # the car is plugged in
            token = "qr-" + n.alice.key[:16]
            booking, deposit = n.book("drive", hashlib.sha256(token.encode()).hexdigest())

            # The phone scans the pile's QR code: once the start is committed, the gateway
            # asks the pile to start with the idTag derived from the token (never the token).
            code, body = n.alice.request("POST", "/api/v1/service/sessions/start", {"booking": booking, "token": token})
            self.assertEqual(code, 202, body)
            n.wait_started(booking)
            remote = cp.called("RemoteStartTransaction")
            self.assertEqual(remote, {"connectorId": 1, "idTag": id_tag_of(token)})
            self.assertNotIn(token, "\n".join(n.d.lines))
            # A pile that authorizes remote starts first asks about the tag: it is the session's.
            self.assertEqual(cp.call("Authorize", {"idTag": remote["idTag"]})["idTagInfo"]["status"], "Accepted")
            started = cp.call("StartTransaction", {"connectorId": 1, "idTag": remote["idTag"], "meterStart": 1000,
                                                   "timestamp": now_iso()})
            self.assertEqual(started["idTagInfo"]["status"], "Accepted")
            tx = started["transactionId"]
            cp.status("Charging")
            cp.meter(1050, tx, power_w=11000)
            n.events.wait_for(lambda e, s: e == "pile" and s["id"] == "drive" and
                              any(c["energy_wh"] == 1050 and c["power_w"] == 11000 for c in s["connectors"]),
                              "the meter values on the live page")
            cp.meter(1120, tx, power_w=11000)
            n.events.wait_for(lambda e, s: e == "pile" and s["id"] == "drive" and
                              any(c["energy_wh"] == 1120 for c in s["connectors"]), "1.12 kWh")

            # The member stops from the phone: the gateway stops the pile's transaction.
            code, body = n.alice.request("POST", "/api/v1/service/sessions/stop", {"booking": booking, "token": token})
            self.assertEqual(code, 202, body)
            self.assertEqual(cp.called("RemoteStopTransaction"), {"transactionId": tx})
            cp.call("StopTransaction", {"transactionId": tx, "meterStop": 1120, "timestamp": now_iso(),
                                        "reason": "Remote"})
            cp.status("Finishing")
            n.wait_settled(booking, deposit, energy_wh=120)
            self.assert_strict(cp)

    def test_a_booked_card_authorizes_at_the_pile(self):
        card = "04A2B3C4D5"
        with Neighbourhood(self, [ocpp_pile("drive", "CP001")]) as n, ChargePoint(n.ocpp_port, "CP001", PASSWORD) as cp:
            cp.connect()
            cp.boot(register_wh=20000)
            online(n.d, "drive")
            cp.status("Preparing")
            # Without a booking the card opens nothing.
            self.assertEqual(cp.call("Authorize", {"idTag": card})["idTagInfo"]["status"], "Invalid")
            code, registered = n.alice.request("POST", "/api/v1/service/cards", {"uid": card})
            self.assertEqual(code, 200, registered)
            booking, deposit = n.book("drive", registered["token_hash"])
            authorized = cp.call("Authorize", {"idTag": card})
            self.assertEqual(authorized["idTagInfo"]["status"], "Accepted")
            n.wait_started(booking)
            started = cp.call("StartTransaction", {"connectorId": 1, "idTag": card, "meterStart": 20000,
                                                   "timestamp": now_iso()})
            self.assertEqual(started["idTagInfo"]["status"], "Accepted")
            tx = started["transactionId"]
            cp.status("Charging")
            cp.meter(20060, tx)
            # The driver ends it at the pile and unplugs: the session stops and settles.
            cp.call("StopTransaction", {"transactionId": tx, "meterStop": 20150, "timestamp": now_iso(),
                                        "idTag": card, "reason": "Local"})
            cp.status("Finishing")
            cp.status("Available")
            n.wait_settled(booking, deposit, energy_wh=150)
            self.assertNotIn(card, "\n".join(n.d.lines))  # the card's uid is never logged
            self.assertEqual(cp.seen and [e for e in cp.seen if e.get("action") == "RemoteStartTransaction"], [])
            self.assert_strict(cp)

    def test_a_pile_that_starts_on_plug_in_charges_only_for_a_session(self):
        free_vend = "FREEVEND"
        with Neighbourhood(self, [ocpp_pile("drive", "CP001")]) as n, ChargePoint(n.ocpp_port, "CP001", PASSWORD) as cp:
            cp.connect()
            cp.boot()
            online(n.d, "drive")
            # Plugged in without a session: the transaction is refused and the pile told to stop.
            cp.status("Preparing")
            refused = cp.call("StartTransaction", {"connectorId": 1, "idTag": free_vend, "meterStart": 500,
                                                   "timestamp": now_iso()})
            self.assertEqual(refused["idTagInfo"]["status"], "Invalid")
            self.assertEqual(cp.called("RemoteStopTransaction"), {"transactionId": refused["transactionId"]})
            n.d.wait_for_log(r"\[drive\] .*refused a transaction its idTag does not authorize")
            cp.call("StopTransaction", {"transactionId": refused["transactionId"], "meterStop": 500,
                                        "timestamp": now_iso(), "reason": "DeAuthorized"})
            cp.status("Preparing")
            # The neighbour scans the QR code: the pile gets RemoteStart, and starts with its own
            # fixed tag again, which the running session now covers.
            token = "qr-free-" + n.alice.key[:12]
            booking, deposit = n.book("drive", hashlib.sha256(token.encode()).hexdigest())
            code, body = n.alice.request("POST", "/api/v1/service/sessions/start", {"booking": booking, "token": token})
            self.assertEqual(code, 202, body)
            n.wait_started(booking)
            cp.called("RemoteStartTransaction")
            started = cp.call("StartTransaction", {"connectorId": 1, "idTag": free_vend, "meterStart": 500,
                                                   "timestamp": now_iso()})
            self.assertEqual(started["idTagInfo"]["status"], "Accepted")
            cp.status("Charging")
            cp.meter(600, started["transactionId"])
            code, body = n.alice.request("POST", "/api/v1/service/sessions/stop", {"booking": booking, "token": token})
            self.assertEqual(code, 202, body)
            self.assertEqual(cp.called("RemoteStopTransaction"), {"transactionId": started["transactionId"]})
            cp.call("StopTransaction", {"transactionId": started["transactionId"], "meterStop": 600,
                                        "timestamp": now_iso(), "reason": "Remote"})
            n.wait_settled(booking, deposit, energy_wh=100)
            self.assert_strict(cp)


class OcppDoor(unittest.TestCase):
    def test_credentials_and_versions_are_checked_at_the_upgrade(self):
        port = free_port()
        d = daemon(piles=[ocpp_pile("drive", "CP001")], ocpp_port=port)
        with d:
            with ChargePoint(port, "CP001", "wrong-password") as cp:
                self.assertEqual(cp.connect(expect=False)["event"], "connect_failed")
            d.wait_for_log(r'OCPP: refused charge point "CP001" from 127\.0\.0\.1: wrong credentials')
            with ChargePoint(port, "CP999", PASSWORD) as cp:
                self.assertEqual(cp.connect(expect=False)["event"], "connect_failed")
            d.wait_for_log(r'OCPP: refused charge point "CP999" from 127\.0\.0\.1: unknown identity')
            # ocpp-rpc's strict mode knows no 1.5 schemas, so an old pile is a plain WebSocket.
            with ChargePoint(port, "CP001", PASSWORD, protocols=["ocpp1.5"]) as cp:
                self.assertEqual(cp.raw_connect(), {"event": "raw_refused", "status": 400})
            d.wait_for_log(r"no OCPP version in common")
            self.assertNotIn(PASSWORD, "\n".join(d.lines))
            self.assertNotIn("wrong-password", "\n".join(d.lines))
            # The right one gets in, and the subprotocol is echoed.
            with ChargePoint(port, "CP001", PASSWORD) as cp:
                self.assertEqual(cp.connect()["protocol"], "ocpp1.6")
                online(d, "drive")
                # Repeated failures from one address are refused without checks for a while.
                for _ in range(5):
                    with ChargePoint(port, "CP001", "wrong-password") as bad:
                        bad.connect(expect=False)
                d.wait_for_log(r"127\.0\.0\.1 failed 5 times; refusing it")
                # The pile already in keeps working.
                self.assertIn("currentTime", cp.call("Heartbeat", {}))

    def test_bad_frames_get_the_right_callerror_while_another_pile_charges(self):
        port = free_port()
        d = daemon(piles=[ocpp_pile("drive", "CP001"), ocpp_pile("garage", "CP002")], ocpp_port=port)
        with d, ChargePoint(port, "CP001", PASSWORD) as good, ChargePoint(port, "CP002", PASSWORD) as bad:
            good.connect()
            good.boot()
            good.status("Charging")
            self.assertEqual(bad.raw_connect()["event"], "raw_connected")
            cases = [
                ('[2,"m1","Heartbeat",{"x":1}]', "FormationViolation"),
                ('[2,"m2","Authorize",{"idTag":"' + "A" * 21 + '"}]', "PropertyConstraintViolation"),
                ('[2,"m3","Authorize",{}]', "OccurenceConstraintViolation"),
                ('[2,"m4","StatusNotification",{"connectorId":"1","errorCode":"NoError","status":"Available"}]',
                 "TypeConstraintViolation"),
                ('[2,"m5","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Sleeping"}]',
                 "PropertyConstraintViolation"),
                ('[2,"m6","FlyToTheMoon",{}]', "NotImplemented"),
                ('[2,"m7","Authorize",["not","an","object"]]', "FormationViolation"),
            ]
            for frame, code in cases:
                answer = bad.raw(frame)
                self.assertEqual(answer[0], 4, answer)
                self.assertEqual(answer[1], frame.split('"')[1], answer)
                self.assertEqual(answer[2], code, (frame, answer))
            # Frames without a usable id get no answer, and the connection stays up.
            bad.raw("this is not json", answer=False)
            bad.raw("[2]", answer=False)
            self.assertEqual(bad.raw('[2,"m8","Heartbeat",{}]')[0], 3)
            d.wait_for_log(r"\[garage\] charge point CP002 sent an invalid Authorize \(PropertyConstraintViolation\)")
            # The other pile was never disturbed.
            self.assertIn("currentTime", good.call("Heartbeat", {}))
            self.assertEqual(good.status("Charging"), {})
            self.assert_no_strict(good)

    def assert_no_strict(self, cp):
        self.assertEqual(cp.strict_failures, [])

    def test_current_limit_is_a_charging_profile_until_the_pile_refuses_them(self):
        port = free_port()
        d = daemon(piles=[ocpp_pile("drive", "CP001")], ocpp_port=port)
        with d, ChargePoint(port, "CP001", PASSWORD) as cp:
            cp.connect()
            cp.boot()
            cp.status("Available")
            online(d, "drive")
            owner = harness.Member(d, os.path.join(d.data_dir, "node.key"))
            owner.login()
            code, body = owner.request("PUT", "/api/v1/piles/drive/connectors/1/current-limit", {"current_a": 10})
            self.assertEqual(code, 200, body)
            profile = cp.called("SetChargingProfile")
            self.assertEqual(profile["connectorId"], 1)
            schedule = profile["csChargingProfiles"]["chargingSchedule"]
            self.assertEqual(schedule["chargingRateUnit"], "A")
            self.assertEqual(schedule["chargingSchedulePeriod"][0]["limit"], 10)
            self.assertEqual(profile["csChargingProfiles"]["chargingProfilePurpose"], "TxDefaultProfile")
            events = d.events()
            events.wait_for(lambda e, s: e == "pile" and s["id"] == "drive" and
                            s["connectors"][0]["current_limit_ma"] == 10000, "the limit in force")
            # A firmware that takes no profiles: the next limit is reported as not supported.
            cp.answer("SetChargingProfile", {"status": "Rejected"})
            code, body = owner.request("PUT", "/api/v1/piles/drive/connectors/1/current-limit", {"current_a": 8})
            self.assertEqual(code, 200, body)
            cp.called("SetChargingProfile")
            d.wait_for_log(r"refused SetChargingProfile \(Rejected\)")
            code, body = owner.request("PUT", "/api/v1/piles/drive/connectors/1/current-limit", {"current_a": 6})
            self.assertNotEqual(code, 200, body)
            self.assertIn("refused SetChargingProfile", body["error"]["message"])
            self.assertEqual(cp.strict_failures, [])


class OcppExample(unittest.TestCase):
    def test_the_example_config_takes_its_wallbox(self):
        """config/examples/ocpp.toml as shipped, but on free ports."""
        example = os.path.join(os.path.dirname(__file__), "..", "..", "config", "examples", "ocpp.toml")
        with open(example) as f:
            text = f.read()
        d = harness.Daemon()
        port = free_port()
        for shipped, here in (('listen = "127.0.0.1:8887"', f'listen = "127.0.0.1:{port}"'),
                              ("port = 8080", f"port = {d.port}")):
            self.assertIn(shipped, text)
            text = text.replace(shipped, here)
        d.write_config(text)
        with d, ChargePoint(port, "CP001", "demo-password") as cp:
            events = d.events()
            cp.connect()
            self.assertEqual(cp.boot(register_wh=4200)["status"], "Accepted")
            cp.status("Available")
            online(d, "driveway")
            d.wait_for_log(r"\[driveway\] connector 1: Available")
            events.wait_for(lambda e, s: e == "pile" and s["id"] == "driveway" and
                            any(c["energy_wh"] == 4200 for c in s["connectors"]), "the register on the live page")
            self.assertEqual(cp.strict_failures, [])


if __name__ == "__main__":
    run_tests()
