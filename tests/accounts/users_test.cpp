// Users (normalization, password rules, duplicates), sign-in (generic errors, throttling,
// disabled accounts, session rotation), session expiry, API tokens and password reset.
#include "accounts/service.h"

#include <gtest/gtest.h>

#include <regex>

#include "accounts/mail.h"
#include "core/crypto.h"
#include "fixture.h"
#include "storage/jobs.h"

namespace pbgdpl::accounts::test {
namespace {

using core::ErrorCode;

// ---- validation helpers (no database) ---------------------------------------------------------

TEST(Normalize, EmailIsTrimmedAndLowerCased) {
  auto e = normalize_email("  Nguyen.Van.A@SoTuPhap.AnHoa.GOV.vn ");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e, "nguyen.van.a@sotuphap.anhoa.gov.vn");
  for (const char* bad : {"", "khongcoacong", "@example.vn", "a@b", "a@@b.vn", "a b@c.vn", "a@b.vn.", "a@.b.vn",
                          "<script>@x.vn", "'; DROP TABLE users; --", "tên@việt.vn"}) {
    auto r = normalize_email(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "email");
    EXPECT_NE(r.error().message.find("không hợp lệ"), std::string::npos);
  }
}

TEST(Normalize, VietnamesePhoneNumbersBecomeTheLocalForm) {
  for (const char* in : {"0912345678", "+84912345678", "+84 912 345 678", "84912345678", "091.234.5678", "0912-345-678"}) {
    auto p = normalize_phone(in);
    ASSERT_TRUE(p.ok()) << in;
    EXPECT_EQ(*p, "0912345678") << in;
  }
  auto landline = normalize_phone("+84 24 3825 4321");  // 11 digits with the leading 0
  ASSERT_TRUE(landline.ok());
  EXPECT_EQ(*landline, "02438254321");
  for (const char* bad : {"12345", "0912abc678", "+1 202 555 0100", "09123456789012", "<script>", ""}) {
    auto r = normalize_phone(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "phone");
  }
}

TEST(Normalize, PasswordRules) {
  EXPECT_TRUE(check_password("Mat-khau-2025").ok());
  EXPECT_TRUE(check_password("mậtkhẩu!").ok()) << "8 code points, more bytes";
  auto shrt = check_password("ngan7");
  ASSERT_FALSE(shrt.ok());
  EXPECT_EQ(shrt.error().message, "Mật khẩu phải có ít nhất 8 ký tự.");
  auto same = check_password("aaaaaaaaaa");
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.error().message.find("dễ đoán"), std::string::npos);
  EXPECT_FALSE(check_password(std::string(600, 'x') + "y").ok());
}

// ---- users --------------------------------------------------------------------------------------

class Users : public AccountsTest {};

TEST(TimingEqualizer, CostsWhatARealPasswordHashCosts) {
  // A login naming no account is verified against this string so that it takes as long as
  // a wrong password. It must carry today's Argon2id parameters: if they change, this fails
  // until the constant is regenerated.
  EXPECT_FALSE(core::password_needs_rehash(kTimingEqualizerHash));
  EXPECT_TRUE(core::password_verify(kTimingEqualizerHash, "pbgdpl-timing-equalizer"));
  std::string real = core::password_hash("x"), eq = kTimingEqualizerHash;
  EXPECT_EQ(real.substr(0, real.rfind('$', real.rfind('$') - 1)), eq.substr(0, eq.rfind('$', eq.rfind('$') - 1)))
      << "same algorithm, version, memory, time and parallelism";
}

