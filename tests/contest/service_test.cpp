// contest::Service on both backends: bank versioning, starting with every integrity rule,
// autosave, idempotent and late submission, receipts and tampering, ranking frozen at
// close, disqualification in the audit log.
#include "contest/service.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/crypto.h"
#include "fixture.h"

namespace pbgdpl::contest {
namespace {

using namespace testdata;
using core::ErrorCode;

class ContestService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { env_ = std::make_unique<Env>(GetParam()); }
  Env& env() { return *env_; }
  Service& svc() { return env_->svc(); }
  std::unique_ptr<Env> env_;
};

TEST_P(ContestService, StartDrawsByTopicAndNeverSendsTheKey) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->questions.size(), 6u);  // 2 Thư viện + 3 Hòa giải + the prediction
  EXPECT_EQ(s->questions.back()["type"], "prediction");
  EXPECT_EQ(s->deadline, env().time() + 20 * kMin);
  auto body = s->questions.dump();
  EXPECT_EQ(body.find("correct"), std::string::npos);
  EXPECT_EQ(body.find("explanation"), std::string::npos);
  EXPECT_EQ(body.find("102"), std::string::npos);  // the numeric key
  EXPECT_EQ(s->token.size(), 43u);
}

TEST_P(ContestService, RegistrationErrorsAreVietnameseWithTheField) {
  auto id = env().make_contest();
  StartInput in;
  in.contest_id = id;
  in.reg = person(1);
  in.reg.phone = "0123";
  auto r = svc().start(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Validation);
  EXPECT_EQ(r.error().field, "phone");
  in.reg = person(1);
  in.reg.cccd = "001091012345";  // born 1991, registration says 1990
  r = svc().start(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "cccd");
}

TEST_P(ContestService, DuplicateIdentitiesAreDetected) {
  auto id = env().make_contest();
  StartInput in;
  in.contest_id = id;
  in.ip = "10.1.1.1";
  in.reg = person(1);
  in.reg.cccd = "001090012345";
  ASSERT_TRUE(svc().start(in).ok());
  auto other = in;
  other.reg = person(2);
  other.reg.cccd = "001090012345";  // same CCCD, another phone
  auto r = svc().start(other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Conflict);
  EXPECT_NE(r.error().message.find("CCCD"), std::string::npos);
  auto renamed = in;
  renamed.reg.full_name = "Tên Khác Hẳn";  // same phone, another person
  r = svc().start(renamed);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Conflict);
}

TEST_P(ContestService, OneOpenAttemptAndAtMostMaxAttempts) {
  auto id = env().make_contest();
  auto a = env().start(id, 1);
  ASSERT_TRUE(a.ok());
  auto again = env().start(id, 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  EXPECT_NE(again.error().message.find("chưa nộp"), std::string::npos);
  ASSERT_TRUE(svc().submit(a->attempt_id, a->token, nlohmann::json()).ok());
  auto b = env().start(id, 1);  // second of two
  ASSERT_TRUE(b.ok());
  // An abandoned attempt stops blocking once its time and grace are over, but still counts.
  env().advance(21 * kMin);
  auto c = env().start(id, 1);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("hết 2 lượt"), std::string::npos);
}

TEST_P(ContestService, PerIpAndPerDeviceStartLimits) {
  auto def = definition();
  def["starts_per_ip_per_minute"] = 3;
  def["starts_per_device_per_minute"] = 2;
  auto id = env().make_contest(def);
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(env().start(id, i, "10.9.9.9").ok()) << i;
  auto r = env().start(id, 4, "10.9.9.9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::TooManyRequests);
  ASSERT_TRUE(env().start(id, 4, "10.9.9.10").ok());  // another address
  env().advance(kMin);
  ASSERT_TRUE(env().start(id, 5, "10.9.9.9").ok());  // next minute
  StartInput in;
  in.contest_id = id;
  in.device = "may-1";
  for (int i = 10; i < 12; ++i) {
    in.reg = person(i);
    in.ip = "10.2.0." + std::to_string(i);
    ASSERT_TRUE(svc().start(in).ok());
  }
  in.reg = person(12);
  auto d = svc().start(in);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::TooManyRequests);
}

