#pragma once
// SQL of the contest module (bank, contests, rounds, participants, attempts, rejections).
#include <optional>
#include <string>
#include <vector>

#include "contest/model.h"
#include "contest/scoring.h"
#include "storage/db.h"

namespace pbgdpl::contest::store {

using core::Result;
using core::Status;
using storage::Conn;

// ---- bank ------------------------------------------------------------------------------
Result<int64_t> insert_question(Conn& c, const Question& q);
/// Saves topic, difficulty, current version, updated_at and bumps the revision.
Status update_question(Conn& c, const Question& q);
/// `by`: the name of whoever made it (history).
Result<int64_t> insert_version(Conn& c, int64_t question_id, int version, const QuestionVersion& v, int64_t now,
                               const std::string& by);
/// Changes a version no attempt has seen in place (and records when and by whom).
Status update_version(Conn& c, int64_t version_id, const QuestionVersion& v, int64_t now, const std::string& by);
/// Every version of a question, newest first.
Result<std::vector<VersionInfo>> versions_of(Conn& c, int64_t question_id);
Result<std::optional<Question>> question_by_id(Conn& c, int64_t id);
Result<std::optional<Question>> question_by_key(Conn& c, const std::string& key);
Result<std::vector<Question>> list_questions(Conn& c, const std::string& topic, int64_t after_id, int limit);
Result<std::optional<QuestionVersion>> version_by_id(Conn& c, int64_t id);
/// True when an attempt shows the version or a round open at `now` draws from its question.
Result<bool> version_in_use(Conn& c, int64_t question_id, int64_t version_id, int64_t now);
Result<std::vector<std::pair<std::string, int64_t>>> topics(Conn& c);

// ---- contests --------------------------------------------------------------------------
nlohmann::json settings_json(const Contest& k);
void settings_from(Contest& k, const nlohmann::json& s);
Result<int64_t> insert_contest(Conn& c, const Contest& k);
Result<int64_t> insert_round(Conn& c, const Round& r);
Result<std::optional<Contest>> contest_by_id(Conn& c, int64_t id);
Result<std::vector<Contest>> list_contests(Conn& c, bool include_unpublished);
Result<bool> slug_taken(Conn& c, const std::string& slug);
Status set_published(Conn& c, int64_t id, bool published, int64_t now);
/// The pool a contest draws from (current versions), and the prediction question if any.
Result<std::vector<PoolEntry>> pool(Conn& c, const Contest& k);
Status set_frozen(Conn& c, int64_t round_id, int64_t at, int64_t actual, const std::string& ranking);
Result<std::optional<std::string>> frozen_ranking(Conn& c, int64_t round_id);
Status clear_frozen(Conn& c, int64_t round_id);

// ---- participants and attempts ---------------------------------------------------------
struct Participant {
  int64_t id = 0;
  Registration reg;
};
Result<std::optional<Participant>> participant_by_phone(Conn& c, int64_t contest_id, const std::string& phone);
Result<std::optional<Participant>> participant_by_cccd(Conn& c, int64_t contest_id, const std::string& cccd);
Result<int64_t> insert_participant(Conn& c, int64_t contest_id, const Registration& r, int64_t now);
Result<std::optional<Attempt>> open_attempt(Conn& c, int64_t participant_id);
Result<int64_t> count_attempts(Conn& c, int64_t participant_id, int64_t round_id);
Status set_attempt_status(Conn& c, int64_t id, std::string_view status, const std::string& reason = "");
Result<int64_t> insert_attempt(Conn& c, const Attempt& a);
Result<std::optional<Attempt>> attempt_by_id(Conn& c, int64_t id);
/// Refreshes what can change after an attempt started — status and flags, answers, score,
/// correct count, receipt, submission time — into `a`, leaving the drawn questions as they
/// are (they never change; parsing them is most of the cost of attempt_by_id). False when
/// the attempt is gone.
Result<bool> refresh_attempt(Conn& c, Attempt& a);
Result<std::optional<Attempt>> attempt_by_receipt(Conn& c, const std::string& receipt);
Status save_answers(Conn& c, int64_t id, const nlohmann::json& answers, int64_t at);
/// Stores a submission; affected 0 when the attempt is no longer open.
Result<int64_t> submit(Conn& c, const Attempt& a);
Result<std::optional<Participant>> participant_by_id(Conn& c, int64_t id);
/// Attempts of a round (0 = every round) with their participants, by id.
Result<std::vector<std::pair<Attempt, Registration>>> attempts_with_people(Conn& c, int64_t contest_id,
                                                                          int64_t round_id, bool submitted_only);

Status add_rejection(Conn& c, int64_t contest_id, const std::string& reason, int64_t n);
Result<std::map<std::string, int64_t>> rejections(Conn& c, int64_t contest_id);

}  // namespace pbgdpl::contest::store
