// Organization tree rules, subtree permissions and the all-or-nothing CSV import.
#include "accounts/service.h"

#include <gtest/gtest.h>

#include "fixture.h"

namespace pbgdpl::accounts::test {
namespace {

using core::ErrorCode;

class OrgTree : public AccountsTest {};

TEST_P(OrgTree, RootMustBeAProvince) {
  auto dept = svc().create_org(root(), cli_, {"STP", "Sở Tư pháp", "so_nganh", "", ""});
  ASSERT_FALSE(dept.ok());
  EXPECT_EQ(dept.error().code, ErrorCode::Validation);
  EXPECT_EQ(dept.error().field, "parent_code");
  EXPECT_NE(dept.error().message.find("cấp trên"), std::string::npos) << dept.error().message;

  auto tinh = svc().create_org(root(), cli_, {"AH", "Tỉnh An Hòa", "tinh", "", "https://anhoa.gov.vn"});
  ASSERT_TRUE(tinh.ok()) << tinh.error().message;
  EXPECT_EQ(tinh->path, "/" + std::to_string(tinh->id) + "/");
  EXPECT_EQ(tinh->depth(), 0);

  // A province under a province is refused too.
  auto nested = svc().create_org(root(), cli_, {"AH2", "Tỉnh khác", "tinh", "AH", ""});
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code, ErrorCode::Validation);
  EXPECT_EQ(count("orgs"), 1);
}

TEST_P(OrgTree, CommuneCannotHaveChildren) {
  org("AH", "tinh");
  org("AH-X1", "xa_phuong", "AH");
  auto child = svc().create_org(root(), cli_, {"AH-X2", "Xã con", "xa_phuong", "AH-X1", ""});
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error().code, ErrorCode::Validation);
  EXPECT_NE(child.error().message.find("Xã/phường không có đơn vị trực thuộc"), std::string::npos)
      << child.error().message;
  auto found = svc().find_org("AH-X2");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_P(OrgTree, DuplicateCodeIsAConflictInVietnamese) {
  org("AH", "tinh");
  org("AH-STP", "so_nganh", "AH", "Sở Tư pháp");
  auto dup = svc().create_org(root(), cli_, {"AH-STP", "Sở khác", "so_nganh", "AH", ""});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::Conflict);
  EXPECT_EQ(dup.error().message, "Mã đơn vị 'AH-STP' đã tồn tại.");
  EXPECT_EQ(scalar("SELECT name FROM orgs WHERE code = 'AH-STP'"), "Sở Tư pháp");
}

TEST_P(OrgTree, BadFieldsAreRefusedWithTheFieldNamed) {
  org("AH", "tinh");
  struct Case {
    OrgInput in;
    std::string field;
  } cases[] = {
      {{"a", "Tên", "so_nganh", "AH", ""}, "code"},
      {{"<script>", "Tên", "so_nganh", "AH", ""}, "code"},
      {{"OK1", "x", "so_nganh", "AH", ""}, "name"},
      {{"OK2", "Tên đơn vị", "bo", "AH", ""}, "type"},
      {{"OK3", "Tên đơn vị", "so_nganh", "KHONG-CO", ""}, "parent_code"},
      {{"OK4", "Tên đơn vị", "so_nganh", "AH", "javascript:alert(1)"}, "portal_url"},
      {{"OK5", "Tên đơn vị", "so_nganh", "AH", "https://x.vn/\"><script>"}, "portal_url"},
      {{"OK6", "Tên\x01 lạ", "so_nganh", "AH", ""}, "name"},
  };
  for (const auto& c : cases) {
    auto r = svc().create_org(root(), cli_, c.in);
    ASSERT_FALSE(r.ok()) << c.in.code;
    EXPECT_EQ(r.error().field, c.field) << c.in.code << ": " << r.error().message;
    EXPECT_LT(core::error_status(r.error().code), 500);
  }
  EXPECT_EQ(count("orgs"), 1);
}

