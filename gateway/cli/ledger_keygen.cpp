// `pilemesh ledger keygen`: an account key file for a neighbour, or this node's own key.
#include <iostream>
#include <nlohmann/json.hpp>

#include "ledger_actions.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::cli {

int run_keygen(const LedgerArgs& args, const std::string& out_file) {
  namespace fs = std::filesystem;
  fs::path file;
  bool existed = false;
  std::error_code ec;
  if (!out_file.empty()) {
    file = fs::absolute(out_file);
    // An existing key may hold money or sign for a pile: replacing it would lose both.
    if (fs::exists(fs::symlink_status(file, ec))) {
      throw CommandError(kExitFailed,
                         file.string() + " exists; not overwriting it (choose another --out)");
    }
  } else {
    const LedgerPaths paths = resolve_paths(args);
    file = paths.node_key_file();
    existed = fs::exists(fs::symlink_status(file, ec));
    if (!existed && !fs::exists(paths.data_dir, ec)) {
      // As the daemon makes it: private to the gateway's user.
      fs::create_directories(paths.data_dir, ec);
      if (!ec) fs::permissions(paths.data_dir, fs::perms::owner_all, ec);
      if (ec) {
        throw CommandError(kExitFailed,
                           "cannot create " + paths.data_dir.string() + ": " + ec.message());
      }
    }
  }
  try {
    const ledger::KeyPair key = ledger::KeyPair::load_or_create(file);
    const std::string public_hex = key.public_key().hex();
    if (args.json) {
      std::cout << nlohmann::json{{"file", file.string()},
                                  {"public_key", public_hex},
                                  {"created", !existed}}
                       .dump(2)
                << "\n";
    } else {
      // The key alone on stdout, so that scripts can capture it; the note is for people.
      std::cerr << (existed ? "existing key " : "created ") << file.string() << "\n";
      std::cout << public_hex << "\n";
    }
  } catch (const std::runtime_error& e) {
    throw CommandError(kExitFailed, e.what());
  }
  return kExitOk;
}

}  // namespace pilemesh::cli
