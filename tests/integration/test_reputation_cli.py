"""`pilemesh reputation simulate`: the paper's experiment of section 4.1 (four piles, 180 ratings
each) as CSV from the real binary."""
import csv
import io
import os
import subprocess
import unittest

from harness import BUILD_DIR, run_tests

PILEMESH = os.path.join(BUILD_DIR, "bin", "pilemesh")
COLUMNS = ["rating_index", "pile_good", "pile_fair", "pile_poor", "pile_cheating"]


def simulate(*args):
    r = subprocess.run([PILEMESH, "reputation", "simulate", *args], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout


def table(out):
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], [[int(row[0])] + [float(v) for v in row[1:]] for row in rows[1:]]


class Simulate(unittest.TestCase):
    def test_the_papers_experiment(self):
        out = simulate()
        self.assertEqual(len(out.splitlines()), 181)  # the header and 180 ratings
        header, rows = table(out)
        self.assertEqual(header, COLUMNS)
        self.assertEqual([row[0] for row in rows], list(range(1, 181)))
        last = rows[-1]
        self.assertGreater(last[1], last[2], "the good pile ends above the fair one")
        self.assertGreater(last[2], last[3], "the fair pile ends above the poor one")
        self.assertLess(last[4], rows[59][4], "the cheat falls back after rating 60")
        # Six decimals: R_cp in fixed point over 10^6.
        self.assertRegex(out.splitlines()[1], r"^1(,\d+\.\d{6}){4}$")

    def test_the_same_seed_gives_the_same_output(self):
        self.assertEqual(simulate("--seed", "42"), simulate("--seed", "42"))
        self.assertNotEqual(simulate("--seed", "42"), simulate("--seed", "43"))

    def test_holds_for_other_seeds_and_credible_raters(self):
        for seed in ("2", "3", "4"):
            for credibility in ("0", "10"):
                _, rows = table(simulate("--seed", seed, "--rater-credibility", credibility))
                self.assertGreater(rows[-1][1], rows[-1][2], (seed, credibility))
                self.assertGreater(rows[-1][2], rows[-1][3], (seed, credibility))
                self.assertLess(rows[-1][4], rows[59][4], (seed, credibility))

    def test_ratings_option(self):
        out = simulate("--ratings", "30")
        self.assertEqual(len(out.splitlines()), 31)

    def test_bad_options_are_usage_errors(self):
        for args in (["--ratings", "0"], ["--seed", "x"], ["--bogus"]):
            r = subprocess.run([PILEMESH, "reputation", "simulate", *args], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, args)

    def test_listed_in_help(self):
        r = subprocess.run([PILEMESH, "--help"], capture_output=True, text=True, timeout=60)
        self.assertIn("reputation", r.stdout)
        r = subprocess.run([PILEMESH, "reputation", "--help"], capture_output=True, text=True, timeout=60)
        self.assertIn("simulate", r.stdout)


if __name__ == "__main__":
    run_tests()
