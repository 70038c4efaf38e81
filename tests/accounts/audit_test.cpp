// The audit log: one row per write with before → after, a hash chain that audit_verify
// recomputes, and a database that refuses edits unless someone removes the guard first.
#include "accounts/service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "fixture.h"

namespace pbgdpl::accounts::test {
namespace {

using nlohmann::json;

class Audit : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    if (HasFatalFailure()) return;
    org("AH", "tinh", "", "Tỉnh An Hòa");
    org("AH-STP", "so_nganh", "AH", "Sở Tư pháp");
    user("a@example.vn", "editor", "AH-STP");
    ASSERT_TRUE(svc().update_org(root(), cli_, "AH-STP", {"AH-STP", "Sở Tư pháp tỉnh", "so_nganh", "AH", ""}).ok());
    ASSERT_EQ(count("audit_log"), 4);
  }
  /// Removes the append-only guard the way an attacker with database access would.
  void drop_guard() {
    if (sqlite()) {
      ASSERT_TRUE(sql("DROP TRIGGER audit_log_no_update").ok());
      ASSERT_TRUE(sql("DROP TRIGGER audit_log_no_delete").ok());
    } else {
      ASSERT_TRUE(sql("DROP TRIGGER audit_log_no_change ON audit_log").ok());
    }
  }
  AuditVerifyReport verify() {
    auto r = svc().audit_verify();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : AuditVerifyReport{};
  }
  static std::string joined(const AuditVerifyReport& r) {
    std::string s;
    for (const auto& p : r.problems) s += p + "\n";
    return s;
  }
};

TEST_P(Audit, EveryWriteAppendsOneRowWithBeforeAndAfter) {
  auto page = svc().audit_page(root(), 0, 50);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 4u);
  // Newest first.
  const auto& upd = (*page)[0];
  EXPECT_EQ(upd.action, "org.update");
  EXPECT_EQ(upd.entity, "org");
  EXPECT_EQ(upd.entity_id, "AH-STP");
  EXPECT_EQ(upd.actor, "cli");
  auto s = json::parse(upd.summary);
  EXPECT_EQ(s["before"]["name"], "Sở Tư pháp");
  EXPECT_EQ(s["after"]["name"], "Sở Tư pháp tỉnh");
  const auto& create = (*page)[3];
  EXPECT_EQ(create.action, "org.create");
  auto c = json::parse(create.summary);
  EXPECT_TRUE(c["before"].is_null());
  EXPECT_EQ(c["after"]["code"], "AH");
  EXPECT_EQ(create.prev_hash, std::string(64, '0'));
  EXPECT_EQ((*page)[2].prev_hash, create.hash);
  // User rows never carry the password.
  EXPECT_EQ((*page)[1].action, "user.create");
  EXPECT_EQ((*page)[1].summary.find(kPassword), std::string::npos);
  EXPECT_EQ((*page)[1].summary.find("argon2"), std::string::npos);

  // A refused write leaves no row.
  EXPECT_FALSE(svc().create_org(root(), cli_, {"AH", "Trùng", "tinh", "", ""}).ok());
  EXPECT_EQ(count("audit_log"), 4);

  auto rep = verify();
  EXPECT_TRUE(rep.ok) << joined(rep);
  EXPECT_EQ(rep.rows, 4);
}

TEST_P(Audit, OnlySystemAdminsReadTheLog) {
  auto editor = principal("a@example.vn");
  auto r = svc().audit_page(editor, 0, 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::Forbidden);
}

TEST_P(Audit, TheDatabaseRefusesEditsAndDeletions) {
  auto upd = sql("UPDATE audit_log SET summary = '{}' WHERE id = 2");
  EXPECT_FALSE(upd.ok());
  auto del = sql("DELETE FROM audit_log WHERE id = 4");
  EXPECT_FALSE(del.ok());
  EXPECT_EQ(count("audit_log"), 4);
  EXPECT_NE(scalar("SELECT summary FROM audit_log WHERE id = 2"), "{}");
  EXPECT_TRUE(verify().ok);
}

TEST_P(Audit, AnEditedRowIsDetected) {
  drop_guard();
  ASSERT_TRUE(sql("UPDATE audit_log SET summary = '{\"before\":null,\"after\":{\"name\":\"khác\"}}' WHERE id = 2").ok());
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_NE(joined(rep).find("dòng 2: nội dung đã bị sửa"), std::string::npos) << joined(rep);
}

TEST_P(Audit, AnEditedActorIsDetectedToo) {
  drop_guard();
  ASSERT_TRUE(sql("UPDATE audit_log SET actor = 'người khác', ip = '1.2.3.4' WHERE id = 3").ok());
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_NE(joined(rep).find("dòng 3"), std::string::npos) << joined(rep);
}

TEST_P(Audit, ADeletedMiddleRowIsDetected) {
  drop_guard();
  ASSERT_TRUE(sql("DELETE FROM audit_log WHERE id = 2").ok());
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.rows, 3);
  EXPECT_NE(joined(rep).find("thiếu dòng 2"), std::string::npos) << joined(rep);
}

TEST_P(Audit, ADeletedLastRowIsDetected) {
  drop_guard();
  ASSERT_TRUE(sql("DELETE FROM audit_log WHERE id = 4").ok());
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_NE(joined(rep).find("các dòng cuối đã bị xóa"), std::string::npos) << joined(rep);
}

TEST_P(Audit, ConcurrentWritersKeepOneUnbrokenChain) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto code = "AH-P" + std::to_string(t) + "-" + std::to_string(i);
        auto r = svc().create_org(root(), cli_, {code, "Phòng " + code, "khac", "AH-STP", ""});
        if (!r.ok()) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto rep = verify();
  EXPECT_TRUE(rep.ok) << joined(rep);
  EXPECT_EQ(rep.rows, 24);
}

TEST_P(Audit, VerifyingWhileOthersWriteIsNoFalseAlarm) {
  // `pbgdpl audit verify` runs on a live system: rows appended while it reads must not look
  // like a deleted tail (the chain and the recorded head have to come from one snapshot).
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop && i < 2000; ++i) {
      auto code = "AH-W" + std::to_string(i);
      if (svc().create_org(root(), cli_, {code, "Phòng " + code, "khac", "AH-STP", ""}).ok()) ++written;
    }
  });
  std::string problems;
  for (int round = 0; round < 100 && problems.empty(); ++round) {
    auto rep = verify();
    if (!rep.ok) problems = joined(rep);
  }
  stop = true;
  writer.join();
  EXPECT_GT(written.load(), 0);
  EXPECT_EQ(problems, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, Audit, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

}  // namespace
}  // namespace pbgdpl::accounts::test