TEST_P(ContestService, CaptchaHookAndInviteCode) {
  auto def = definition();
  def["captcha"] = true;
  def["eligibility"] = "invite";
  def["invite_code"] = "AnHoa-2026";
  auto id = env().make_contest(def);
  svc().set_captcha([](const std::string& token, const std::string&) { return token == "ok"; });
  StartInput in;
  in.contest_id = id;
  in.reg = person(1);
  in.invite_code = "AnHoa-2026";
  in.captcha = "sai";
  auto r = svc().start(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "captcha");
  in.captcha = "ok";
  in.invite_code = "doan-mo";
  r = svc().start(in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Forbidden);
  in.invite_code = "AnHoa-2026";
  EXPECT_TRUE(svc().start(in).ok());
}

TEST_P(ContestService, AutosaveResumeAndScore) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  auto a = env().attempt(*s);
  auto right = answers_for(svc(), a, true);
  nlohmann::json first = nlohmann::json::array({right[0], right[1]});
  ASSERT_TRUE(svc().save_answers(s->attempt_id, s->token, first).ok());
  nlohmann::json rest = right;
  rest.erase(0);
  rest.erase(0);
  ASSERT_TRUE(svc().save_answers(s->attempt_id, s->token, rest).ok());
  auto resumed = svc().view(s->attempt_id, s->token);  // "dropped connection": read back
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->attempt.answers.size(), 6u);
  env().advance(5 * kMin);
  auto r = svc().submit(s->attempt_id, s->token, nlohmann::json());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->score, 5);
  EXPECT_EQ(r->max_score, 5);
  EXPECT_FALSE(r->replayed);
}

TEST_P(ContestService, SubmitIsIdempotentAndASecondDifferentSubmitIsRefused) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  auto a = env().attempt(*s);
  auto wrong = answers_for(svc(), a, false);
  env().advance(3 * kMin);
  auto r1 = svc().submit(s->attempt_id, s->token, wrong);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->score, 0);
  env().advance(1000);
  auto r2 = svc().submit(s->attempt_id, s->token, wrong);  // a retry
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->replayed);
  EXPECT_EQ(r2->receipt, r1->receipt);
  EXPECT_EQ(r2->submitted_at, r1->submitted_at);
  auto r3 = svc().submit(s->attempt_id, s->token, answers_for(svc(), a, true));
  ASSERT_FALSE(r3.ok());
  EXPECT_EQ(r3.error().code, ErrorCode::Conflict);
  EXPECT_NE(r3.error().message.find(r1->receipt), std::string::npos);
  auto saved = svc().save_answers(s->attempt_id, s->token, wrong);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error().code, ErrorCode::Conflict);
  auto rk = svc().ranking(id);
  ASSERT_TRUE(rk.ok());
  ASSERT_EQ(rk->rows.size(), 1u);
  EXPECT_EQ(rk->rows[0].score, 0);
}

