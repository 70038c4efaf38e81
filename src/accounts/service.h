#pragma once
// The accounts service: organizations, users and roles, sign-in (sessions, API tokens,
// throttling, password reset) and the audit log that every module writes to.
//
// Workload assumptions: sign-ins are rare next to page views, so a session lookup is one
// indexed read per signed-in request and last_seen is written at most once a minute.
// Anonymous visitors cost no database row at all (their CSRF token is a signed cookie).
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/mail.h"
#include "accounts/model.h"
#include "http/message.h"
#include "storage/db.h"
#include "storage/jobs.h"

namespace pbgdpl::accounts {

using core::Result;
using core::Status;

struct ServiceOptions {
  int session_idle_min = 120;
  int session_absolute_h = 24 * 7;
  std::string public_url = "http://127.0.0.1:8080";
  int max_failures_per_account = 5;   ///< within failure_window_min
  int max_failures_per_ip = 30;
  int failure_window_min = 15;
};

struct LoginResult {
  std::string session_token;  ///< the cookie value (only its hash is stored)
  int64_t user_id = 0;
  int64_t max_age_s = 0;
};

struct Page {
  int64_t next_cursor = 0;  ///< 0 = no more
};

/// Verified against when a login names no account, so that answering takes the same time.
extern const char* const kTimingEqualizerHash;

class Service {
 public:
  Service(storage::Database& db, ServiceOptions o);
  /// Loads (or creates once) the instance secret used to sign CSRF tokens.
  Status init();
  const std::string& secret() const { return secret_; }
  storage::Database& db() { return db_; }

  // ---- permissions -------------------------------------------------------------------
  /// True when p holds a role allowing perm over the organization at org_path
  /// ("" = the whole system: only system-wide grants count).
  static bool can(const http::Principal& p, Permission perm, const std::string& org_path);
  /// True when p may do perm somewhere (to show admin entry points).
  static bool can_somewhere(const http::Principal& p, Permission perm);
  /// The principal the command line acts as (full rights).
  static http::Principal system_principal();
  static Actor actor_of(const http::Request& r);

  // ---- audit ---------------------------------------------------------------------------
  /// Appends a hash-chained audit row inside the caller's transaction.
  static Status record(storage::Conn& c, const Actor& a, std::string_view action, std::string_view entity,
                       std::string_view entity_id, nlohmann::json before, nlohmann::json after);
  Result<std::vector<AuditEntry>> audit_page(const http::Principal& who, int64_t before_id, int limit,
                                             const std::string& entity = "");
  /// Recomputes the chain; reports edited, inserted or deleted rows.
  Result<AuditVerifyReport> audit_verify();

  // ---- organizations -------------------------------------------------------------------
  Result<Org> create_org(const http::Principal& who, const Actor& a, const OrgInput& in);
  Result<Org> update_org(const http::Principal& who, const Actor& a, const std::string& code, const OrgInput& in);
  Result<std::optional<Org>> find_org(const std::string& code);
  Result<std::vector<Org>> list_orgs(int64_t after_id, int limit);
  Result<std::vector<Org>> org_tree();
  /// CSV with header code,name,type,parent_code,portal_url. All-or-nothing: any bad line
  /// fails the import and every problem is reported with its line number.
  Result<ImportReport> import_orgs_csv(const http::Principal& who, const Actor& a, std::string_view csv);

  // ---- users ---------------------------------------------------------------------------
  Result<User> create_user(const http::Principal& who, const Actor& a, const UserInput& in);
  /// Self-registration of a citizen or business (role "citizen" or "business").
  Result<User> register_user(const Actor& a, UserInput in);
  Result<std::optional<User>> find_user(int64_t id);
  /// A user's record for an administrator: Forbidden unless `who` manages the user's
  /// organization or one of the organizations the user holds a role in.
  Result<std::optional<User>> find_user_for(const http::Principal& who, int64_t id);
  Result<std::vector<User>> list_users(const http::Principal& who, int64_t after_id, int limit);
  Status grant_role(const http::Principal& who, const Actor& a, int64_t user_id, const std::string& role,
                    const std::string& org_code);
  Status revoke_role(const http::Principal& who, const Actor& a, int64_t user_id, const std::string& role,
                     const std::string& org_code);
  Status set_user_status(const http::Principal& who, const Actor& a, int64_t user_id, bool active);
  Status change_password(const Actor& a, int64_t user_id, const std::string& old_pw, const std::string& new_pw);
  /// Creates the first system administrator when none exists. Returns false when one exists.
  Result<bool> ensure_admin(const std::string& email, const std::string& password);

  // ---- sign-in -------------------------------------------------------------------------
  Result<LoginResult> login(const std::string& login, const std::string& password, const std::string& ip,
                            const std::string& user_agent, const std::string& old_session = "");
  Status logout(const Actor& a, const std::string& session_token);
  /// The principal of a session cookie, or nullopt (unknown, idle-expired, expired, disabled).
  Result<std::optional<http::Principal>> session_principal(const std::string& session_token);
  /// The principal of an API token ("pbg_…"), or nullopt.
  Result<std::optional<http::Principal>> token_principal(const std::string& token);
  /// Creates an API token for the user; the raw token is returned once.
  Result<std::pair<ApiToken, std::string>> create_token(const Actor& a, int64_t user_id, const std::string& name);
  Status revoke_token(const Actor& a, int64_t user_id, int64_t token_id);
  Result<std::vector<ApiToken>> tokens(int64_t user_id);
  /// Starts a password reset: mails a one-hour link if the account exists. Always succeeds
  /// for unknown accounts too (no account enumeration), but is throttled per IP.
  Status request_password_reset(const std::string& login, const std::string& ip);
  Status reset_password(const std::string& token, const std::string& new_password, const std::string& ip);

  /// CSRF token for a session hash or an anonymous cookie value.
  std::string csrf_for(std::string_view binding) const;

  /// Registers the module's job handlers (mail delivery).
  void register_jobs(storage::JobQueue& q, std::shared_ptr<MailSender> sender);

 private:
  Result<http::Principal> principal_of(storage::Conn& c, const User& u);
  storage::Database& db_;
  ServiceOptions opt_;
  std::string secret_;
  std::string dummy_hash_;
};

/// Validation helpers shared by forms and the CLI (Vietnamese messages, field names).
Result<std::string> normalize_email(std::string_view s);
Result<std::string> normalize_phone(std::string_view s);
Status check_password(std::string_view pw);
Result<std::string> check_name(std::string_view s, std::string_view field, size_t max_len = 120);
/// Registers embedded templates and migrations of this module.
void register_accounts_assets();

}  // namespace pbgdpl::accounts
