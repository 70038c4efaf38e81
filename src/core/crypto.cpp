#include "core/crypto.h"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace pbgdpl::core {
namespace {
// Interactive limits: ~65 MiB, 2 passes; a login costs tens of milliseconds on one core,
// which is the point (offline guessing) and is bounded by the login throttle.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

std::string to_hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}
}  // namespace

void crypto_init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium init failed");
}

std::string random_hex(size_t n) {
  std::vector<unsigned char> b(n);
  randombytes_buf(b.data(), n);
  return to_hex(b.data(), n);
}

std::string random_token(size_t n) {
  std::vector<unsigned char> b(n);
  randombytes_buf(b.data(), n);
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), b.data(), n, variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(h, sizeof h);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, out);
  return to_hex(out, sizeof out);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string password_hash(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool password_verify(std::string_view encoded, std::string_view password) {
  std::string enc(encoded);
  return crypto_pwhash_str_verify(enc.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded) {
  std::string enc(encoded);
  return crypto_pwhash_str_needs_rehash(enc.c_str(), kOpsLimit, kMemLimit) != 0;
}

}  // namespace pbgdpl::core
