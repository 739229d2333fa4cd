// `pilemesh demo seed`: a demo neighbourhood in an empty data folder, for `make run`
// (gateway/demo/include/pilemesh/gateway/demo_neighbourhood.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace pilemesh::cli {

class DemoCommands {
 public:
  explicit DemoCommands(CLI::App& app);
  bool parsed() const { return demo_->parsed(); }
  int run() const;

 private:
  CLI::App* demo_ = nullptr;
  CLI::App* seed_ = nullptr;
  std::string config_file_;
  std::string data_dir_;
  int days_ = 28;
  std::size_t extra_piles_ = 0;
};

}  // namespace pilemesh::cli