TEST_P(OrgTree, MovingAnOrgMovesItsWholeSubtree) {
  auto ah = org("AH", "tinh");
  auto bd = org("BD", "tinh");
  auto dept = org("AH-SGD", "so_nganh", "AH");
  auto comm = org("AH-X1", "xa_phuong", "AH-SGD");
  EXPECT_EQ(comm.path, "/" + std::to_string(ah.id) + "/" + std::to_string(dept.id) + "/" + std::to_string(comm.id) + "/");

  auto moved = svc().update_org(root(), cli_, "AH-SGD", {"AH-SGD", "Sở Giáo dục", "so_nganh", "BD", ""});
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->path, "/" + std::to_string(bd.id) + "/" + std::to_string(dept.id) + "/");
  EXPECT_EQ(moved->parent_code, "BD");
  auto c = svc().find_org("AH-X1");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->path, moved->path + std::to_string(comm.id) + "/");
  EXPECT_EQ((*c)->depth(), 2);
  // The province left behind keeps its own path.
  EXPECT_EQ(svc().find_org("AH").value()->path, ah.path);

  // A unit admin of the new province now manages the moved commune; one of the old does not.
  user("qt.bd@example.vn", "unit_admin", "BD");
  user("qt.ah@example.vn", "unit_admin", "AH");
  auto bd_admin = principal("qt.bd@example.vn");
  auto ah_admin = principal("qt.ah@example.vn");
  EXPECT_TRUE(Service::can(bd_admin, Permission::ManageOrgs, (*c)->path));
  EXPECT_FALSE(Service::can(ah_admin, Permission::ManageOrgs, (*c)->path));
}

TEST_P(OrgTree, AnOrgCannotMoveUnderItsOwnDescendant) {
  org("AH", "tinh");
  org("AH-SGD", "so_nganh", "AH");
  org("AH-PHONG", "khac", "AH-SGD");
  auto r = svc().update_org(root(), cli_, "AH-SGD", {"AH-SGD", "Sở Giáo dục", "so_nganh", "AH-PHONG", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "parent_code");
  auto self = svc().update_org(root(), cli_, "AH-SGD", {"AH-SGD", "Sở Giáo dục", "so_nganh", "AH-SGD", ""});
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().field, "parent_code");
}

TEST_P(OrgTree, AnOrgWithUnitsBelowCannotBecomeACommune) {
  org("AH", "tinh");
  org("AH-SGD", "so_nganh", "AH");
  org("AH-P1", "khac", "AH-SGD");
  auto r = svc().update_org(root(), cli_, "AH-SGD", {"AH-SGD", "Sở Giáo dục", "xa_phuong", "AH", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(r.error().field, "type");
  EXPECT_EQ(svc().find_org("AH-SGD").value()->type, OrgType::Department);
  auto csv = svc().import_orgs_csv(root(), cli_, "code,name,type,parent_code\nAH-SGD,Sở Giáo dục,xa_phuong,AH\n");
  ASSERT_FALSE(csv.ok());
  EXPECT_NE(csv.error().message.find("dòng 2"), std::string::npos) << csv.error().message;
  // A leaf may become one.
  auto leaf = svc().update_org(root(), cli_, "AH-P1", {"AH-P1", "Phường Một", "xa_phuong", "AH-SGD", ""});
  EXPECT_TRUE(leaf.ok()) << leaf.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, OrgTree, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

// ---- permissions scoped to a subtree ---------------------------------------------------------

class Subtree : public AccountsTest {
 protected:
  void SetUp() override {
    AccountsTest::SetUp();
    org("AH", "tinh");
    org("AH-STP", "so_nganh", "AH", "Sở Tư pháp");
    org("AH-SYT", "so_nganh", "AH", "Sở Y tế");
    user("qt.stp@example.vn", "unit_admin", "AH-STP");
    user("bt.stp@example.vn", "editor", "AH-STP");
  }
};

TEST_P(Subtree, UnitAdminManagesOnlyItsOwnSubtree) {
  auto admin = principal("qt.stp@example.vn");
  Actor a{admin.user_id, admin.name, "10.0.0.1", "r1"};

  auto mine = svc().create_org(admin, a, {"AH-STP-PBGDPL", "Phòng PBGDPL", "khac", "AH-STP", ""});
  EXPECT_TRUE(mine.ok()) << mine.error().message;
  auto sibling = svc().create_org(admin, a, {"AH-SYT-P1", "Phòng thuộc Sở Y tế", "khac", "AH-SYT", ""});
  ASSERT_FALSE(sibling.ok());
  EXPECT_EQ(sibling.error().code, ErrorCode::Forbidden);
  auto top = svc().create_org(admin, a, {"AH-SNV", "Sở Nội vụ", "so_nganh", "AH", ""});
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().code, ErrorCode::Forbidden);

  UserInput staff{"cb.stp@example.vn", "", "Cán bộ Sở Tư pháp", "AH-STP-PBGDPL", "editor", kPassword};
  auto u = svc().create_user(admin, a, staff);
  EXPECT_TRUE(u.ok()) << u.error().message;
  UserInput other{"cb.syt@example.vn", "", "Cán bộ Sở Y tế", "AH-SYT", "editor", kPassword};
  auto v = svc().create_user(admin, a, other);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::Forbidden);
  UserInput boss{"boss@example.vn", "", "Người quản trị", "AH-STP", "system_admin", kPassword};
  auto w = svc().create_user(admin, a, boss);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().code, ErrorCode::Forbidden);
  EXPECT_EQ(count("users", "email IN ('cb.syt@example.vn', 'boss@example.vn')"), 0);

  // The list of users is limited to the subtree too.
  auto list = svc().list_users(admin, 0, 100);
  ASSERT_TRUE(list.ok());
  for (const auto& x : *list) EXPECT_NE(x.email, "cb.syt@example.vn");
  EXPECT_EQ(list->size(), 3u);  // qt.stp, bt.stp, cb.stp
}

