#include "core/log.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace pbgdpl::core {
namespace {

class Log : public ::testing::Test {
 protected:
  void TearDown() override { set_log_level("info"); }
};

TEST_F(Log, OneLinePerEventWithTimeLevelAndMessage) {
  set_log_level("debug");
  ::testing::internal::CaptureStderr();
  log_info("job done id={} kind={}", 7, "tts");
  log_error("không kết nối được: {}", "máy chủ");
  auto out = ::testing::internal::GetCapturedStderr();
  std::regex line(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (info|error) .*$)");
  std::istringstream in(out);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 2u) << out;
  EXPECT_TRUE(std::regex_match(lines[0], line)) << lines[0];
  EXPECT_TRUE(lines[0].ends_with(" info job done id=7 kind=tts")) << lines[0];
  EXPECT_TRUE(lines[1].ends_with(" error không kết nối được: máy chủ")) << lines[1];
}

TEST_F(Log, LevelsBelowTheThresholdAreDropped) {
  set_log_level("warn");
  EXPECT_FALSE(log_enabled(LogLevel::Debug));
  EXPECT_FALSE(log_enabled(LogLevel::Info));
  EXPECT_TRUE(log_enabled(LogLevel::Warn));
  EXPECT_TRUE(log_enabled(LogLevel::Error));
  ::testing::internal::CaptureStderr();
  log_info("không hiện");
  log_debug("không hiện");
  log_warn("hiện");
  auto out = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(out.find("không hiện"), std::string::npos) << out;
  EXPECT_NE(out.find(" warn hiện"), std::string::npos) << out;
  set_log_level("error");
  EXPECT_FALSE(log_enabled(LogLevel::Warn));
  set_log_level("debug");
  EXPECT_TRUE(log_enabled(LogLevel::Debug));
}

}  // namespace
}  // namespace pbgdpl::core
