#pragma once
// The contest service: question bank (versioned), contests and rounds, taking part (server
// clock, autosave, idempotent submit, receipts), integrity rules, ranking and evaluation.
//
// Workload assumptions (a province-wide contest): hundreds of thousands of attempts in a
// round, most of them in the last hours before the deadline; starts, autosaves and submits
// are the hot path and go through one group committer (see committer.h); everything an
// admin does is rare and uses ordinary transactions with an audit row each. Question
// versions an attempt has seen never change, so they are cached in memory for scoring.
#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "accounts/service.h"
#include "contest/committer.h"
#include "contest/model.h"
#include "contest/scoring.h"
#include "http/message.h"
#include "storage/db.h"

namespace pbgdpl::contest {

using core::Result;
using core::Status;

struct ServiceOptions {
  /// Returns the time in ms (tests move it); default core::now_ms.
  std::function<int64_t()> clock;
  /// The CAPTCHA hook: verifies the token a participant sent (contests with captcha=true).
  std::function<bool(const std::string& token, const std::string& ip)> captcha;
  size_t max_batch = 2000;
};

struct StartInput {
  int64_t contest_id = 0;
  Registration reg;
  std::string invite_code;
  std::string ip;
  std::string device;
  std::string captcha;
};

struct Started {
  int64_t attempt_id = 0;
  std::string token;
  int64_t deadline = 0;
  int64_t started_at = 0;
  nlohmann::json questions;  ///< client view, never the keys
};

struct SubmitResult {
  int64_t attempt_id = 0;
  double score = 0;
  double max_score = 0;
  int correct = 0;
  std::string receipt;
  int64_t submitted_at = 0;
  bool replayed = false;  ///< a retry of a submission already stored
};

/// An attempt as its holder sees it (resume): questions, saved answers, clock.
struct AttemptView {
  Attempt attempt;
  std::string contest_title;
  nlohmann::json questions;
};

struct ReceiptCheck {
  bool found = false;
  bool valid = false;  ///< the stored data still hashes to the receipt
  int64_t attempt_id = 0;
  std::string contest_title;
  std::string name_masked;
  std::string full_name;  ///< for the certificate
  double score = 0;
  double max_score = 0;
  int64_t started_at = 0, deadline = 0, submitted_at = 0;
  std::string status;
  std::string canonical;  ///< the text that was hashed
};

struct BankImport {
  int created = 0, updated = 0, unchanged = 0, versioned = 0;
  std::vector<std::string> errors;
};

struct AttemptRow {
  Attempt attempt;
  Registration reg;
  int64_t time_used_ms = 0;
};

class Service {
 public:
  Service(storage::Database& db, accounts::Service& accounts, ServiceOptions o = {});
  ~Service();
  int64_t now() const;
  /// Replaces the clock (tests move time; set before serving requests).
  void set_clock(std::function<int64_t()> c) { opt_.clock = std::move(c); }
  void set_captcha(std::function<bool(const std::string&, const std::string&)> c) { opt_.captcha = std::move(c); }

  // ---- question bank -------------------------------------------------------------------
  Result<Question> add_question(const http::Principal& who, const accounts::Actor& a, QuestionInput in);
  /// Edits a question. When its current version has been shown in an attempt or is in the
  /// pool of a round that is open now, a new version is made; otherwise it is changed in place.
  /// With expected_revision (the editor's form), a question changed since → Conflict (409).
  Result<Question> edit_question(const http::Principal& who, const accounts::Actor& a, int64_t id, QuestionInput in,
                                 std::optional<int> expected_revision = std::nullopt);
  /// The versions of a question, newest first (the editor's history).
  Result<std::vector<VersionInfo>> question_versions(int64_t id);
  Result<std::optional<Question>> question(int64_t id);
  Result<std::vector<Question>> list_questions(const std::string& topic, int64_t after_id, int limit);
  Result<std::vector<std::pair<std::string, int64_t>>> topics();
  /// Upserts by ext_key (re-import is idempotent); all rows checked first, nothing written
  /// when any is invalid.
  Result<BankImport> import_questions(const http::Principal& who, const accounts::Actor& a,
                                      std::vector<QuestionInput> in);
  Result<std::shared_ptr<const QuestionVersion>> version(int64_t version_id);

  // ---- contests ------------------------------------------------------------------------
  /// Creates a contest from a definition (the JSON of `pbgdpl contest create --from`).
  Result<Contest> create_contest(const http::Principal& who, const accounts::Actor& a, const nlohmann::json& def);
  Result<std::optional<Contest>> contest(int64_t id);
  Result<std::vector<Contest>> list_contests(bool include_unpublished);
  /// True when who may manage c (its organizer's subtree or a unit it is shared with).
  bool can_manage(const http::Principal& who, const Contest& c);
  Status set_published(const http::Principal& who, const accounts::Actor& a, int64_t id, bool published);

  // ---- taking part ---------------------------------------------------------------------
  Result<Started> start(StartInput in);
  Result<AttemptView> view(int64_t attempt_id, const std::string& token);
  /// Autosave: merges answers into the attempt (durable on return).
  Result<int64_t> save_answers(int64_t attempt_id, const std::string& token, const nlohmann::json& answers);
  /// Final answers (optional) + submit. A retry returns the stored result; a second
  /// submission with different answers is a conflict.
  Result<SubmitResult> submit(int64_t attempt_id, const std::string& token, const nlohmann::json& answers);

  // ---- ranking, receipts, integrity ----------------------------------------------------
  /// The ranking of a round (0 = the latest round that has opened). Frozen at close: the
  /// first call after close stores it and every later call returns the stored one.
  Result<Ranking> ranking(int64_t contest_id, int64_t round_id = 0);
  Result<ReceiptCheck> check_receipt(const std::string& receipt);
  Status disqualify(const http::Principal& who, const accounts::Actor& a, int64_t attempt_id, const std::string& reason);
  Result<std::vector<AttemptRow>> attempts(int64_t contest_id, int64_t round_id, bool flagged_only, int limit);
  /// Counts a rejected request (reason = error wire code or a rule name), best effort.
  void count_rejection(int64_t contest_id, const std::string& reason);
  Result<std::map<std::string, int64_t>> rejections(int64_t contest_id);

  // ---- evaluation ----------------------------------------------------------------------
  /// The full evaluation of a contest as data (participation, breakdowns, per question).
  Result<nlohmann::json> evaluation(int64_t contest_id);

  GroupCommitter& committer() { return committer_; }
  storage::Database& db() { return db_; }

 private:
  struct Cached;
  Result<std::shared_ptr<const Cached>> cached_contest(int64_t id);
  Result<VersionMap> versions_for(const std::vector<AttemptQuestion>& qs);
  Result<Attempt> load_attempt(int64_t id, const std::string& token);
  bool rate_ok(const std::string& key, int limit, int64_t now);

  storage::Database& db_;
  accounts::Service& accounts_;
  ServiceOptions opt_;
  GroupCommitter committer_;
  std::shared_mutex vmu_;
  std::map<int64_t, std::shared_ptr<const QuestionVersion>> versions_;
  std::mutex cmu_;
  std::map<int64_t, std::shared_ptr<const Cached>> contests_;
  std::mutex rmu_;
  std::map<std::string, std::pair<int64_t, int>> rate_;  ///< key → (minute, count)
};

/// Registers embedded templates and migrations of this module.
void register_contest_assets();

}  // namespace pbgdpl::contest
