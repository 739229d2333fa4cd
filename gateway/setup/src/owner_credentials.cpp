#include "pilemesh/gateway/owner_credentials.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace pilemesh::gateway {
namespace {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Written whole to a temporary file (mode 0600) and renamed over the old one, so a power cut
// leaves the old content or the new, never half of it.
bool write_private(const std::filesystem::path& file, const std::string& text) {
  const auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return false;
    std::filesystem::permissions(
        tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    out << text;
    out.flush();
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  return !ec;
}

std::string normalized_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

OwnerCredentials::OwnerCredentials(std::filesystem::path data_dir)
    : hash_file_(data_dir / "owner.pwhash"), code_file_(data_dir / "setup-code") {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

bool OwnerCredentials::has_password() const {
  return std::filesystem::exists(hash_file_);
}

std::string OwnerCredentials::set_password(std::string_view password) {
  if (password.size() < kMinPasswordLength)
    return "the password needs at least " + std::to_string(kMinPasswordLength) + " characters";
  if (password.size() > kMaxPasswordLength)
    return "the password may have at most " + std::to_string(kMaxPasswordLength) + " characters";
  char hash[crypto_pwhash_STRBYTES];
  // The interactive limits (64 MiB, 2 passes): about a tenth of a second on a Raspberry Pi 4.
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return "not enough memory to hash the password";
  if (!write_private(hash_file_, hash)) return "cannot write " + hash_file_.string();
  // The setup code has served its purpose.
  std::error_code ec;
  std::filesystem::remove(code_file_, ec);
  return "";
}

bool OwnerCredentials::verify_password(std::string_view password) const {
  if (password.empty() || password.size() > kMaxPasswordLength) return false;
  const std::string hash = read_file(hash_file_);
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string OwnerCredentials::setup_code() {
  std::string code = read_file(code_file_);
  while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.pop_back();
  if (normalized_code(code).size() == 10) return code;
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32, no 0 O 1 I
  code.clear();
  for (int i = 0; i < 10; ++i) {
    if (i == 5) code.push_back('-');
    code.push_back(kAlphabet[randombytes_uniform(32)]);
  }
  write_private(code_file_, code + "\n");
  return code;
}

bool OwnerCredentials::check_setup_code(std::string_view code) {
  if (has_password()) return false;
  const std::string want = normalized_code(setup_code());
  const std::string got = normalized_code(code);
  if (got.size() != want.size()) return false;
  return sodium_memcmp(got.data(), want.data(), want.size()) == 0;
}

}  // namespace pilemesh::gateway
