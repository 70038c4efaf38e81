#pragma once
// Thin wrappers over libsodium: random tokens, SHA-256, HMAC, constant-time compare and
// argon2id password hashing.
#include <string>
#include <string_view>

namespace pbgdpl::core {

/// Must be called once before any other function here (idempotent).
void crypto_init();
/// n random bytes as lowercase hex (2n chars).
std::string random_hex(size_t n_bytes);
/// n random bytes as URL-safe base64 without padding.
std::string random_token(size_t n_bytes = 32);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);
/// argon2id hash in the standard encoded form ($argon2id$v=19$...).
std::string password_hash(std::string_view password);
bool password_verify(std::string_view encoded, std::string_view password);
/// True when the hash was made with weaker parameters than today's and should be redone.
bool password_needs_rehash(std::string_view encoded);

}  // namespace pbgdpl::core
