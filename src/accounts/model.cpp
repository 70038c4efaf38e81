#include "accounts/model.h"

#include <algorithm>

namespace pbgdpl::accounts {

std::string_view org_type_code(OrgType t) {
  switch (t) {
    case OrgType::Province: return "tinh";
    case OrgType::Department: return "so_nganh";
    case OrgType::MassOrg: return "doan_the";
    case OrgType::Commune: return "xa_phuong";
    case OrgType::Other: return "khac";
  }
  return "khac";
}

std::string_view org_type_label(OrgType t) {
  switch (t) {
    case OrgType::Province: return "Tỉnh/thành phố";
    case OrgType::Department: return "Sở, ban, ngành";
    case OrgType::MassOrg: return "Đoàn thể";
    case OrgType::Commune: return "Xã/phường/đặc khu";
    case OrgType::Other: return "Đơn vị khác";
  }
  return "Đơn vị khác";
}

std::optional<OrgType> parse_org_type(std::string_view s) {
  for (auto t : {OrgType::Province, OrgType::Department, OrgType::MassOrg, OrgType::Commune, OrgType::Other})
    if (s == org_type_code(t) || s == org_type_label(t)) return t;
  return std::nullopt;
}

int Org::depth() const { return static_cast<int>(std::count(path.begin(), path.end(), '/')) - 2; }

namespace {
struct RoleInfo {
  Role role;
  std::string_view code, label;
};
constexpr RoleInfo kRoles[] = {
    {Role::SystemAdmin, "system_admin", "Quản trị hệ thống"},
    {Role::UnitAdmin, "unit_admin", "Quản trị đơn vị"},
    {Role::Editor, "editor", "Biên tập viên"},
    {Role::Approver, "approver", "Người duyệt bài"},
    {Role::Moderator, "moderator", "Kiểm duyệt viên"},
    {Role::Consultant, "consultant", "Tư vấn viên"},
    {Role::LegalReporter, "legal_reporter", "Báo cáo viên pháp luật"},
    {Role::Propagandist, "propagandist", "Tuyên truyền viên pháp luật"},
    {Role::Citizen, "citizen", "Người dân"},
    {Role::Business, "business", "Doanh nghiệp"},
};
}  // namespace

std::string_view role_code(Role r) {
  for (const auto& i : kRoles)
    if (i.role == r) return i.code;
  return "citizen";
}

std::string_view role_label(Role r) {
  for (const auto& i : kRoles)
    if (i.role == r) return i.label;
  return "";
}

std::optional<Role> parse_role(std::string_view s) {
  for (const auto& i : kRoles)
    if (i.code == s) return i.role;
  return std::nullopt;
}

const std::vector<Role>& all_roles() {
  static const std::vector<Role> v = [] {
    std::vector<Role> out;
    for (const auto& i : kRoles) out.push_back(i.role);
    return out;
  }();
  return v;
}

bool role_allows(Role r, Permission p) {
  switch (r) {
    case Role::SystemAdmin: return true;
    case Role::UnitAdmin:
      return p == Permission::ManageOrgs || p == Permission::ManageUsers || p == Permission::ViewAudit ||
             p == Permission::EditContent || p == Permission::ApproveContent || p == Permission::Moderate;
    case Role::Editor: return p == Permission::EditContent;
    case Role::Approver: return p == Permission::EditContent || p == Permission::ApproveContent;
    case Role::Moderator: return p == Permission::Moderate;
    case Role::Consultant: return p == Permission::AnswerQuestions;
    case Role::LegalReporter:
    case Role::Propagandist: return p == Permission::EditContent;
    case Role::Citizen:
    case Role::Business: return false;
  }
  return false;
}

}  // namespace pbgdpl::accounts
