// The certificate of the gateway's HTTPS listener. Pages reached over the local network must not
// travel in the clear (sessions, keys being registered), so a listener that is not loopback
// always speaks TLS: with the owner's own certificate when [web] names one, else with one the
// gateway makes for itself at first start (self-signed; browsers ask once to trust it).
#pragma once

#include <filesystem>
#include <string>

namespace pilemesh::gateway {

struct TlsFiles {
  std::filesystem::path certificate;  // PEM
  std::filesystem::path private_key;  // PEM, mode 0600
  std::string fingerprint;            // SHA-256 of the certificate, "AB:CD:…", to compare by eye
};

// <dir>/certificate.pem and <dir>/private-key.pem, made when missing: an ECDSA P-256 key and a
// certificate for `host_name` (and localhost) valid for ten years. "" or why not.
std::string ensure_self_signed_certificate(const std::filesystem::path& dir,
                                           const std::string& host_name, TlsFiles& out);

// The SHA-256 fingerprint of a PEM certificate file; "" when it cannot be read.
std::string certificate_fingerprint(const std::filesystem::path& certificate);

// True for addresses only this machine reaches (127.0.0.0/8, ::1, "localhost").
bool is_loopback_bind(const std::string& bind);

}  // namespace pilemesh::gateway