TEST_P(Users, CreateNormalizesLoginsAndIsAudited) {
  org("AH", "tinh");
  auto before = count("audit_log");
  auto u = svc().create_user(root(), cli_,
                             {" Le.Thi.B@Example.VN ", "+84 912 345 678", "Lê Thị B", "AH", "editor", kPassword});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->email, "le.thi.b@example.vn");
  EXPECT_EQ(u->phone, "0912345678");
  ASSERT_EQ(u->roles.size(), 1u);
  EXPECT_EQ(u->roles[0].role, Role::Editor);
  EXPECT_EQ(u->roles[0].org_code, "AH");
  EXPECT_EQ(count("audit_log"), before + 1);
  // The password is stored as argon2id, never in clear.
  auto hash = scalar("SELECT password_hash FROM users WHERE id = ?", {u->id});
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(hash.find(kPassword), std::string::npos);
  // Both spellings sign in.
  EXPECT_TRUE(svc().login("LE.THI.B@example.vn", kPassword, "10.0.0.9", "ua").ok());
  EXPECT_TRUE(svc().login("+84912345678", kPassword, "10.0.0.9", "ua").ok());
}

TEST_P(Users, DuplicateEmailOrPhoneIsAConflict) {
  user("a@example.vn", "citizen");
  auto dup = svc().create_user(root(), cli_, {"A@Example.vn", "", "Người khác", "", "citizen", kPassword});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::Conflict);
  EXPECT_EQ(dup.error().message, "Đã có tài khoản dùng a@example.vn.");
  EXPECT_EQ(dup.error().field, "email");

  ASSERT_TRUE(svc().create_user(root(), cli_, {"", "0912345678", "Người có điện thoại", "", "citizen", kPassword}).ok());
  auto dup_phone = svc().register_user(cli_, {"", "+84912345678", "Người khác", "", "citizen", kPassword});
  ASSERT_FALSE(dup_phone.ok());
  EXPECT_EQ(dup_phone.error().code, ErrorCode::Conflict);
  EXPECT_EQ(dup_phone.error().field, "phone");
  EXPECT_EQ(count("users"), 2);
}

TEST_P(Users, BadInputIsRefusedWithTheField) {
  org("AH", "tinh");
  struct Case {
    UserInput in;
    std::string field;
  } cases[] = {
      {{"", "", "Không có gì", "", "citizen", kPassword}, "email"},
      {{"x@example.vn", "", "Tên", "", "citizen", "ngan"}, "password"},
      {{"x@example.vn", "", "Tên", "", "citizen", "x@example.vn"}, "password"},
      {{"x@example.vn", "", "Tên", "", "vua", kPassword}, "role"},
      {{"x@example.vn", "", "Tên", "KHONG-CO", "editor", kPassword}, "org"},
      {{"x@example.vn", "", "Tên", "", "editor", kPassword}, "org"},  // editor needs a scope
      {{"x@example.vn", "", "T", "", "citizen", kPassword}, "name"},
  };
  for (const auto& c : cases) {
    auto r = svc().create_user(root(), cli_, c.in);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().field, c.field) << r.error().message;
    EXPECT_LT(core::error_status(r.error().code), 500);
  }
  EXPECT_EQ(count("users"), 0);
}

TEST_P(Users, WithoutANameTheLoginStandsIn) {
  auto mail = svc().create_user(root(), cli_, {"nguyen.an@example.vn", "", "", "", "citizen", kPassword});
  ASSERT_TRUE(mail.ok()) << mail.error().message;
  EXPECT_EQ(mail->name, "nguyen.an");
  auto short_box = svc().create_user(root(), cli_, {"x@example.vn", "", "", "", "citizen", kPassword});
  ASSERT_TRUE(short_box.ok()) << short_box.error().message;
  EXPECT_EQ(short_box->name, "x@example.vn");
  auto phone = svc().create_user(root(), cli_, {"", "+84 912 345 678", "", "", "citizen", kPassword});
  ASSERT_TRUE(phone.ok()) << phone.error().message;
  EXPECT_EQ(phone->name, "0912345678");
  // A name that was typed but is too short is still an error, not silently replaced.
  auto typed = svc().create_user(root(), cli_, {"b@example.vn", "", " ", "", "citizen", kPassword});
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(typed.error().field, "name");
}

