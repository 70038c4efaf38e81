#pragma once
// Shared fixture of the accounts suites: a migrated database on one backend (SQLite or
// PostgreSQL, from testing::backends()) and an accounts::Service on it, plus small helpers
// to build an organization tree and sign people in. Each test gets its own database.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "accounts/service.h"
#include "core/time.h"
#include "support.h"

namespace pbgdpl::accounts::test {

inline constexpr const char* kPassword = "Mat-khau-2025";

class AccountsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<pbgdpl::testing::TestDb>(GetParam());
    db_ = pbgdpl::testing::open_migrated(*tdb_);
    svc_ = std::make_unique<Service>(*db_, options());
    ASSERT_TRUE(svc_->init().ok());
    cli_.name = "cli";
  }
  /// Suites override to use tiny limits (throttles, expiry).
  virtual ServiceOptions options() { return {}; }

  Service& svc() { return *svc_; }
  storage::Database& db() { return *db_; }
  const http::Principal& root() const { return root_; }

  /// Creates an organization as the system; fails the test when refused.
  Org org(const std::string& code, const std::string& type, const std::string& parent = "",
          const std::string& name = "") {
    auto o = svc_->create_org(root_, cli_, {code, name.empty() ? "Đơn vị " + code : name, type, parent, ""});
    EXPECT_TRUE(o.ok()) << code << ": " << (o.ok() ? "" : o.error().message);
    return o.ok() ? *o : Org{};
  }
  /// Creates a user with a role scoped to org_code (may be empty).
  User user(const std::string& email, const std::string& role, const std::string& org_code = "",
            const std::string& password = kPassword) {
    auto u = svc_->create_user(root_, cli_, {email, "", "Cán bộ " + email.substr(0, email.find('@')), org_code, role,
                                             password});
    EXPECT_TRUE(u.ok()) << email << ": " << (u.ok() ? "" : u.error().message);
    return u.ok() ? *u : User{};
  }
  /// Signs in through the service and returns the principal the session cookie carries.
  http::Principal principal(const std::string& login, const std::string& password = kPassword) {
    auto l = svc_->login(login, password, "10.0.0.1", "test");
    EXPECT_TRUE(l.ok()) << login << ": " << (l.ok() ? "" : l.error().message);
    if (!l.ok()) return {};
    auto p = svc_->session_principal(l->session_token);
    EXPECT_TRUE(p.ok() && p->has_value());
    return p.ok() && p->has_value() ? **p : http::Principal{};
  }
  /// Runs one SQL statement outside the service (to age rows or tamper with them).
  core::Result<int64_t> sql(const std::string& stmt, const storage::Params& params = {}) {
    return db_->write([&](storage::Conn& c) { return c.exec(stmt, params); });
  }
  int64_t count(const std::string& table, const std::string& where = "") {
    auto r = db_->read([&](storage::Conn& c) {
      return c.one("SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where));
    });
    EXPECT_TRUE(r.ok());
    return r.ok() && r->has_value() ? (*r)->i64(0) : -1;
  }
  std::string scalar(const std::string& q, const storage::Params& params = {}) {
    auto r = db_->read([&](storage::Conn& c) { return c.one(q, params); });
    EXPECT_TRUE(r.ok()) << q;
    return r.ok() && r->has_value() ? (*r)->str(0) : "";
  }
  bool sqlite() const { return GetParam() == "sqlite"; }

  Actor cli_;
  http::Principal root_ = Service::system_principal();

 private:
  std::unique_ptr<pbgdpl::testing::TestDb> tdb_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Service> svc_;
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& i) { return i.param; }

}  // namespace pbgdpl::accounts::test
