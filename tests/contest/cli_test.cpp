// The command line: bank import in every format, contest create --from, contest rank
// reproducible run after run.
#include <gtest/gtest.h>

#include <fstream>

#include "fixture.h"

namespace pbgdpl::contest {
namespace {

using testing::run_command;

class ContestCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = std::make_unique<testing::TestDb>(GetParam()); }
  std::string base() {
    return testing::pbgdpl_bin() + " --data-dir " + db_->dir().str() + " --database '" + db_->url() + "' --log-level warn ";
  }
  std::string write(const std::string& name, const std::string& text) {
    auto p = db_->dir().path() / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::unique_ptr<testing::TestDb> db_;
};

TEST_P(ContestCli, ImportCreateRank) {
  nlohmann::json bank = nlohmann::json::array();
  for (const auto& q : testdata::bank()) {
    nlohmann::json opts = nlohmann::json::array();
    for (const auto& o : q.options) opts.push_back({{"text", o.text}, {"correct", o.correct}});
    bank.push_back({{"key", q.ext_key}, {"topic", q.topic}, {"difficulty", q.difficulty}, {"type", q.type}, {"text", q.text},
                    {"options", opts}, {"number", q.number}});
  }
  auto bank_file = write("bank.json", bank.dump(2));
  std::string out;
  ASSERT_EQ(run_command(base() + "contest bank import " + bank_file + " --format json", &out), 0) << out;
  EXPECT_NE(out.find("6 câu mới"), std::string::npos) << out;
  ASSERT_EQ(run_command(base() + "contest bank import " + bank_file + " --format json", &out), 0) << out;
  EXPECT_NE(out.find("6 không đổi"), std::string::npos) << out;
  auto csv = write("bank.csv", "key,topic,type,text,a,b,answer\nx1,Khác,single,Câu hỏi thêm từ CSV?,Có,Không,A\n");
  ASSERT_EQ(run_command(base() + "contest bank import " + csv + " --format csv", &out), 0) << out;
  auto broken = write("broken.csv", "key,topic,type,text,a,b,answer\nx2,Khác,single,Câu hỏi lỗi?,Có,Không,\n");
  EXPECT_EQ(run_command(base() + "contest bank import " + broken + " --format csv", &out), 1);
  EXPECT_NE(out.find("chưa nhập câu nào"), std::string::npos) << out;
  auto def = testdata::definition(testdata::kT0, testdata::kT0 + 60000);  // a round long closed
  auto def_file = write("contest.json", def.dump(2));
  ASSERT_EQ(run_command(base() + "contest create --from " + def_file, &out), 0) << out;
  auto id = std::stoll(out);
  EXPECT_GT(id, 0);
  std::string r1, r2;
  ASSERT_EQ(run_command(base() + "contest rank " + std::to_string(id) + " --format json", &r1), 0) << r1;
  ASSERT_EQ(run_command(base() + "contest rank " + std::to_string(id) + " --format json", &r2), 0) << r2;
  EXPECT_EQ(r1, r2);
  auto j = nlohmann::json::parse(r1, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r1;
  EXPECT_TRUE(j["frozen"].get<bool>());
  EXPECT_EQ(run_command(base() + "contest rank 999", &out), 1);
  auto bad = write("bad.json", "{\"title\": \"x\"}");
  EXPECT_EQ(run_command(base() + "contest create --from " + bad, &out), 1);
  EXPECT_NE(out.find("Tên cuộc thi"), std::string::npos) << out;
}

TEST_P(ContestCli, AlqacImport) {
  auto path = testing::shared_data() / "alqac2024" / "train.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP();
  std::string out;
  ASSERT_EQ(run_command(base() + "contest bank import " + path.string() + " --format alqac", &out), 0) << out;
  EXPECT_NE(out.find("471 câu mới"), std::string::npos) << out;
  EXPECT_NE(out.find("bỏ qua 59 câu tự luận"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Backends, ContestCli, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pbgdpl::contest