TEST_P(ContestService, ConcurrentRetriesStoreExactlyOneSubmission) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  auto right = answers_for(svc(), env().attempt(*s), true);
  std::vector<std::thread> ts;
  std::vector<std::string> receipts(8);
  std::atomic<int> fresh{0};
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&, i] {
      auto r = svc().submit(s->attempt_id, s->token, right);
      if (r.ok()) {
        receipts[static_cast<size_t>(i)] = r->receipt;
        if (!r->replayed) ++fresh;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(fresh.load(), 1);
  for (const auto& r : receipts) EXPECT_EQ(r, receipts[0]);
  auto audit = env().app().accounts->audit_page(accounts::Service::system_principal(), 0, 50, "contest_attempt");
  ASSERT_TRUE(audit.ok());
  int listed = 0;
  for (const auto& e : *audit) listed += e.summary.find(receipts[0]) != std::string::npos;
  EXPECT_EQ(listed, 1);  // the group commit's audit row lists the submission once
}

TEST_P(ContestService, LateSubmissionsAreRejectedAfterTheGrace) {
  auto id = env().make_contest();
  auto a = env().start(id, 1);
  auto b = env().start(id, 2);
  ASSERT_TRUE(a.ok() && b.ok());
  env().advance(20 * kMin + 29 * 1000);  // within the 30 s grace
  EXPECT_TRUE(svc().submit(a->attempt_id, a->token, nlohmann::json()).ok());
  env().advance(2000);
  auto late = svc().submit(b->attempt_id, b->token, nlohmann::json());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::DeadlinePassed);
  EXPECT_NE(late.error().message.find("quá thời hạn"), std::string::npos);
  auto save = svc().save_answers(b->attempt_id, b->token, nlohmann::json::array());
  ASSERT_FALSE(save.ok());
  EXPECT_EQ(save.error().code, ErrorCode::DeadlinePassed);
}

TEST_P(ContestService, DeadlineIsCappedAtTheRoundCloseAndNoStartAfterIt) {
  auto id = env().make_contest(definition(kT0, kT0 + 70 * kMin));
  auto s = env().start(id, 1);  // at kT0 + 60 min: 10 minutes left in the round
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->deadline, kT0 + 70 * kMin);
  env().set_time(kT0 + 70 * kMin);
  auto r = env().start(id, 2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::DeadlinePassed);
}

TEST_P(ContestService, WrongTokensAreRefused) {
  auto id = env().make_contest();
  auto a = env().start(id, 1);
  auto b = env().start(id, 2);
  ASSERT_TRUE(a.ok() && b.ok());
  auto r = svc().submit(a->attempt_id, b->token, nlohmann::json());  // someone else's token
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Forbidden);
  r = svc().submit(a->attempt_id, "", nlohmann::json());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Unauthorized);
  r = svc().submit(a->attempt_id, a->token + "x", nlohmann::json());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Forbidden);
}

TEST_P(ContestService, ReceiptsVerifyAndDetectTampering) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  env().advance(4 * kMin);
  auto r = svc().submit(s->attempt_id, s->token, answers_for(svc(), env().attempt(*s), true));
  ASSERT_TRUE(r.ok());
  auto c = svc().check_receipt(r->receipt);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->found);
  EXPECT_TRUE(c->valid);
  EXPECT_EQ(c->score, 5);
  EXPECT_EQ(c->name_masked, "Người D. T. 1.");
  EXPECT_EQ(core::sha256_hex(c->canonical), r->receipt);
  // Someone edits the stored answers (or only the score) behind the system's back.
  ASSERT_TRUE(svc().db().write([&](storage::Conn& cn) -> Status {
    auto n = cn.exec("UPDATE contest_attempts SET score = 4 WHERE id = ?", {s->attempt_id});
    if (!n) return n.take_error();
    return {};
  }).ok());
  c = svc().check_receipt(r->receipt);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->valid);
  ASSERT_TRUE(svc().db().write([&](storage::Conn& cn) -> Status {
    auto n = cn.exec("UPDATE contest_attempts SET score = 5, answers = '{}' WHERE id = ?", {s->attempt_id});
    if (!n) return n.take_error();
    return {};
  }).ok());
  c = svc().check_receipt(r->receipt);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->valid);
  c = svc().check_receipt(std::string(64, 'a'));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->found);
  EXPECT_FALSE(svc().check_receipt("xyz").ok());
}

TEST_P(ContestService, TooFastAnswersAreFlagged) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  env().advance(3000);  // 5 questions in 3 s; the contest asks for ≥ 2 s each
  ASSERT_TRUE(svc().submit(s->attempt_id, s->token, answers_for(svc(), env().attempt(*s), true)).ok());
  auto rows = svc().attempts(id, 0, true, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].attempt.flags, std::vector<std::string>{"too_fast"});
}

