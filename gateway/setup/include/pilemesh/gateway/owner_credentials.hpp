// How the owner of this gateway signs in to its web UI. The owner's account key is the
// gateway's own key (it owns the gateway's piles and signs their sessions), so it stays on the
// gateway; the owner proves who they are with a password set in the first-run wizard, kept only
// as an Argon2id hash (libsodium's crypto_pwhash_str). Until then, the wizard is opened with a
// one-time setup code the gateway prints in its log and keeps in <data_dir>/setup-code.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace pilemesh::gateway {

class OwnerCredentials {
 public:
  // Passwords shorter than this are refused: the hash slows guessing, it cannot save "1234".
  static constexpr std::size_t kMinPasswordLength = 10;
  static constexpr std::size_t kMaxPasswordLength = 256;

  explicit OwnerCredentials(std::filesystem::path data_dir);

  // True once the wizard has set the owner's password (or `pilemesh demo seed` has).
  bool has_password() const;
  // "" when stored; otherwise why not (too short, cannot write).
  std::string set_password(std::string_view password);
  bool verify_password(std::string_view password) const;

  // The setup code, made on first call ("ABCDE-FGHJK": no 0/O or 1/I to misread).
  std::string setup_code();
  // Compared in constant time, ignoring case, spaces and dashes; false once a password is set.
  bool check_setup_code(std::string_view code);

 private:
  std::filesystem::path hash_file_, code_file_;
};

}  // namespace pilemesh::gateway