TEST_P(Subtree, UnitAdminCannotLiftItsOrgOutOfThePermittedTree) {
  auto admin = principal("qt.stp@example.vn");
  Actor a{admin.user_id, admin.name, "10.0.0.1", "r1"};
  // Renaming its own unit is fine…
  auto rename = svc().update_org(admin, a, "AH-STP", {"AH-STP", "Sở Tư pháp tỉnh An Hòa", "so_nganh", "AH", ""});
  EXPECT_TRUE(rename.ok()) << rename.error().message;
  // …turning it into a province of its own (a new root) needs system-wide rights.
  auto root_move = svc().update_org(admin, a, "AH-STP", {"AH-STP", "Tỉnh riêng", "tinh", "", ""});
  ASSERT_FALSE(root_move.ok());
  EXPECT_EQ(root_move.error().code, ErrorCode::Forbidden);
  auto still = svc().find_org("AH-STP");
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->parent_code, "AH");
  // …and so does moving it under a sibling it does not manage.
  auto sideways = svc().update_org(admin, a, "AH-STP", {"AH-STP", "Sở Tư pháp", "so_nganh", "AH-SYT", ""});
  ASSERT_FALSE(sideways.ok());
  EXPECT_EQ(sideways.error().code, ErrorCode::Forbidden);
}

TEST_P(Subtree, UnitAdminCannotDisableSomeoneWithWiderRights) {
  // A system administrator who happens to belong to the Sở.
  auto boss = svc().create_user(root(), cli_, {"qt.tinh@example.vn", "", "Quản trị tỉnh", "AH-STP", "system_admin", kPassword});
  ASSERT_TRUE(boss.ok()) << boss.error().message;
  // A unit admin of the Sở Y tế who is a member of the Sở Tư pháp.
  auto other = user("qt.syt@example.vn", "unit_admin", "AH-SYT");
  ASSERT_TRUE(sql("UPDATE users SET org_id = (SELECT id FROM orgs WHERE code = 'AH-STP') WHERE id = ?", {other.id}).ok());
  auto admin = principal("qt.stp@example.vn");
  Actor a{admin.user_id, admin.name, "10.0.0.1", ""};
  for (int64_t id : {boss->id, other.id}) {
    auto r = svc().set_user_status(admin, a, id, false);
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.error().code, ErrorCode::Forbidden);
  }
  EXPECT_EQ(count("users", "status = 'disabled'"), 0);
  EXPECT_TRUE(svc().login("qt.tinh@example.vn", kPassword, "10.0.0.3", "ua").ok());
  // Its own staff it can lock out.
  auto editor_id = std::stoll(scalar("SELECT id FROM users WHERE email = 'bt.stp@example.vn'"));
  EXPECT_TRUE(svc().set_user_status(admin, a, editor_id, false).ok());
  EXPECT_EQ(count("users", "status = 'disabled'"), 1);
}