TEST_P(Users, RegistrationGivesOnlyCitizenOrBusiness) {
  auto c = svc().register_user(cli_, {"dan@example.vn", "", "Nguyễn Văn Dân", "", "", kPassword});
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->roles.size(), 1u);
  EXPECT_EQ(c->roles[0].role, Role::Citizen);
  auto b = svc().register_user(cli_, {"dn@example.vn", "", "Công ty TNHH An Hòa", "", "business", kPassword});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->roles[0].role, Role::Business);
  auto sneaky = svc().register_user(cli_, {"x@example.vn", "", "Kẻ xấu", "", "system_admin", kPassword});
  ASSERT_FALSE(sneaky.ok());
  EXPECT_EQ(sneaky.error().field, "role");
  EXPECT_EQ(count("user_roles", "role = 'system_admin'"), 0);
}

TEST_P(Users, TheLastSystemAdminCannotBeRevoked) {
  auto made = svc().ensure_admin("admin@example.vn", kPassword);
  ASSERT_TRUE(made.ok() && *made);
  auto again = svc().ensure_admin("admin2@example.vn", kPassword);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  auto id = std::stoll(scalar("SELECT id FROM users WHERE email = 'admin@example.vn'"));
  auto r = svc().revoke_role(root(), cli_, id, "system_admin", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Conflict);
  EXPECT_EQ(count("user_roles", "role = 'system_admin'"), 1);
}

TEST_P(Users, RevokingARoleTheUserDoesNotHoldIsNotFoundAndNotAudited) {
  org("AH", "tinh");
  org("AH-STP", "so_nganh", "AH");
  auto u = user("a@example.vn", "editor", "AH-STP");
  auto rows = count("audit_log");
  auto r = svc().revoke_role(root(), cli_, u.id, "approver", "AH-STP");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::NotFound);
  auto wrong_scope = svc().revoke_role(root(), cli_, u.id, "editor", "AH");
  ASSERT_FALSE(wrong_scope.ok());
  EXPECT_EQ(count("audit_log"), rows) << "nothing happened, nothing recorded";
  ASSERT_TRUE(svc().revoke_role(root(), cli_, u.id, "editor", "AH-STP").ok());
  EXPECT_EQ(count("user_roles", "user_id = " + std::to_string(u.id)), 0);
  EXPECT_EQ(count("audit_log"), rows + 1);
}

