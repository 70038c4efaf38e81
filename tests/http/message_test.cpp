#include "http/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace pbgdpl::http {
namespace {

using core::ErrorCode;

TEST(PercentDecode, DecodesEscapesInBothCases) {
  EXPECT_EQ(percent_decode("Lu%E1%BA%ADt%20%c4%91%E1%BA%A5t", false), "Luật đất");
  EXPECT_EQ(percent_decode("", false), "");
  EXPECT_EQ(percent_decode("%41", false), "A");
}

TEST(PercentDecode, RejectsBadEscapes) {
  for (const char* bad : {"%", "%4", "a%", "a%2", "%GG", "%4G", "%G4", "%%41", "%-1", "% 1"})
    EXPECT_FALSE(percent_decode(bad, false).has_value()) << bad;
}

TEST(PercentDecode, PlusIsSpaceOnlyInForms) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
}

TEST(PercentEncode, RoundTripsArbitraryBytes) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  auto enc = percent_encode(all);
  for (char c : enc)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_.~%").find(c) != std::string_view::npos);
  EXPECT_EQ(percent_decode(enc, true), all);
  EXPECT_EQ(percent_encode("Hòa bình"), "H%C3%B2a%20b%C3%ACnh");
}

TEST(ParseUrlencoded, KeepsOrderRepeatsAndEmptyValues) {
  auto f = parse_urlencoded("q=quy%E1%BB%81n+s%E1%BB%AD+d%E1%BB%A5ng&tag=a&tag=b&flag&empty=&&");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->get("q"), "quyền sử dụng");
  EXPECT_EQ(f->all("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(f->has("flag"));
  EXPECT_EQ(f->get("flag"), "");
  EXPECT_TRUE(f->has("empty"));
  EXPECT_FALSE(f->has("missing"));
  EXPECT_EQ(f->get("missing"), "");
  EXPECT_EQ(f->fields.size(), 5u);
}

TEST(ParseUrlencoded, ValueMayContainEqualsSign) {
  auto f = parse_urlencoded("next=/tim?q=a%3Db&x=1=2");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->get("next"), "/tim?q=a=b");
  EXPECT_EQ(f->get("x"), "1=2");
}

TEST(ParseUrlencoded, BadEscapeIs400InVietnamese) {
  auto f = parse_urlencoded("a=%ZZ");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::BadRequest);
  EXPECT_EQ(core::error_status(f.error().code), 400);
  EXPECT_NE(f.error().message.find("không hợp lệ"), std::string::npos);
  EXPECT_FALSE(parse_urlencoded("%=1").ok());
}

TEST(ParseUrlencoded, InvalidUtf8IsRejectedInNamesAndValues) {
  // Lone continuation, truncated sequence, overlong '/', surrogate, above U+10FFFF, 0xFF.
  for (const char* bad : {"a=%C3%28", "a=%C3", "a=%C0%AF", "a=%ED%A0%80", "a=%F4%90%80%80", "a=%FF", "%FF=1"}) {
    auto f = parse_urlencoded(bad);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.error().code, ErrorCode::InvalidUtf8) << bad;
    EXPECT_EQ(core::error_wire(f.error().code), "invalid_utf8");
    EXPECT_NE(f.error().message.find("UTF-8"), std::string::npos);
  }
}

TEST(ParseUrlencoded, TooManyFieldsIs413) {
  std::string s;
  for (int i = 0; i < 1001; ++i) s += "f" + std::to_string(i) + "=1&";
  auto f = parse_urlencoded(s);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(core::error_status(f.error().code), 413);
  EXPECT_NE(f.error().message.find("quá nhiều trường"), std::string::npos);
  // Exactly the limit is fine; empty parts between '&' do not count.
  EXPECT_TRUE(parse_urlencoded("a=1&&&b=2", 2).ok());
  EXPECT_FALSE(parse_urlencoded("a=1&b=2&c=3", 2).ok());
}

TEST(ParseUrlencoded, ControlCharactersInValuesAreKept) {
  // A textarea sent by GET may carry newlines; validation of content belongs to the module.
  auto f = parse_urlencoded("text=d%C3%B2ng+1%0D%0Ad%C3%B2ng+2");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->get("text"), "dòng 1\r\ndòng 2");
}

