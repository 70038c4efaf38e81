#pragma once
// SQL of the accounts module. Every function runs on a connection the service borrowed,
// inside the service's transaction.
#include <optional>
#include <string>
#include <vector>

#include "accounts/model.h"
#include "storage/db.h"

namespace pbgdpl::accounts::store {

using core::Result;
using core::Status;
using storage::Conn;

// organizations
Result<std::optional<Org>> org_by_code(Conn& c, const std::string& code);
Result<std::optional<Org>> org_by_id(Conn& c, int64_t id);
Result<std::vector<Org>> orgs_list(Conn& c, int64_t after_id, int limit);
Result<std::vector<Org>> orgs_all(Conn& c);
Result<int64_t> org_count(Conn& c);
Result<Org> org_insert(Conn& c, const Org& o);
Status org_update(Conn& c, const Org& o);

// users and roles
Result<std::optional<User>> user_by_id(Conn& c, int64_t id);
Result<std::optional<User>> user_by_login(Conn& c, const std::string& email_or_phone);
Result<std::string> user_password_hash(Conn& c, int64_t id);
Result<std::vector<User>> users_list(Conn& c, int64_t after_id, int limit, const std::string& org_path);
Result<int64_t> user_insert(Conn& c, const User& u, const std::string& password_hash);
Status user_set_password(Conn& c, int64_t id, const std::string& hash);
Status user_set_status(Conn& c, int64_t id, const std::string& status);
Status user_touch_login(Conn& c, int64_t id, int64_t at);
Result<std::vector<RoleGrant>> roles_of(Conn& c, int64_t user_id);
Status role_add(Conn& c, int64_t user_id, Role r, std::optional<int64_t> org_id);
/// Number of grants removed (0 when the user did not hold it).
Result<int64_t> role_remove(Conn& c, int64_t user_id, Role r, std::optional<int64_t> org_id);
Result<int64_t> count_role(Conn& c, Role r);
/// Grants with org paths, for building a Principal.
Result<std::vector<std::tuple<std::string, int64_t, std::string>>> grants_of(Conn& c, int64_t user_id);

// sessions
Status session_insert(Conn& c, const std::string& hash, int64_t user_id, int64_t now, int64_t expires_at,
                      const std::string& ip, const std::string& ua);
struct SessionRow {
  int64_t user_id = 0;
  int64_t last_seen_at = 0;
  int64_t expires_at = 0;
};
Result<std::optional<SessionRow>> session_get(Conn& c, const std::string& hash);
Status session_touch(Conn& c, const std::string& hash, int64_t now);
Status session_delete(Conn& c, const std::string& hash);
Status sessions_delete_user(Conn& c, int64_t user_id);

// API tokens
Result<int64_t> token_insert(Conn& c, int64_t user_id, const std::string& name, const std::string& hash,
                             const std::string& prefix, int64_t now);
Result<std::optional<std::pair<int64_t, int64_t>>> token_lookup(Conn& c, const std::string& hash);  // id, user
Status token_touch(Conn& c, int64_t id, int64_t now);
Result<std::vector<ApiToken>> tokens_of(Conn& c, int64_t user_id);
Result<int64_t> token_revoke(Conn& c, int64_t user_id, int64_t token_id, int64_t now);

// login throttling
Status failure_add(Conn& c, const std::string& key, int64_t at);
Result<int64_t> failures_since(Conn& c, const std::string& key, int64_t since);
Status failures_clear(Conn& c, const std::string& key);

// password resets
Status reset_insert(Conn& c, const std::string& hash, int64_t user_id, int64_t now, int64_t expires_at);
Result<std::optional<int64_t>> reset_take(Conn& c, const std::string& hash, int64_t now);  // user id

// audit log
Result<std::optional<std::pair<int64_t, std::string>>> audit_head(Conn& c);
Result<int64_t> audit_insert(Conn& c, const AuditEntry& e);
Result<std::vector<AuditEntry>> audit_page(Conn& c, int64_t before_id, int limit, const std::string& entity);
Result<std::vector<AuditEntry>> audit_range(Conn& c, int64_t after_id, int limit);

}  // namespace pbgdpl::accounts::store
