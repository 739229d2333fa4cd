#include "pilemesh/ledger/keys.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "pilemesh/ledger/hash.hpp"
#include "sodium.hpp"

namespace pilemesh::ledger {

namespace {

using Seed = std::array<std::uint8_t, crypto_sign_SEEDBYTES>;

// 64 hex digits and a newline.
constexpr std::size_t kKeyFileBytes = 2 * crypto_sign_SEEDBYTES + 1;

// Wipes a buffer holding secret material however the scope is left.
template <class Buffer>
class Wipe {
 public:
  explicit Wipe(Buffer& buffer) : buffer_(buffer) {}
  ~Wipe() { sodium_memzero(buffer_.data(), buffer_.size()); }
  Wipe(const Wipe&) = delete;
  Wipe& operator=(const Wipe&) = delete;

 private:
  Buffer& buffer_;
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now so that a failing close (lost write) is reported.
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw std::runtime_error("key file " + file.string() + ": " + what);
}

[[noreturn]] void fail_errno(const std::filesystem::path& file, const std::string& what) {
  fail(file, what + ": " + std::strerror(errno));
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// Reads an existing key file; nullopt when there is none.
std::optional<Seed> read_seed(const std::filesystem::path& file) {
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail_errno(file, "cannot open");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno(file, "cannot stat");
  if (!S_ISREG(st.st_mode)) fail(file, "not a regular file");
  // The seed is the account's whole identity: any access by group or others is refused.
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    fail(file, "mode " + octal_mode(st.st_mode) +
                   " gives group or others access; it must be 0600 (chmod 600 " + file.string() +
                   ")");
  }

  // One byte more than a well-formed file, to notice anything appended.
  std::array<char, kKeyFileBytes + 1> text{};
  Wipe wipe_text(text);
  std::size_t size = 0;
  while (size < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + size, text.size() - size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno(file, "cannot read");
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  // Built in place and returned as is, so no copy of the seed is left behind on the stack.
  std::optional<Seed> seed(std::in_place);
  if (size != kKeyFileBytes || text[kKeyFileBytes - 1] != '\n' ||
      !from_hex(std::string_view(text.data(), kKeyFileBytes - 1), *seed)) {
    sodium_memzero(seed->data(), seed->size());
    fail(file, "malformed; expected 64 hex digits (the Ed25519 seed) and a newline");
  }
  return seed;
}

// Writes a new key file; false if another process created it first.
bool write_seed(const std::filesystem::path& file, const Seed& seed) {
  Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    if (errno == EEXIST) return false;
    fail_errno(file, "cannot create");
  }
  std::array<char, kKeyFileBytes> text{};
  Wipe wipe_text(text);
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < seed.size(); ++i) {
    text[2 * i] = kDigits[seed[i] >> 4];
    text[2 * i + 1] = kDigits[seed[i] & 0xf];
  }
  text[kKeyFileBytes - 1] = '\n';

  // A half-written key file would be refused as malformed on every later start: remove it.
  auto abandon = [&](const std::string& what) {
    const int saved = errno;
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    errno = saved;
    fail_errno(file, what);
  };
  // The umask may only narrow the mode; make it exactly 0600.
  if (::fchmod(fd.get(), 0600) != 0) abandon("cannot set mode 0600");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd.get(), text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("cannot write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) abandon("cannot sync");
  if (fd.close() != 0) abandon("cannot close");

  // Make the new directory entry durable too; failing here loses nothing already written.
  const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) (void)::fsync(dir_fd.get());
  return true;
}

}  // namespace

std::string PublicKey::hex() const {
  return to_hex(bytes);
}

std::optional<PublicKey> PublicKey::from_hex(std::string_view hex) {
  PublicKey key;
  if (!ledger::from_hex(hex, key.bytes)) return std::nullopt;
  return key;
}