TEST_P(Users, SystemAdminIsAlwaysSystemWide) {
  org("AH", "tinh");
  auto u = user("a@example.vn", "citizen");
  ASSERT_TRUE(svc().grant_role(root(), cli_, u.id, "system_admin", "AH").ok());
  auto found = svc().find_user(u.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  bool seen = false;
  for (const auto& g : (*found)->roles)
    if (g.role == Role::SystemAdmin) {
      seen = true;
      EXPECT_EQ(g.org_code, "") << "a system-wide role must not look scoped";
    }
  EXPECT_TRUE(seen);
  // …so revoking it needs no org either.
  user("b@example.vn", "system_admin");  // not the last one
  EXPECT_TRUE(svc().revoke_role(root(), cli_, u.id, "system_admin", "").ok());
  EXPECT_EQ(count("user_roles", "role = 'system_admin' AND user_id = " + std::to_string(u.id)), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Users, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

// ---- sign-in and throttling --------------------------------------------------------------------

class Login : public AccountsTest {
 protected:
  ServiceOptions options() override {
    ServiceOptions o;
    o.max_failures_per_account = 5;
    o.max_failures_per_ip = 8;
    return o;
  }
};

TEST_P(Login, WrongPasswordAndUnknownAccountGetTheSameGenericMessage) {
  user("a@example.vn", "citizen");
  auto wrong = svc().login("a@example.vn", "sai-mat-khau", "10.0.0.1", "ua");
  auto unknown = svc().login("khong-co@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::Unauthorized);
  EXPECT_EQ(core::error_status(wrong.error().code), 401);
  EXPECT_EQ(wrong.error().message, "Tài khoản hoặc mật khẩu không đúng.");
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(count("sessions"), 0);
}

TEST_P(Login, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  user("a@example.vn", "citizen");
  for (int i = 0; i < 5; ++i) {
    // Spread over IPs so only the per-account limit can trip.
    auto r = svc().login("a@example.vn", "sai-" + std::to_string(i) + "-mat-khau", "10.1.0." + std::to_string(i), "ua");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unauthorized) << i;
  }
  auto locked = svc().login("A@example.vn", kPassword, "10.2.0.1", "ua");
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.error().code, ErrorCode::TooManyRequests);
  EXPECT_EQ(core::error_status(locked.error().code), 429);
  EXPECT_NE(locked.error().message.find("thử lại sau 15 phút"), std::string::npos) << locked.error().message;
  EXPECT_EQ(count("sessions"), 0);
  // Other accounts are unaffected; after the window passes the right password works again.
  user("b@example.vn", "citizen");
  EXPECT_TRUE(svc().login("b@example.vn", kPassword, "10.2.0.1", "ua").ok());
  ASSERT_TRUE(sql("UPDATE login_failures SET at = at - 16 * 60 * 1000").ok());
  EXPECT_TRUE(svc().login("a@example.vn", kPassword, "10.2.0.1", "ua").ok());
}

TEST_P(Login, ManyFailuresFromOneAddressBlockThatAddress) {
  user("victim@example.vn", "citizen");
  for (int i = 0; i < 8; ++i)  // a spray: one try per account from one address
    ASSERT_FALSE(svc().login("u" + std::to_string(i) + "@example.vn", "doan-thu", "203.0.113.7", "ua").ok());
  auto blocked = svc().login("victim@example.vn", kPassword, "203.0.113.7", "ua");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::TooManyRequests);
  EXPECT_TRUE(svc().login("victim@example.vn", kPassword, "198.51.100.1", "ua").ok());
}

TEST_P(Login, DisabledUserCannotSignInAndLosesSessions) {
  auto u = user("a@example.vn", "citizen");
  auto l = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(svc().set_user_status(root(), cli_, u.id, false).ok());
  auto p = svc().session_principal(l->session_token);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());
  auto again = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::Unauthorized);
  ASSERT_TRUE(svc().set_user_status(root(), cli_, u.id, true).ok());
  EXPECT_TRUE(svc().login("a@example.vn", kPassword, "10.0.0.1", "ua").ok());
}