TEST(HtmlEscape, EscapesAllMarkupCharacters) {
  EXPECT_EQ(html_escape("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("Điều 5"), "Điều 5");
}

TEST(MakeCookie, HasSafeDefaults) {
  auto c = make_cookie("sid", "abc", true, 3600);
  EXPECT_EQ(c, "sid=abc; Path=/; SameSite=Lax; HttpOnly; Secure; Max-Age=3600");
  EXPECT_EQ(make_cookie("ui", "lg", false, -1, false), "ui=lg; Path=/; SameSite=Lax");
}

TEST(Request, CookieParsingTrimsAndFindsAcrossHeaders) {
  Request r;
  r.headers = {{"cookie", "a=1;  sid = xyz ; ui=lg"}, {"cookie", "csrf=t0k"}};
  EXPECT_EQ(r.cookie("sid"), "xyz");
  EXPECT_EQ(r.cookie("csrf"), "t0k");
  EXPECT_FALSE(r.cookie("si").has_value());
  EXPECT_FALSE(r.cookie("missing").has_value());
}

TEST(Request, WantsJsonForApiPathOrJsonOnlyAccept) {
  Request r;
  r.path = "/api/v1/accounts/me";
  EXPECT_TRUE(r.wants_json());
  r.path = "/don-vi";
  EXPECT_FALSE(r.wants_json());
  r.headers = {{"accept", "application/json"}};
  EXPECT_TRUE(r.wants_json());
  r.headers = {{"accept", "text/html,application/xhtml+xml,application/json;q=0.9"}};
  EXPECT_FALSE(r.wants_json()) << "browsers that also accept JSON get HTML";
  r.path = "/apiary";
  r.headers.clear();
  EXPECT_FALSE(r.wants_json());
}

TEST(Request, FormRejectsOtherContentTypes) {
  Request r;
  r.body = "a=1";
  r.headers = {{"content-type", "multipart/form-data; boundary=x"}};
  auto f = r.form();
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(core::error_status(f.error().code), 415);
  r.headers = {{"content-type", "application/x-www-form-urlencoded; charset=UTF-8"}};
  ASSERT_TRUE(r.form().ok());
  EXPECT_EQ(r.form()->get("a"), "1");
}

TEST(Request, JsonBodyErrorsAreVietnamese400s) {
  Request r;
  r.headers = {{"content-type", "application/json"}};
  r.body = "{\"a\": 1";
  auto j = r.json();
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(core::error_status(j.error().code), 400);
  EXPECT_NE(j.error().message.find("JSON"), std::string::npos);
  r.body = "{\"a\": \"\xC3\x28\"}";
  ASSERT_FALSE(r.json().ok());
  EXPECT_EQ(r.json().error().code, ErrorCode::InvalidUtf8);
  r.body = "{\"tên\": \"Sở Tư pháp\"}";
  auto ok = r.json();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["tên"], "Sở Tư pháp");
  r.headers = {{"content-type", "text/plain"}};
  EXPECT_EQ(core::error_status(r.json().error().code), 415);
}

TEST(Request, ParamIntOfNonNumberIsZero) {
  Request r;
  r.params["id"] = "123";
  r.params["bad"] = "x";
  EXPECT_EQ(r.param_int("id"), 123);
  EXPECT_EQ(r.param_int("bad"), 0);
  EXPECT_EQ(r.param_int("none"), 0);
  EXPECT_EQ(r.param("none"), "");
}

TEST(Response, JsonErrorShape) {
  auto res = Response::json_error(core::Error::of(ErrorCode::Validation, "Tên không được để trống.", "name"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.content_type, "application/json");
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["error"]["code"], "validation_failed");
  EXPECT_EQ(j["error"]["message"], "Tên không được để trống.");
  EXPECT_EQ(j["error"]["field"], "name");
}

TEST(Response, JsonNeverThrowsOnInvalidUtf8) {
  auto res = Response::json({{"x", std::string("a\xFF" "b")}});
  EXPECT_TRUE(core::utf8_valid(res.body));
  EXPECT_NE(res.body.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

TEST(Response, SetHeaderReplaces) {
  Response r;
  r.set_header("x-a", "1");
  r.set_header("x-a", "2");
  r.add_cookie("a=1");
  r.add_cookie("b=2");
  EXPECT_EQ(r.header("x-a"), "2");
  int cookies = 0;
  for (const auto& [k, v] : r.headers) cookies += k == "set-cookie";
  EXPECT_EQ(cookies, 2);
}

}  // namespace
}  // namespace pbgdpl::http
