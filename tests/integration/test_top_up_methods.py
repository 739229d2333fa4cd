"""Top-up methods from a plugin on the real daemon: the owner enables the test plugin's
"voucher/shop" method ([[top_ups]]); a member asks to top up by it and gets the plugin's
instructions; a method this gateway does not offer, or an amount the method refuses, is
answered with what to do. A [[top_ups]] entry that names a pile's driver is a configuration
error, and one whose plugin is missing leaves the others working."""
import json
import os
import tempfile
import unittest

import harness
from harness import PLUGIN_DIR, TEST_PLUGIN_DIR, daemon, pile, run_tests

KIOSK = """
[[top_ups]]
id = "kiosk"
driver = "voucher/shop"
settings = { shop = "Kiosk Lindenstrasse", limit = 10000 }

[[top_ups]]
id = "gone"
driver = "nowhere/pay"
"""



class TopUpMethods(unittest.TestCase):
    def test_a_plugins_method_gives_the_member_its_instructions(self):
        keys = tempfile.TemporaryDirectory(prefix="pilemesh-topup-")
        self.addCleanup(keys.cleanup)
        d = daemon(piles=[pile("drive")], location="u33dc1", plugin_dirs=[PLUGIN_DIR, TEST_PLUGIN_DIR],
                   extra="\n[ledger]\nblock_interval_ms = 20\n" + KIOSK)
        with d:
            d.wait_for_log(r"\[kiosk\] top-up method 42 \(voucher/shop\) offered")
            d.wait_for_log(r"\[gone\] top-up method not offered: driver \"nowhere/pay\" is not available")
            owner = harness.Member(d, os.path.join(d.data_dir, "node.key"))
            alice = harness.Member(d, os.path.join(keys.name, "alice.key"))
            owner.login()
            events = owner.events()  # the admin's: every service event
            alice.commit(events, "register_member", {"role": 1, "profile_hash": "0" * 64})
            owner.commit(events, "attest", {"kind": 1, "member": alice.key})
            alice.login()

            # The methods on offer: manual (built in) and the plugin's; no bank account, no SEPA.
            methods = d.get_json("/api/v1/service/topup-methods")
            self.assertEqual([(m["number"], m["name"]) for m in methods["methods"]],
                             [(1, "manual"), (42, "voucher/shop")])
            self.assertEqual(methods["payee"], owner.key)

            def request(method, amount):
                return alice.commit(events, "request_top_up", {"amount": amount, "method": method,
                                                             "payee": owner.key, "reference": "ALICE"})

            kiosk = request(42, 2500)
            code, body = alice.request("GET", f"/api/v1/service/topups/{kiosk}/instructions")
            self.assertEqual(code, 200, body)
            self.assertEqual(body["summary"],
                             f"Pay 25.00 EUR in cash at Kiosk Lindenstrasse and quote V-{kiosk[:8]}.")
            self.assertEqual(body["qr_text"], f"V-{kiosk[:8]}")
            # The built-in manual method answers too.
            manual = request(1, 1000)
            self.assertIn("Pay 10.00 EUR to the pile's owner in person",
                          alice.get(f"/api/v1/service/topups/{manual}/instructions")["summary"])
            # Over the shop's limit: the plugin's reason. By a method not offered here: what to do.
            big = request(42, 20000)
            code, body = alice.request("GET", f"/api/v1/service/topups/{big}/instructions")
            self.assertEqual((code, body["error"]["code"]), (422, "invalid"))
            self.assertIn("at most 100 EUR", body["error"]["message"])
            sepa = request(2, 1000)
            code, body = alice.request("GET", f"/api/v1/service/topups/{sepa}/instructions")
            self.assertEqual((code, body["error"]["code"]), (409, "method_not_offered"))
            self.assertIn("topup-methods", body["error"]["message"])
            # The owner confirms the kiosk payment as any other: the wallet is credited.
            owner.commit(events, "confirm_top_up", {"request": kiosk})
            self.assertEqual(alice.get(f"/api/v1/service/members/{alice.key}")["balance"], 2500)
            code, body = alice.request("GET", f"/api/v1/service/topups/{kiosk}/instructions")
            self.assertEqual((code, body["error"]["code"]), (409, "conflict"))

    def test_a_top_up_that_names_a_piles_driver_is_a_configuration_error(self):
        d = daemon(piles=[pile("drive")], plugin_dirs=[PLUGIN_DIR],
                   extra='\n[[top_ups]]\nid = "wrong"\ndriver = "simulator/charger"\n')
        code, log = d.run_to_exit()
        self.assertEqual(code, 2, log)
        self.assertIn('top_ups[0].driver: "simulator/charger" is for a pile, not a top-up method', log)


if __name__ == "__main__":
    run_tests()
