// The admin side in a browser without JavaScript, on both backends: a unit admin adds
// questions, builds a contest from the bank, sees the evaluation with SVG charts and real
// figures, exports CSV and XLSX, prints the winners list, disqualifies with a reason; a
// participant's certificate carries a QR code that verifies it.
#include "contest/routes.h"

#include <gtest/gtest.h>

#include <regex>

#include "contest/importer.h"
#include "fixture.h"

#include <fstream>

namespace pbgdpl::contest {
namespace {

using namespace testdata;
using nlohmann::json;
using testing::Browser;

class ContestAdmin : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<Env>(GetParam());
    ASSERT_TRUE(env_->add_orgs());
    ASSERT_TRUE(env_->add_user("quantri@anhoa.test", "Quản trị Sở Tư pháp", "unit_admin"));
  }
  std::unique_ptr<Env> env_;
};

TEST_P(ContestAdmin, UnitAdminBuildsAContestAndReadsItsEvaluation) {
  Browser b(env_->port());
  ASSERT_EQ(b.get("/quan-tri/cuoc-thi").status, 303);  // sign in first
  ASSERT_TRUE(b.login("quantri@anhoa.test", "Mat-khau-2026!"));
  ASSERT_EQ(b.get("/quan-tri/cuoc-thi/ngan-hang").status, 200);
  // Paste-import the bank as CSV, then add one question through the form.
  std::string csv = "key,topic,difficulty,type,text,a,b,c,answer\n";
  for (int i = 0; i < 6; ++i)
    csv += "hg-" + std::to_string(i) + ",Hòa giải,1,single,Câu hỏi hòa giải số " + std::to_string(i) +
           " của Tỉnh An Hòa?,Phương án một,Phương án hai,Phương án ba," + std::string(1, static_cast<char>('A' + i % 3)) + "\n";
  auto imp = b.post_form("/quan-tri/cuoc-thi/ngan-hang/nhap", {{"format", "csv"}, {"content", csv}});
  ASSERT_EQ(imp.status, 303) << imp.body.substr(0, 500);
  auto bad = b.post_form("/quan-tri/cuoc-thi/ngan-hang/nhap", {{"format", "csv"}, {"content", "key,text,type,answer\nx,Câu hỏi?,true_false,Có thể\n"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("dòng 2"), std::string::npos);
  b.get("/quan-tri/cuoc-thi/ngan-hang");
  auto add = b.post_form("/quan-tri/cuoc-thi/ngan-hang",
                         {{"topic", "Hòa giải"}, {"type", "true_false"}, {"difficulty", "2"},
                          {"text", "Kết quả hòa giải ở cơ sở được lập thành văn bản khi các bên yêu cầu, đúng hay sai?"},
                          {"truth", "dung"}});
  ASSERT_EQ(add.status, 303) << add.body.substr(0, 500);
  // Build the contest in the browser.
  auto form = b.get("/quan-tri/cuoc-thi/moi");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("draw:Hòa giải"), std::string::npos);
  auto made = b.post_form("/quan-tri/cuoc-thi/moi",
                          {{"title", "Cuộc thi tìm hiểu Luật Hòa giải ở cơ sở"}, {"round_name", "Tuần 1"},
                           {"opens_at", "2026-11-01T00:00"}, {"closes_at", "2026-11-08T00:00"}, {"draw:Hòa giải", "5"},
                           {"time_limit_minutes", "15"}, {"max_attempts", "1"}, {"attempt_policy", "best"},
                           {"tb1", "score"}, {"tb2", "time_used"}, {"prizes", "Giải Nhất: 1\nGiải Nhì: 1"}, {"published", "1"}});
  ASSERT_EQ(made.status, 303) << made.body.substr(0, 800);
  auto loc = made.header("location");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(loc, m, std::regex("/quan-tri/cuoc-thi/([0-9]+)")));
  int64_t id = std::stoll(m[1].str());
  // Three participants take it (through the service, as the API would).
  std::vector<std::string> receipts;
  for (int i = 1; i <= 3; ++i) {
    auto s = env_->start(id, i, "10.3.0." + std::to_string(i));
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_EQ(s->questions.size(), 5u);
    env_->advance(3 * kMin);
    auto r = env_->svc().submit(s->attempt_id, s->token, answers_for(env_->svc(), env_->attempt(*s), i != 2));
    ASSERT_TRUE(r.ok());
    receipts.push_back(r->receipt);
  }
  auto ev = b.get(loc);
  ASSERT_EQ(ev.status, 200);
  EXPECT_NE(ev.body.find("<svg"), std::string::npos);
  EXPECT_NE(ev.body.find("Người dự thi: <strong>3</strong>"), std::string::npos) << ev.body.substr(0, 3000);
  EXPECT_NE(ev.body.find("Phường Bình Minh"), std::string::npos);
  EXPECT_NE(ev.body.find("Độ phân biệt"), std::string::npos);
  EXPECT_LT(ev.body.size(), 50u * 1024);
  EXPECT_EQ(ev.body.find("style="), std::string::npos);  // CSP: no inline styles
  auto csv_out = b.get(loc + "/ket-qua.csv");
  ASSERT_EQ(csv_out.status, 200);
  EXPECT_NE(csv_out.body.find("Người Dự Thi 1"), std::string::npos);
  EXPECT_NE(csv_out.body.find(receipts[0]), std::string::npos);
  auto xlsx = b.get(loc + "/ket-qua.xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip container
  auto path = env_->app().config.data_dir + "/export.xlsx";
  { std::ofstream(path, std::ios::binary) << xlsx.body; }
  auto rows = read_xlsx_rows(path);  // our own reader reads it back
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0][2], "Họ tên");
  auto winners = b.get(loc + "/danh-sach-giai");
  ASSERT_EQ(winners.status, 200);
  EXPECT_NE(winners.body.find("Giải Nhất"), std::string::npos);
  auto cert = Browser(env_->port()).get("/cuoc-thi/chung-nhan/" + receipts[0]);
  ASSERT_EQ(cert.status, 200);
  EXPECT_NE(cert.body.find("Người Dự Thi 1"), std::string::npos);
  EXPECT_NE(cert.body.find("class=\"qr\""), std::string::npos);
  EXPECT_NE(cert.body.find("/cuoc-thi/bien-nhan?ma=" + receipts[0]), std::string::npos);
  // Disqualify with a reason from the evaluation page.
  b.get(loc);
  auto attempts = env_->svc().attempts(id, 0, false, 10);
  ASSERT_TRUE(attempts.ok());
  auto dq = b.post_form(loc + "/huy-ket-qua", {{"attempt", std::to_string((*attempts)[0].attempt.id)}, {"reason", "Sai"}});
  EXPECT_EQ(dq.status, 422);  // reason too short
  dq = b.post_form(loc + "/huy-ket-qua", {{"attempt", std::to_string((*attempts)[0].attempt.id)}, {"reason", "Thi hộ người khác"}});
  EXPECT_EQ(dq.status, 303);
  auto rk = env_->svc().ranking(id);
  ASSERT_TRUE(rk.ok());
  EXPECT_EQ(rk->rows.size(), 2u);
  // A citizen account cannot open the admin pages.
  EXPECT_EQ(Browser(env_->port()).get(loc + "/ket-qua.csv").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContestAdmin, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pbgdpl::contest
