#include "storage/backends.h"

#include <gtest/gtest.h>

namespace pbgdpl::storage {
namespace {

TEST(RewritePlaceholders, NumbersEachQuestionMarkInOrder) {
  EXPECT_EQ(rewrite_placeholders("SELECT * FROM t WHERE a = ? AND b IN (?, ?)"),
            "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)");
  EXPECT_EQ(rewrite_placeholders("INSERT INTO t VALUES (?,?)"), "INSERT INTO t VALUES ($1,$2)");
  EXPECT_EQ(rewrite_placeholders("SELECT 1"), "SELECT 1");
  EXPECT_EQ(rewrite_placeholders(""), "");
}

TEST(RewritePlaceholders, LeavesQuotedTextAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT '?' , ?"), "SELECT '?' , $1");
  EXPECT_EQ(rewrite_placeholders("SELECT 'Có phải không?' AS \"câu hỏi?\" WHERE x = ?"),
            "SELECT 'Có phải không?' AS \"câu hỏi?\" WHERE x = $1");
  // A doubled quote inside a string literal does not end it.
  EXPECT_EQ(rewrite_placeholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  // An unterminated literal swallows the rest (the server reports the syntax error).
  EXPECT_EQ(rewrite_placeholders("SELECT '?"), "SELECT '?");
}

TEST(RewritePlaceholders, LeavesLineCommentsAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT ? -- là gì?\nFROM t WHERE a = ?"), "SELECT $1 -- là gì?\nFROM t WHERE a = $2");
  EXPECT_EQ(rewrite_placeholders("SELECT ? -- cuối?"), "SELECT $1 -- cuối?");
  // A single dash is an operator, not a comment.
  EXPECT_EQ(rewrite_placeholders("SELECT ? - ?"), "SELECT $1 - $2");
}

TEST(RewritePlaceholders, LeavesBlockCommentsAlone) {
  EXPECT_EQ(rewrite_placeholders("SELECT /* tham số? */ ? FROM t"), "SELECT /* tham số? */ $1 FROM t");
  EXPECT_EQ(rewrite_placeholders("SELECT ? /* chưa đóng ?"), "SELECT $1 /* chưa đóng ?");
  EXPECT_EQ(rewrite_placeholders("SELECT ?/?"), "SELECT $1/$2");
}

TEST(RewritePlaceholders, ManyParametersGetMultiDigitNumbers) {
  std::string sql = "VALUES (";
  std::string want = "VALUES (";
  for (int i = 1; i <= 12; ++i) {
    sql += (i > 1 ? "," : "") + std::string("?");
    want += (i > 1 ? "," : "") + std::string("$") + std::to_string(i);
  }
  EXPECT_EQ(rewrite_placeholders(sql + ")"), want + ")");
}

}  // namespace
}  // namespace pbgdpl::storage
