#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace pbgdpl::core {
namespace {

TEST(Crypto, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacSha256Rfc4231) {
  // RFC 4231 test case 2: a key shorter than the block, ASCII data.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 1: key = 20 × 0x0b, data "Hi There".
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 6: a key longer than the block is hashed first.
  EXPECT_EQ(hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, RandomTokensHaveTheRightLengthAndAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto t = random_token();
    EXPECT_EQ(t.size(), 43u);  // 32 bytes, base64 without padding
    for (char c : t) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(random_token(16).size(), 22u);
  EXPECT_EQ(random_token(3).size(), 4u);
  auto h = random_hex(6);
  EXPECT_EQ(h.size(), 12u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos) << h;
  EXPECT_NE(random_hex(16), random_hex(16));
}

TEST(Crypto, PasswordHashVerifiesOnlyTheRightPassword) {
  auto h = password_hash("Mật khẩu rất dài 2026!");
  EXPECT_TRUE(h.starts_with("$argon2id$")) << h;
  EXPECT_TRUE(password_verify(h, "Mật khẩu rất dài 2026!"));
  EXPECT_FALSE(password_verify(h, "Mat khau rat dai 2026!"));
  EXPECT_FALSE(password_verify(h, ""));
  EXPECT_FALSE(password_verify("không phải mã băm", "x"));
  EXPECT_FALSE(password_verify("", ""));
  // Salted: the same password never gives the same hash.
  EXPECT_NE(password_hash("Mật khẩu rất dài 2026!"), h);
  EXPECT_FALSE(password_needs_rehash(h));
}

TEST(Crypto, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("csrf-token", "csrf-token"));
  EXPECT_FALSE(constant_time_equal("csrf-token", "csrf-tokeN"));
  EXPECT_FALSE(constant_time_equal("csrf-token", "csrf-toke"));
  EXPECT_FALSE(constant_time_equal("", "a"));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace pbgdpl::core