TEST_P(ContestService, RankingUsesPolicyAndTieBreakersAndFreezesAtClose) {
  auto id = env().make_contest(definition(kT0, kT0 + 3 * 60 * kMin));
  // Person 1: two attempts (best counts). Person 2 and 3: same score, 3 predicts closer.
  auto p1a = env().start(id, 1);
  ASSERT_TRUE(p1a.ok());
  env().advance(5 * kMin);
  ASSERT_TRUE(svc().submit(p1a->attempt_id, p1a->token, answers_for(svc(), env().attempt(*p1a), true, 50)).ok());
  auto p1b = env().start(id, 1);
  ASSERT_TRUE(p1b.ok());
  env().advance(5 * kMin);
  ASSERT_TRUE(svc().submit(p1b->attempt_id, p1b->token, answers_for(svc(), env().attempt(*p1b), false, 50)).ok());
  auto p2 = env().start(id, 2);
  auto p3 = env().start(id, 3);
  ASSERT_TRUE(p2.ok() && p3.ok());
  env().advance(6 * kMin);
  auto wrong2 = answers_for(svc(), env().attempt(*p2), false, 10);
  auto wrong3 = answers_for(svc(), env().attempt(*p3), false, 4);
  ASSERT_TRUE(svc().submit(p2->attempt_id, p2->token, wrong2).ok());
  ASSERT_TRUE(svc().submit(p3->attempt_id, p3->token, wrong3).ok());
  auto rk = svc().ranking(id);
  ASSERT_TRUE(rk.ok());
  EXPECT_FALSE(rk->frozen);
  ASSERT_EQ(rk->rows.size(), 3u);
  EXPECT_EQ(rk->actual_participants, 3);
  EXPECT_EQ(rk->rows[0].attempt_id, p1a->attempt_id);  // best of person 1
  EXPECT_EQ(rk->rows[0].prize, "Giải Nhất");
  EXPECT_EQ(rk->rows[1].attempt_id, p3->attempt_id);   // |4 − 3| < |10 − 3|
  EXPECT_EQ(rk->rows[2].attempt_id, p2->attempt_id);
  EXPECT_EQ(rk->rows[2].prize, "Giải Nhì");
  // After close (and grace) the ranking is stored once and never changes.
  env().set_time(kT0 + 3 * 60 * kMin + 31000);
  auto frozen = svc().ranking(id);
  ASSERT_TRUE(frozen.ok());
  EXPECT_TRUE(frozen->frozen);
  ASSERT_TRUE(svc().db().write([&](storage::Conn& c) -> Status {
    auto n = c.exec("UPDATE contest_attempts SET score = 99 WHERE id = ?", {p2->attempt_id});
    if (!n) return n.take_error();
    return {};
  }).ok());
  auto again = svc().ranking(id);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->frozen);
  ASSERT_EQ(again->rows.size(), 3u);
  EXPECT_EQ(again->rows[2].attempt_id, p2->attempt_id);
  EXPECT_EQ(again->rows[2].score, 0);
}