KeyPair KeyPair::generate() {
  detail::ensure_sodium();
  Seed seed;
  Wipe wipe_seed(seed);
  randombytes_buf(seed.data(), seed.size());
  return from_seed(seed);
}

KeyPair KeyPair::from_seed(std::span<const std::uint8_t, 32> seed) {
  detail::ensure_sodium();
  KeyPair pair;
  crypto_sign_seed_keypair(pair.public_.bytes.data(), pair.secret_.data(), seed.data());
  return pair;
}

KeyPair KeyPair::load_or_create(const std::filesystem::path& file) {
  detail::ensure_sodium();
  // Two attempts: if another process creates the file between our read and our create, read
  // what it wrote instead of overwriting it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto seed = read_seed(file)) {
      Wipe wipe_seed(*seed);
      return from_seed(*seed);
    }
    Seed seed;
    Wipe wipe_seed(seed);
    randombytes_buf(seed.data(), seed.size());
    if (write_seed(file, seed)) return from_seed(seed);
  }
  fail(file, "appeared and disappeared while being created");
}

KeyPair::~KeyPair() {
  sodium_memzero(secret_.data(), secret_.size());
}

Signature KeyPair::sign(std::span<const std::uint8_t> message) const {
  Signature sig;
  crypto_sign_detached(sig.bytes.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool verify(const PublicKey& key, std::span<const std::uint8_t> message, const Signature& sig) {
  detail::ensure_sodium();
  return crypto_sign_verify_detached(sig.bytes.data(), message.data(), message.size(),
                                     key.bytes.data()) == 0;
}

}  // namespace pilemesh::ledger

namespace pilemesh::ledger {

std::optional<std::vector<std::uint8_t>> seal_to(const PublicKey& recipient,
                                                 std::span<const std::uint8_t> plaintext) {
  std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> x25519{};
  if (crypto_sign_ed25519_pk_to_curve25519(x25519.data(), recipient.bytes.data()) != 0)
    return std::nullopt;
  std::vector<std::uint8_t> out(plaintext.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(out.data(), plaintext.data(), plaintext.size(), x25519.data()) != 0)
    return std::nullopt;
  return out;
}

std::optional<std::array<std::uint8_t, 24>> sealed_box_nonce(const PublicKey& recipient,
                                                             std::span<const std::uint8_t> sealed) {
  static_assert(crypto_box_NONCEBYTES == 24);
  detail::ensure_sodium();
  if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
  std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> x25519{};
  if (crypto_sign_ed25519_pk_to_curve25519(x25519.data(), recipient.bytes.data()) != 0)
    return std::nullopt;
  // What crypto_box_seal derives: BLAKE2b(ephemeral_pk || recipient_pk), 24 bytes.
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, crypto_box_NONCEBYTES);
  crypto_generichash_update(&state, sealed.data(), crypto_box_PUBLICKEYBYTES);
  crypto_generichash_update(&state, x25519.data(), x25519.size());
  std::array<std::uint8_t, 24> nonce{};
  crypto_generichash_final(&state, nonce.data(), nonce.size());
  return nonce;
}

std::optional<std::vector<std::uint8_t>> KeyPair::unseal(
    std::span<const std::uint8_t> sealed) const {
  if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
  std::array<std::uint8_t, crypto_box_PUBLICKEYBYTES> pk{};
  std::array<std::uint8_t, crypto_box_SECRETKEYBYTES> sk{};
  if (crypto_sign_ed25519_pk_to_curve25519(pk.data(), public_.bytes.data()) != 0)
    return std::nullopt;
  crypto_sign_ed25519_sk_to_curve25519(sk.data(), secret_.data());
  std::vector<std::uint8_t> out(sealed.size() - crypto_box_SEALBYTES);
  const int r =
      crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), pk.data(), sk.data());
  sodium_memzero(sk.data(), sk.size());
  if (r != 0) return std::nullopt;
  return out;
}

}  // namespace pilemesh::ledger
