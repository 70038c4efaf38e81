#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "core/utf8.h"

namespace pbgdpl::core {
namespace {

bool has_non_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

TEST(ErrorCodes, EveryCodeHasAWireNameAStatusAndAVietnameseMessage) {
  const auto& all = all_error_codes();
  ASSERT_GE(all.size(), 10u);
  std::set<std::string_view> wires;
  for (auto c : all) {
    auto wire = error_wire(c);
    SCOPED_TRACE(std::string(wire));
    ASSERT_FALSE(wire.empty());
    for (char ch : wire) EXPECT_TRUE((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_') << "wire names are snake_case";
    EXPECT_TRUE(wires.insert(wire).second) << "duplicate wire name";
    int status = error_status(c);
    EXPECT_GE(status, 400);
    EXPECT_LT(status, 600);
    auto msg = error_default_message(c);
    EXPECT_FALSE(msg.empty());
    EXPECT_TRUE(utf8_valid(msg));
    EXPECT_TRUE(has_non_ascii(msg)) << "message without Vietnamese diacritics: " << msg;
    EXPECT_TRUE(msg.ends_with(".")) << "a full sentence: " << msg;
    Error e = Error::of(c);
    EXPECT_EQ(e.code, c);
    EXPECT_EQ(e.message, msg);
  }
}

TEST(ErrorCodes, StatusesThatClientsDependOn) {
  EXPECT_EQ(error_status(ErrorCode::BadRequest), 400);
  EXPECT_EQ(error_status(ErrorCode::Unauthorized), 401);
  EXPECT_EQ(error_status(ErrorCode::Forbidden), 403);
  EXPECT_EQ(error_status(ErrorCode::CsrfFailed), 403);
  EXPECT_EQ(error_status(ErrorCode::NotFound), 404);
  EXPECT_EQ(error_status(ErrorCode::Conflict), 409);
  EXPECT_EQ(error_status(ErrorCode::Validation), 422);
  EXPECT_EQ(error_status(ErrorCode::TooManyRequests), 429);
  EXPECT_EQ(error_status(ErrorCode::Internal), 500);
  EXPECT_EQ(error_status(ErrorCode::Unavailable), 503);
  EXPECT_EQ(error_wire(ErrorCode::NotFound), "not_found");
  EXPECT_EQ(error_wire(ErrorCode::Validation), "validation_failed");
}

TEST(Result, HoldsAValueOrAnError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(*ok, 7);
  Result<int> bad = Error::of(ErrorCode::NotFound, "Không có văn bản số 99.", "id");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::NotFound);
  EXPECT_EQ(bad.error().message, "Không có văn bản số 99.");
  EXPECT_EQ(bad.error().field, "id");
  Error taken = bad.take_error();
  EXPECT_EQ(taken.field, "id");
}

TEST(Result, MovesOnlyTypesAndStrings) {
  Result<std::unique_ptr<int>> p = std::make_unique<int>(5);
  ASSERT_TRUE(p.ok());
  std::unique_ptr<int> owned = std::move(p).value();
  EXPECT_EQ(*owned, 5);
  Result<std::string> s = std::string("Hà Nội");
  EXPECT_EQ(s->size(), std::string("Hà Nội").size());
}

Status step(bool fail) {
  if (fail) return Error::of(ErrorCode::Validation, "Bước lỗi.");
  return {};
}
Result<int> two_steps(bool fail_first, bool fail_second, int* reached) {
  PBGDPL_TRY(step(fail_first));
  ++*reached;
  PBGDPL_TRY(step(fail_second));
  ++*reached;
  return 42;
}

TEST(Result, TryPropagatesTheFirstErrorAndStops) {
  int reached = 0;
  auto a = two_steps(false, false, &reached);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, 42);
  EXPECT_EQ(reached, 2);
  reached = 0;
  auto b = two_steps(true, false, &reached);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().message, "Bước lỗi.");
  EXPECT_EQ(reached, 0);
  reached = 0;
  auto c = two_steps(false, true, &reached);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(reached, 1);
  Status st;
  EXPECT_TRUE(st.ok());
}

}  // namespace
}  // namespace pbgdpl::core