TEST_P(ContestService, DisqualificationNeedsAReasonAndIsAudited) {
  auto id = env().make_contest();
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  env().advance(3 * kMin);
  ASSERT_TRUE(svc().submit(s->attempt_id, s->token, answers_for(svc(), env().attempt(*s), true)).ok());
  auto cli = env().cli();
  EXPECT_FALSE(svc().disqualify(accounts::Service::system_principal(), cli, s->attempt_id, "").ok());
  http::Principal nobody;
  nobody.user_id = 77;
  EXPECT_EQ(svc().disqualify(nobody, cli, s->attempt_id, "Thi hộ người khác").error().code, ErrorCode::Forbidden);
  ASSERT_TRUE(svc().disqualify(accounts::Service::system_principal(), cli, s->attempt_id, "Thi hộ người khác").ok());
  auto rk = svc().ranking(id);
  ASSERT_TRUE(rk.ok());
  EXPECT_TRUE(rk->rows.empty());
  auto audit = env().app().accounts->audit_page(accounts::Service::system_principal(), 0, 20, "contest_attempt");
  ASSERT_TRUE(audit.ok());
  bool found = false;
  for (const auto& e : *audit)
    if (e.action == "contest.disqualify") found = e.summary.find("Thi hộ người khác") != std::string::npos;
  EXPECT_TRUE(found);
  auto verify = env().app().accounts->audit_verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

TEST_P(ContestService, EditingAQuestionInUseMakesANewVersionAndOldAttemptsKeepTheirs) {
  auto id = env().make_contest();
  auto q = svc().list_questions("Thư viện", 0, 10);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 2u);
  auto target = (*q)[0];
  auto cli = env().cli();
  auto sys = accounts::Service::system_principal();
  QuestionInput in = bank()[0];
  in.text = "Người đọc ở thư viện cộng đồng được mượn sách như thế nào (sửa lời)?";
  // The round is open and draws from this question: a new version.
  auto e = svc().edit_question(sys, cli, target.id, in);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->current_version, 2);
  EXPECT_NE(e->cur.id, target.cur.id);
  // Before any attempt, in a bank no live round uses, edits change the version in place.
  auto s = env().start(id, 1);
  ASSERT_TRUE(s.ok());
  bool shows_v2 = s->questions.dump().find("sửa lời") != std::string::npos;
  EXPECT_TRUE(shows_v2);
  // Change the key after the attempt saw it: the attempt keeps scoring with its version.
  in.options = {{"Miễn phí", false}, {"Trả phí theo ngày", true}, {"Chỉ đọc tại chỗ", false}, {"Phải có thẻ hội viên", false}};
  auto e3 = svc().edit_question(sys, cli, target.id, in);
  ASSERT_TRUE(e3.ok());
  EXPECT_EQ(e3->current_version, 3);
  env().advance(3 * kMin);
  auto r = svc().submit(s->attempt_id, s->token, answers_for(svc(), env().attempt(*s), true));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->score, 5);
  // A bank question no contest uses, never shown: edited in place.
  QuestionInput lone = bank()[0];
  lone.ext_key = "lone";
  lone.topic = "Khác";
  auto added = svc().add_question(sys, cli, lone);
  ASSERT_TRUE(added.ok());
  env().set_time(kT0 + 8 * 24 * 60 * kMin);  // after the round: nothing live
  lone.text = "Một câu hỏi khác hoàn toàn về thư viện?";
  auto e4 = svc().edit_question(sys, cli, added->id, lone);
  ASSERT_TRUE(e4.ok());
  EXPECT_EQ(e4->current_version, 1);
  EXPECT_EQ(e4->cur.id, added->cur.id);
}

TEST_P(ContestService, ContestDefinitionsAreValidated) {
  env().make_contest();
  auto sys = accounts::Service::system_principal();
  auto cli = env().cli();
  struct Case {
    const char* key;
    nlohmann::json value;
  } cases[] = {{"title", "Ngắn"},
               {"attempt_policy", "average"},
               {"tie_breakers", {"luck"}},
               {"rounds", nlohmann::json::array()},
               {"draw", {{{"topic", "Thư viện"}, {"count", 9}}}},
               {"questions", {"khong-co"}},
               {"time_limit_minutes", 0},
               {"eligibility", "org"}};
  for (const auto& c : cases) {
    auto def = definition();
    def[c.key] = c.value;
    auto k = svc().create_contest(sys, cli, def);
    ASSERT_FALSE(k.ok()) << c.key;
    EXPECT_EQ(k.error().code, ErrorCode::Validation) << c.key;
    EXPECT_FALSE(k.error().message.empty());
  }
  auto def = definition();
  def["rounds"][0]["closes_at"] = "2026-13-01T00:00:00+07:00";
  EXPECT_FALSE(svc().create_contest(sys, cli, def).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, ContestService, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pbgdpl::contest