TEST_P(Subtree, EditorCannotManageUsersOrOrgs) {
  auto editor = principal("bt.stp@example.vn");
  Actor a{editor.user_id, editor.name, "10.0.0.2", "r2"};
  EXPECT_TRUE(Service::can(editor, Permission::EditContent, svc().find_org("AH-STP").value()->path));
  EXPECT_FALSE(Service::can_somewhere(editor, Permission::ManageUsers));
  auto u = svc().create_user(editor, a, {"x@example.vn", "", "Người mới", "AH-STP", "editor", kPassword});
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, ErrorCode::Forbidden);
  auto o = svc().create_org(editor, a, {"AH-STP-P2", "Phòng 2", "khac", "AH-STP", ""});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, ErrorCode::Forbidden);
  auto l = svc().list_users(editor, 0, 10);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.error().code, ErrorCode::Forbidden);
  auto g = svc().grant_role(editor, a, editor.user_id, "unit_admin", "AH-STP");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, ErrorCode::Forbidden);
}

INSTANTIATE_TEST_SUITE_P(Backends, Subtree, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

// ---- CSV import ------------------------------------------------------------------------------

class CsvImport : public AccountsTest {};

TEST_P(CsvImport, QuotedFieldsBomAndParentsDeclaredLater) {
  std::string csv =
      "\xEF\xBB\xBF"
      "code,name,type,parent_code,portal_url\r\n"
      "AH-X1,\"Xã Tân Lập, huyện cũ\",xa_phuong,AH-STP,\r\n"  // parent two lines later
      "AH-STP,\"Sở Tư pháp \"\"tỉnh\"\"\",so_nganh,AH,https://stp.anhoa.gov.vn\r\n"
      "AH,Tỉnh An Hòa,tinh,,\r\n"
      "\r\n";
  auto rep = svc().import_orgs_csv(root(), cli_, csv);
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_EQ(rep->created, 3);
  EXPECT_EQ(rep->updated, 0);
  auto x1 = svc().find_org("AH-X1");
  ASSERT_TRUE(x1.ok() && x1->has_value());
  EXPECT_EQ((*x1)->name, "Xã Tân Lập, huyện cũ");
  EXPECT_EQ((*x1)->parent_code, "AH-STP");
  EXPECT_EQ((*x1)->depth(), 2);
  auto stp = svc().find_org("AH-STP").value();
  EXPECT_EQ(stp->name, "Sở Tư pháp \"tỉnh\"");
  EXPECT_EQ(stp->portal_url, "https://stp.anhoa.gov.vn");
  EXPECT_EQ(count("audit_log", "action = 'org.create'"), 3);
}

TEST_P(CsvImport, ReimportIsIdempotentAndUpdatesNames) {
  std::string csv =
      "code,name,type,parent_code,portal_url\n"
      "AH,Tỉnh An Hòa,tinh,,\n"
      "AH-STP,Sở Tư pháp,so_nganh,AH,\n";
  ASSERT_TRUE(svc().import_orgs_csv(root(), cli_, csv).ok());
  auto audit_rows = count("audit_log");
  auto again = svc().import_orgs_csv(root(), cli_, csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(count("orgs"), 2);
  EXPECT_EQ(count("audit_log"), audit_rows) << "an unchanged re-import writes nothing";

  std::string renamed =
      "code,name,type,parent_code,portal_url\n"
      "AH,Tỉnh An Hòa,tinh,,\n"
      "AH-STP,Sở Tư pháp tỉnh An Hòa,so_nganh,AH,https://stp.anhoa.gov.vn\n";
  auto upd = svc().import_orgs_csv(root(), cli_, renamed);
  ASSERT_TRUE(upd.ok()) << upd.error().message;
  EXPECT_EQ(upd->created, 0);
  EXPECT_EQ(upd->updated, 1);
  EXPECT_EQ(svc().find_org("AH-STP").value()->name, "Sở Tư pháp tỉnh An Hòa");
  EXPECT_EQ(count("orgs"), 2);
  EXPECT_EQ(count("audit_log", "action = 'org.update'"), 1);
}

TEST_P(CsvImport, OneBadLineImportsNothingAndEveryBadLineIsReported) {
  std::string csv =
      "code,name,type,parent_code,portal_url\n"
      "AH,Tỉnh An Hòa,tinh,,\n"                 // 2 ok
      "AH-STP,Sở Tư pháp,bo_nganh,AH,\n"        // 3 bad type
      "AH-X1,Xã Một,xa_phuong,AH,\n"            // 4 ok
      "AH-X2,Xã Hai,xa_phuong,AH-X1,\n"         // 5 commune under commune
      "AH-SYT,Sở Y tế,so_nganh,KHONG-CO,\n"     // 6 unknown parent
      "AH-X1,Xã Một lặp,xa_phuong,AH,\n"        // 7 duplicate code in the file
      "AH-SNV,Sở Nội vụ\n";                     // 8 too few columns
  auto rep = svc().import_orgs_csv(root(), cli_, csv);
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.error().code, ErrorCode::Validation);
  const auto& msg = rep.error().message;
  for (const char* line : {"dòng 3:", "dòng 5:", "dòng 6:", "dòng 7:", "dòng 8:"})
    EXPECT_NE(msg.find(line), std::string::npos) << line << " missing in: " << msg;
  for (const char* line : {"dòng 2:", "dòng 4:"}) EXPECT_EQ(msg.find(line), std::string::npos) << msg;
  EXPECT_NE(msg.find("5 dòng lỗi"), std::string::npos) << msg;
  // Reported in file order.
  EXPECT_LT(msg.find("dòng 3:"), msg.find("dòng 8:"));
  EXPECT_EQ(count("orgs"), 0);
  EXPECT_EQ(count("audit_log"), 0);
}

TEST_P(CsvImport, MalformedFilesAreRefusedClearly) {
  auto bad_header = svc().import_orgs_csv(root(), cli_, "ma,ten,loai\nAH,Tỉnh,tinh\n");
  ASSERT_FALSE(bad_header.ok());
  EXPECT_NE(bad_header.error().message.find("Dòng tiêu đề"), std::string::npos);
  auto open_quote = svc().import_orgs_csv(root(), cli_, "code,name,type,parent_code\nAH,\"Tỉnh,tinh,,\n");
  ASSERT_FALSE(open_quote.ok());
  EXPECT_NE(open_quote.error().message.find("dòng 2"), std::string::npos) << open_quote.error().message;
  auto latin1 = svc().import_orgs_csv(root(), cli_, "code,name,type,parent_code\nAH,T\xe9nh,tinh,\n");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.error().code, ErrorCode::InvalidUtf8);
  auto empty = svc().import_orgs_csv(root(), cli_, "");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(count("orgs"), 0);
}

TEST_P(CsvImport, UnitAdminImportsOnlyUnderItsSubtree) {
  org("AH", "tinh");
  org("AH-STP", "so_nganh", "AH");
  org("AH-SYT", "so_nganh", "AH");
  user("qt.stp@example.vn", "unit_admin", "AH-STP");
  auto admin = principal("qt.stp@example.vn");
  Actor a{admin.user_id, admin.name, "10.0.0.1", ""};
  auto ok = svc().import_orgs_csv(admin, a, "code,name,type,parent_code\nAH-STP-P1,Phòng 1,khac,AH-STP\n");
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  auto bad = svc().import_orgs_csv(admin, a,
                                   "code,name,type,parent_code\nAH-STP-P2,Phòng 2,khac,AH-STP\nAH-SYT-P1,Phòng,khac,AH-SYT\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("dòng 3"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(svc().find_org("AH-STP-P2")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, CsvImport, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

}  // namespace
}  // namespace pbgdpl::accounts::test