TEST_P(Login, SignInRotatesTheSessionAndStoresOnlyItsHash) {
  user("a@example.vn", "citizen");
  auto first = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(first.ok());
  auto second = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua", first->session_token);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(first->session_token, second->session_token);
  auto old = svc().session_principal(first->session_token);
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value()) << "the pre-login session must not survive";
  auto now = svc().session_principal(second->session_token);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ(count("sessions"), 1);
  EXPECT_EQ(count("sessions", "id_hash = '" + second->session_token + "'"), 0);
  EXPECT_EQ(count("sessions", "id_hash = '" + core::sha256_hex(second->session_token) + "'"), 1);
  // Logout ends it.
  ASSERT_TRUE(svc().logout(cli_, second->session_token).ok());
  EXPECT_FALSE(svc().session_principal(second->session_token)->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, Login, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

// ---- session expiry ---------------------------------------------------------------------------

class Sessions : public AccountsTest {
 protected:
  ServiceOptions options() override {
    ServiceOptions o;
    o.session_idle_min = 30;
    o.session_absolute_h = 8;
    return o;
  }
};

TEST_P(Sessions, IdleSessionsExpire) {
  user("a@example.vn", "citizen");
  auto l = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(l.ok());
  auto h = core::sha256_hex(l->session_token);
  // 29 minutes idle: still valid, and the visit refreshes last_seen.
  ASSERT_TRUE(sql("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {core::now_ms() - 29 * 60'000, h}).ok());
  ASSERT_TRUE(svc().session_principal(l->session_token)->has_value());
  EXPECT_GT(std::stoll(scalar("SELECT last_seen_at FROM sessions")), core::now_ms() - 60'000);
  // 31 minutes idle: gone, and the row is removed.
  ASSERT_TRUE(sql("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {core::now_ms() - 31 * 60'000, h}).ok());
  auto p = svc().session_principal(l->session_token);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());
  EXPECT_EQ(count("sessions"), 0);
}

TEST_P(Sessions, AbsoluteExpiryHoldsEvenForActiveSessions) {
  user("a@example.vn", "citizen");
  auto l = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->max_age_s, 8 * 3600);
  auto created = std::stoll(scalar("SELECT created_at FROM sessions"));
  EXPECT_EQ(std::stoll(scalar("SELECT expires_at FROM sessions")), created + 8 * 3600 * 1000LL);
  ASSERT_TRUE(sql("UPDATE sessions SET expires_at = ?, last_seen_at = ?", {core::now_ms() - 1, core::now_ms()}).ok());
  EXPECT_FALSE(svc().session_principal(l->session_token)->has_value());
  EXPECT_FALSE(svc().session_principal("")->has_value());
  EXPECT_FALSE(svc().session_principal(std::string(5000, 'a'))->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, Sessions, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

// ---- API tokens ---------------------------------------------------------------------------------

class Tokens : public AccountsTest {};

TEST_P(Tokens, CreateUseRevoke) {
  auto u = user("a@example.vn", "citizen");
  auto t = svc().create_token(cli_, u.id, "Đồng bộ cổng xã");
  ASSERT_TRUE(t.ok()) << t.error().message;
  const std::string raw = t->second;
  EXPECT_TRUE(raw.starts_with("pbg_"));
  EXPECT_EQ(count("api_tokens", "token_hash = '" + core::sha256_hex(raw) + "'"), 1);
  EXPECT_EQ(count("api_tokens", "token_hash = '" + raw + "'"), 0);
  auto p = svc().token_principal(raw);
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->user_id, u.id);
  EXPECT_TRUE((*p)->via_token);
  auto list = svc().tokens(u.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].last_used_at.has_value());

  // Another user cannot revoke it.
  auto other = user("b@example.vn", "citizen");
  auto foreign = svc().revoke_token(cli_, other.id, t->first.id);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::NotFound);
  ASSERT_TRUE(svc().revoke_token(cli_, u.id, t->first.id).ok());
  EXPECT_FALSE(svc().token_principal(raw)->has_value());
  EXPECT_FALSE(svc().token_principal("pbg_forged-token-value")->has_value());
  EXPECT_FALSE(svc().token_principal(raw.substr(4))->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, Tokens, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

// ---- password reset --------------------------------------------------------------------------------

struct CaptureSender : MailSender {
  std::vector<Mail> sent;
  core::Status send(const Mail& m) override {
    sent.push_back(m);
    return {};
  }
};

class Reset : public AccountsTest {
 protected:
  ServiceOptions options() override {
    ServiceOptions o;
    o.public_url = "https://pbgdpl.anhoa.gov.vn";
    return o;
  }
  /// Requests a reset and delivers the queued mail; returns the token from the link.
  std::string request_and_deliver(const std::string& email) {
    EXPECT_TRUE(svc().request_password_reset(email, "10.0.0.5").ok());
    storage::JobQueue q(db());
    auto sender = std::make_shared<CaptureSender>();
    svc().register_jobs(q, sender);
    EXPECT_EQ(q.drain(), 1);
    if (sender->sent.size() != 1) return "";
    const auto& m = sender->sent[0];
    last_mail = m;
    std::smatch mt;
    static const std::regex re(R"(https://pbgdpl\.anhoa\.gov\.vn/dat-lai-mat-khau\?token=([A-Za-z0-9_-]+))");
    EXPECT_TRUE(std::regex_search(m.body, mt, re)) << m.body;
    return mt.size() > 1 ? mt[1].str() : "";
  }
  Mail last_mail;
};

TEST_P(Reset, ResetLinkWorksOnceAndEndsSessions) {
  user("a@example.vn", "citizen");
  auto session = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_TRUE(session.ok());
  auto token = request_and_deliver("A@Example.vn");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(last_mail.to, "a@example.vn");
  EXPECT_EQ(last_mail.subject, "Đặt lại mật khẩu tài khoản PBGDPL");
  EXPECT_NE(last_mail.body.find("Xin chào"), std::string::npos);
  EXPECT_EQ(count("password_resets", "token_hash = '" + token + "'"), 0) << "only the hash is stored";

  ASSERT_TRUE(svc().reset_password(token, "Mat-khau-moi-2026", "10.0.0.5").ok());
  EXPECT_FALSE(svc().session_principal(session->session_token)->has_value());
  EXPECT_EQ(count("sessions"), 0);
  EXPECT_FALSE(svc().login("a@example.vn", kPassword, "10.0.0.1", "ua").ok());
  EXPECT_TRUE(svc().login("a@example.vn", "Mat-khau-moi-2026", "10.0.0.1", "ua").ok());

  auto twice = svc().reset_password(token, "Mat-khau-thu-ba", "10.0.0.5");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(core::error_status(twice.error().code), 422);
  EXPECT_NE(twice.error().message.find("không hợp lệ hoặc đã hết hạn"), std::string::npos);
}

TEST_P(Reset, AResetLiftsTheSignInLock) {
  user("a@example.vn", "citizen");
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(svc().login("a@example.vn", "quen-mat-khau", "10.0.0.1", "ua").ok());
  auto locked = svc().login("a@example.vn", kPassword, "10.0.0.1", "ua");
  ASSERT_FALSE(locked.ok());
  ASSERT_EQ(locked.error().code, ErrorCode::TooManyRequests);
  auto token = request_and_deliver("a@example.vn");
  ASSERT_TRUE(svc().reset_password(token, "Mat-khau-moi-2026", "10.0.0.1").ok());
  auto in = svc().login("a@example.vn", "Mat-khau-moi-2026", "10.0.0.1", "ua");
  EXPECT_TRUE(in.ok()) << "the person proved they own the mailbox: " << (in.ok() ? "" : in.error().message);
}

TEST_P(Reset, ExpiredOrUnknownTokensAre422) {
  user("a@example.vn", "citizen");
  auto token = request_and_deliver("a@example.vn");
  ASSERT_FALSE(token.empty());
  ASSERT_TRUE(sql("UPDATE password_resets SET expires_at = ?", {core::now_ms() - 1}).ok());
  auto expired = svc().reset_password(token, "Mat-khau-moi-2026", "10.0.0.5");
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(core::error_status(expired.error().code), 422);
  auto forged = svc().reset_password("khong-phai-token", "Mat-khau-moi-2026", "10.0.0.5");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(core::error_status(forged.error().code), 422);
  EXPECT_TRUE(svc().login("a@example.vn", kPassword, "10.0.0.1", "ua").ok()) << "old password still works";
}

TEST_P(Reset, UnknownAccountsLookTheSameButSendNothingAndRequestsAreThrottled) {
  ASSERT_TRUE(svc().request_password_reset("khong-co@example.vn", "10.0.0.6").ok());
  EXPECT_EQ(count("jobs"), 0);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(svc().request_password_reset("khong-co@example.vn", "10.0.0.6").ok());
  auto r = svc().request_password_reset("khong-co@example.vn", "10.0.0.6");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::TooManyRequests);
  auto bad = svc().request_password_reset("<script>", "10.0.0.7");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(core::error_status(bad.error().code), 422);
}

INSTANTIATE_TEST_SUITE_P(Backends, Reset, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

}  // namespace
}  // namespace pbgdpl::accounts::test
