#include "pilemesh/gateway/tls_certificate.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <boost/asio/ip/address.hpp>
#include <cstdio>
#include <memory>

namespace pilemesh::gateway {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

}  // namespace

std::string certificate_fingerprint(const std::filesystem::path& certificate) {
  File f(std::fopen(certificate.c_str(), "r"));
  if (!f) return "";
  Cert cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
  if (!cert) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert.get(), EVP_sha256(), digest, &length) != 1) return "";
  std::string out;
  char byte[4];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, i ? ":%02X" : "%02X", digest[i]);
    out += byte;
  }
  return out;
}

std::string ensure_self_signed_certificate(const std::filesystem::path& dir,
                                           const std::string& host_name, TlsFiles& out) {
  out.certificate = dir / "certificate.pem";
  out.private_key = dir / "private-key.pem";
  if (std::filesystem::exists(out.certificate) && std::filesystem::exists(out.private_key)) {
    out.fingerprint = certificate_fingerprint(out.certificate);
    return out.fingerprint.empty() ? "cannot read " + out.certificate.string() : "";
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();

  Key key(EVP_EC_gen("P-256"));
  Cert cert(X509_new());
  if (!key || !cert) return "cannot make a TLS key";
  X509_set_version(cert.get(), 2);  // v3
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // a clock a little behind is fine
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("pilemesh gateway"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(host_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  boost::system::error_code parse_ec;
  const auto address = boost::asio::ip::make_address(host_name, parse_ec);
  san += parse_ec ? ",DNS:" + host_name : ",IP:" + address.to_string();
  if (!add_extension(cert.get(), NID_subject_alt_name, san.c_str()) ||
      !add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(cert.get(), NID_ext_key_usage, "serverAuth"))
    return "cannot make the TLS certificate's extensions";
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return "cannot sign the TLS certificate";

  // The key first, readable by the gateway's user alone; then the certificate.
  const auto key_tmp = out.private_key.string() + ".tmp";
  const mode_t old_mask = ::umask(077);
  File key_file(std::fopen(key_tmp.c_str(), "w"));
  ::umask(old_mask);
  if (!key_file ||
      PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return "cannot write " + key_tmp;
  key_file.reset();
  const auto cert_tmp = out.certificate.string() + ".tmp";
  File cert_file(std::fopen(cert_tmp.c_str(), "w"));
  if (!cert_file || PEM_write_X509(cert_file.get(), cert.get()) != 1)
    return "cannot write " + cert_tmp;
  cert_file.reset();
  std::filesystem::rename(key_tmp, out.private_key, ec);
  if (!ec) std::filesystem::rename(cert_tmp, out.certificate, ec);
  if (ec) return "cannot store the TLS certificate in " + dir.string() + ": " + ec.message();
  out.fingerprint = certificate_fingerprint(out.certificate);
  return "";
}

bool is_loopback_bind(const std::string& bind) {
  if (bind == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(bind, ec);
  return !ec && address.is_loopback();
}

}  // namespace pilemesh::gateway
