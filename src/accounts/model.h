#pragma once
// Plain data of the accounts module: organizations, users, roles, tokens, audit rows.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbgdpl::accounts {

/// Organization types of the two-level local government (tỉnh → sở/ngành/đoàn thể, xã/phường).
enum class OrgType { Province, Department, MassOrg, Commune, Other };
std::string_view org_type_code(OrgType t);   ///< "tinh", "so_nganh", "doan_the", "xa_phuong", "khac"
std::string_view org_type_label(OrgType t);  ///< Vietnamese label
std::optional<OrgType> parse_org_type(std::string_view s);  ///< code or Vietnamese label

struct Org {
  int64_t id = 0;
  std::string code;
  std::string name;
  OrgType type = OrgType::Other;
  std::optional<int64_t> parent_id;
  std::string parent_code;
  std::string portal_url;
  std::string path;  ///< "/1/7/": ids from the root
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int depth() const;
};

struct OrgInput {
  std::string code;
  std::string name;
  std::string type;
  std::string parent_code;
  std::string portal_url;
};

enum class Role {
  SystemAdmin, UnitAdmin, Editor, Approver, Moderator, Consultant, LegalReporter, Propagandist, Citizen, Business
};
std::string_view role_code(Role r);   ///< "system_admin", "unit_admin", …
std::string_view role_label(Role r);  ///< Vietnamese
std::optional<Role> parse_role(std::string_view s);
const std::vector<Role>& all_roles();

/// What a role allows; checked against the organization subtree of the grant.
enum class Permission {
  ManageOrgs,     ///< create/edit organizations below the scope
  ManageUsers,    ///< create users, grant roles within the scope
  ViewAudit,      ///< read the audit log
  EditContent,    ///< write drafts for the unit
  ApproveContent, ///< approve and publish the unit's content
  Moderate,       ///< moderate comments, questions and ratings
  AnswerQuestions,
};
bool role_allows(Role r, Permission p);

struct RoleGrant {
  Role role = Role::Citizen;
  std::optional<int64_t> org_id;
  std::string org_code;
  std::string org_name;
};

struct User {
  int64_t id = 0;
  std::string email;
  std::string phone;
  std::string name;
  std::optional<int64_t> org_id;
  std::string org_name;
  std::string status = "active";  ///< active | disabled
  int64_t created_at = 0;
  std::optional<int64_t> last_login_at;
  std::vector<RoleGrant> roles;
};

struct UserInput {
  std::string email;
  std::string phone;
  std::string name;
  std::string org_code;
  std::string role;      ///< role code; scope is org_code (or the whole system)
  std::string password;
};

struct ApiToken {
  int64_t id = 0;
  std::string name;
  std::string prefix;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

struct AuditEntry {
  int64_t id = 0;
  int64_t at = 0;
  std::optional<int64_t> actor_id;
  std::string actor;  ///< name or "cli" / "system"
  std::string action; ///< e.g. "org.create"
  std::string entity; ///< e.g. "org"
  std::string entity_id;
  std::string summary;  ///< JSON {"before": …, "after": …}
  std::string ip;
  std::string request_id;
  std::string prev_hash;
  std::string hash;
};

/// Who is acting: a signed-in person, the command line or the system itself.
struct Actor {
  std::optional<int64_t> user_id;
  std::string name = "system";
  std::string ip;
  std::string request_id;
};

struct ImportReport {
  int created = 0;
  int updated = 0;
  std::vector<std::string> errors;  ///< "dòng 4: …"
};

struct AuditVerifyReport {
  int64_t rows = 0;
  bool ok = true;
  std::vector<std::string> problems;
};

}  // namespace pbgdpl::accounts
