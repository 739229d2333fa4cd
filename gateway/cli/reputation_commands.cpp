#include "reputation_commands.hpp"

#include <iostream>
#include <string>

#include "pilemesh/ledger/reputation_experiment.hpp"

namespace pilemesh::cli {
namespace {

// A non-negative fixed-point value as a decimal with all six places ("1.234500").
std::string decimal(ledger::Fixed value) {
  std::string frac = std::to_string(value % ledger::kFixedOne);
  frac.insert(0, 6 - frac.size(), '0');
  return std::to_string(value / ledger::kFixedOne) + "." + frac;
}

}  // namespace

ReputationCommands::ReputationCommands(CLI::App& app) {
  reputation_ = app.add_subcommand("reputation", "Pile reputation (formula 2 of the paper)");
  reputation_->require_subcommand(1);
  simulate_ = reputation_->add_subcommand(
      "simulate",
      "Print as CSV the paper's experiment (section 4.1): good, fair, poor and cheating piles "
      "rated N(3,0.6), N(2,0.6), N(1,0.6), and N(3,0.6) then N(0.3,0.6) after a third");
  simulate_->add_option("--seed", seed_, "Seed of the ratings (the same seed, the same output)")
      ->capture_default_str();
  simulate_->add_option("--ratings", ratings_, "Ratings per pile")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}))
      ->capture_default_str();
  simulate_
      ->add_option("--rater-credibility", rater_credibility_,
                   "Every rater's credibility R_v (its weight: 1 + min(max(R_v,0),10)/10)")
      ->check(CLI::Range(std::int64_t{-1'000'000'000}, std::int64_t{1'000'000'000}))
      ->capture_default_str();
}

int ReputationCommands::run() const {
  if (!simulate_->parsed()) return 2;
  const auto rows = ledger::run_reputation_experiment(
      {.seed = seed_, .ratings = ratings_, .rater_credibility = rater_credibility_, .params = {}});
  std::cout << "rating_index";
  for (const char* name : ledger::kExperimentPileNames) std::cout << ',' << name;
  std::cout << '\n';
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::cout << i + 1;
    for (const ledger::Fixed score : rows[i]) std::cout << ',' << decimal(score);
    std::cout << '\n';
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace pilemesh::cli
