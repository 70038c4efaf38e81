#pragma once
// Shared by the portal integration tests: a whole App on a temporary data dir (both
// backends), the sample organizations, and people with the newsroom roles.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/assets.h"
#include "portal/service.h"
#include "support.h"

namespace pbgdpl::portal::testdata {

constexpr const char* kPassword = "Mat-khau-2025!";

class PortalTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<pbgdpl::testing::TestServer>(GetParam());
    accounts::Actor a;
    auto orgs = app().accounts->import_orgs_csv(accounts::Service::system_principal(), a,
                                                *core::find_asset("app/sample/orgs.csv"));
    ASSERT_TRUE(orgs.ok()) << orgs.error().message;
  }
  app::App& app() { return server_->app(); }
  Service& svc() { return *app().portal; }
  uint16_t port() const { return server_->port(); }

  /// Creates a user with one role over an organization and returns their principal.
  http::Principal person(const std::string& email, const std::string& role, const std::string& org) {
    accounts::UserInput u;
    u.email = email;
    u.name = "Cán bộ " + email.substr(0, email.find('@'));
    u.org_code = org;
    u.role = role;
    u.password = kPassword;
    accounts::Actor a;
    auto made = app().accounts->create_user(accounts::Service::system_principal(), a, u);
    EXPECT_TRUE(made.ok()) << made.error().message;
    auto login = app().accounts->login(email, kPassword, "127.0.0.1", "test");
    EXPECT_TRUE(login.ok()) << (login.ok() ? "" : login.error().message);
    auto p = app().accounts->session_principal(login->session_token);
    EXPECT_TRUE(p.ok() && p->has_value());
    return **p;
  }
  static accounts::Actor actor(const http::Principal& p) {
    accounts::Actor a;
    a.user_id = p.user_id;
    a.name = p.name;
    return a;
  }
  static ItemInput news(const std::string& title, const std::string& org = "AH-XTANLAP") {
    ItemInput in;
    in.kind = "tin_bai";
    in.title = title;
    in.summary = "Tóm tắt của " + title;
    in.body = "Nội dung **" + title + "** viết cho người dân.";
    in.category = "tin-hoat-dong";
    in.audiences = {"nguoi_dan"};
    in.org_code = org;
    return in;
  }
  int64_t count_rows(const std::string& sql) {
    return app().db->read([&](storage::Conn& c) -> core::Result<int64_t> {
      auto r = c.one(sql);
      if (!r) return r.take_error();
      return (*r)->i64(0);
    }).value();
  }
  Item item(int64_t id) {
    auto r = svc().get(id);
    EXPECT_TRUE(r.ok() && r->has_value()) << id;
    return r.ok() && r->has_value() ? **r : Item{};
  }
  int64_t count_items() { return count_rows("SELECT COUNT(*) FROM portal_items"); }
  std::unique_ptr<pbgdpl::testing::TestServer> server_;
};

}  // namespace pbgdpl::portal::testdata
