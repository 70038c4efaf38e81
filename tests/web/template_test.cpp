#include "web/template.h"

#include <gtest/gtest.h>

#include "core/assets.h"

namespace pbgdpl::web {
namespace {

using nlohmann::json;

// Renders one template (plus optional partials) against data; fails the test on a parse error.
std::string render(std::string_view src, const json& data, std::vector<std::pair<std::string, std::string>> partials = {}) {
  Templates t;
  for (const auto& [name, body] : partials) {
    auto st = t.add(name, body);
    EXPECT_TRUE(st.ok()) << name << ": " << st.error().message;
  }
  auto st = t.add("main", src);
  EXPECT_TRUE(st.ok()) << st.error().message;
  return t.render("main", data);
}

std::string parse_error(std::string_view src) {
  auto r = Template::parse("hỏng", src);
  if (r.ok()) return "";
  return r.error().message;
}

TEST(Template, VariablesAreHtmlEscaped) {
  json d = {{"x", "<script>alert(\"xin chào\")</script> & 'bạn'"}};
  EXPECT_EQ(render("<p title=\"{{x}}\">{{x}}</p>", d),
            "<p title=\"&lt;script&gt;alert(&quot;xin chào&quot;)&lt;/script&gt; &amp; &#39;bạn&#39;\">"
            "&lt;script&gt;alert(&quot;xin chào&quot;)&lt;/script&gt; &amp; &#39;bạn&#39;</p>");
}

TEST(Template, TripleAndAmpersandAreRaw) {
  json d = {{"html", "<b>Điều 1</b> &amp;"}};
  EXPECT_EQ(render("{{{html}}}|{{& html}}|{{html}}", d),
            "<b>Điều 1</b> &amp;|<b>Điều 1</b> &amp;|&lt;b&gt;Điều 1&lt;/b&gt; &amp;amp;");
}

TEST(Template, ScalarsMissingAndNull) {
  json d = {{"n", 42}, {"f", 2.5}, {"yes", true}, {"no", false}, {"nothing", nullptr}, {"s", "Hà Nội"}};
  EXPECT_EQ(render("[{{n}}][{{f}}][{{yes}}][{{no}}][{{nothing}}][{{missing}}][{{ s }}]", d),
            "[42][2.5][true][][][][Hà Nội]");
}

TEST(Template, SectionsOverListsRepeat) {
  json d = {{"docs", {{{"so", "91/2015/QH13"}}, {{"so", "15/2020/NĐ-CP"}}}}, {"tags", {"đất đai", "<nhà ở>"}}};
  EXPECT_EQ(render("<ul>{{#docs}}<li>{{so}}</li>{{/docs}}</ul>", d),
            "<ul><li>91/2015/QH13</li><li>15/2020/NĐ-CP</li></ul>");
  EXPECT_EQ(render("{{#tags}}({{.}}){{/tags}}", d), "(đất đai)(&lt;nhà ở&gt;)");
  EXPECT_EQ(render("a{{#empty}}x{{/empty}}b", json{{"empty", json::array()}}), "ab");
}

TEST(Template, SectionsOverObjectsEnterThem) {
  json d = {{"org", {{"name", "Sở Tư pháp"}, {"parent", {{"name", "UBND tỉnh"}}}}}};
  EXPECT_EQ(render("{{#org}}{{name}} — {{#parent}}{{name}}{{/parent}}{{/org}}", d), "Sở Tư pháp — UBND tỉnh");
  EXPECT_EQ(render("{{#e}}x{{/e}}", json{{"e", json::object()}}), "");
}

TEST(Template, SectionsOverBooleansAndScalars) {
  json d = {{"on", true}, {"off", false}, {"zero", 0}, {"empty", ""}, {"name", "An"}, {"count", 3}};
  EXPECT_EQ(render("{{#on}}bật{{/on}}{{#off}}tắt{{/off}}{{#zero}}0{{/zero}}{{#empty}}e{{/empty}}", d), "bật");
  // Inside a truthy scalar section {{.}} is that value and names still reach outer scopes.
  EXPECT_EQ(render("{{#name}}Chào {{.}}!{{/name}}", d), "Chào An!");
  EXPECT_EQ(render("{{#count}}{{.}} mục, bật={{on}}{{/count}}", d), "3 mục, bật=true");
}

TEST(Template, InvertedSections) {
  json d = {{"docs", json::array()}, {"on", true}, {"list", {1}}};
  EXPECT_EQ(render("{{^docs}}Chưa có văn bản.{{/docs}}", d), "Chưa có văn bản.");
  EXPECT_EQ(render("{{^missing}}không có{{/missing}}", d), "không có");
  EXPECT_EQ(render("{{^on}}x{{/on}}{{^list}}y{{/list}}", d), "");
}

TEST(Template, DottedNames) {
  json d = {{"a", {{"b", {{"c", "sâu"}}}}}, {"x", {{"y", 1}}}, {"c", "ngoài"}};
  EXPECT_EQ(render("{{a.b.c}}|{{a.b.missing}}|{{a.missing.c}}|{{nope.c}}", d), "sâu|||");
  // Once the first part resolves, the rest must resolve inside it: no fallback outward.
  EXPECT_EQ(render("{{#x}}{{a.b.c}}{{x.y}}{{/x}}", d), "sâu1");
  EXPECT_EQ(render("{{#a.b}}{{c}}{{/a.b}}", d), "sâu");
}

TEST(Template, ListItemsSeeTheParentContext) {
  json d = {{"site", "Cổng PBGDPL"}, {"title", "gốc"},
            {"items", {{{"title", "Bài 1"}}, {{"title", "Bài 2"}, {"site", "riêng"}}}}};
  EXPECT_EQ(render("{{#items}}[{{title}}@{{site}}]{{/items}}{{title}}", d), "[Bài 1@Cổng PBGDPL][Bài 2@riêng]gốc");
}

TEST(Template, PartialsUseTheCurrentContext) {
  json d = {{"user", {{"name", "Nguyễn Văn <A>"}}}, {"title", "Trang chủ"}};
  EXPECT_EQ(render("<h1>{{title}}</h1>{{#user}}{{> badge}}{{/user}}{{>missing}}!", d,
                   {{"badge", "<span>{{name}} ({{title}})</span>"}}),
            "<h1>Trang chủ</h1><span>Nguyễn Văn &lt;A&gt; (Trang chủ)</span>!");
}

TEST(Template, RecursivePartialsRenderTrees) {
  // Leaves say "sub": false explicitly; a missing key would be looked up in the parent.
  json tree = {{"name", "Tỉnh"},
               {"sub",
                {{"children",
                  {{{"name", "Sở Tư pháp"}, {"sub", false}},
                   {{"name", "Huyện A"}, {"sub", {{"children", {{{"name", "Xã B"}, {"sub", false}}}}}}}}}}}};
  EXPECT_EQ(render("<ul>{{>node}}</ul>", tree,
                   {{"node", "<li>{{name}}{{#sub}}<ul>{{#children}}{{>node}}{{/children}}</ul>{{/sub}}</li>"}}),
            "<ul><li>Tỉnh<ul><li>Sở Tư pháp</li><li>Huyện A<ul><li>Xã B</li></ul></li></ul></li></ul>");
}

TEST(Template, RecursionGuardStopsRunawayPartials) {
  Templates t;
  ASSERT_TRUE(t.add("self", "[{{>self}}]").ok());
  auto out = t.render("self", json::object());
  // Depth 0..32 render; deeper partials are dropped instead of overflowing the stack.
  EXPECT_EQ(out, std::string(33, '[') + std::string(33, ']'));
  ASSERT_TRUE(t.add("ping", "a{{>pong}}").ok());
  ASSERT_TRUE(t.add("pong", "b{{>ping}}").ok());
  EXPECT_EQ(t.render("ping", json::object()).size(), 33u);
}

TEST(Template, CommentsAndWhitespaceInTags) {
  json d = {{"list", {1, 2}}, {"x", "y"}};
  EXPECT_EQ(render("a{{! ghi chú {x} }}b{{# list }}{{ . }}{{/ list }}{{ x }}", d), "ab12y");
  EXPECT_EQ(render("{{}}z", d), "z");
  EXPECT_EQ(render("giá {100} và }} và {x}", d), "giá {100} và }} và {x}");
}

TEST(Template, ParseErrorsAreErrorsNeverCrashes) {
  EXPECT_NE(parse_error("{{#docs}}<li>"), "");
  EXPECT_NE(parse_error("{{#docs}}<li>").find("docs"), std::string::npos);
  EXPECT_NE(parse_error("{{#a}}{{#b}}{{/a}}{{/b}}"), "");
  EXPECT_NE(parse_error("{{/a}}"), "");
  EXPECT_NE(parse_error("{{^a}}"), "");
  EXPECT_NE(parse_error("xin {{chào"), "");
  EXPECT_NE(parse_error("{{{raw}}"), "");
  EXPECT_NE(parse_error("{{"), "");
  EXPECT_NE(parse_error("{{#a}}{{/a"), "");
  EXPECT_EQ(parse_error(""), "");
  EXPECT_EQ(parse_error("không có thẻ nào"), "");
  EXPECT_NE(parse_error("{{#a}}").find("hỏng"), std::string::npos) << "the template name is in the message";

  // A template that failed to parse is not added; rendering it is the missing-template comment.
  Templates t;
  auto st = t.add("bad", "{{#x}}");
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(t.has("bad"));
  EXPECT_EQ(t.render("bad", json::object()), "<!-- missing template bad -->");
  EXPECT_EQ(t.render("<x>", json::object()), "<!-- missing template &lt;x&gt; -->");
}

TEST(Template, LoadEmbeddedNamesTemplatesWithoutPrefixAndExtension) {
  core::register_asset("t_tpl/templates/page.html", "<main>{{> _item}}</main>");
  core::register_asset("t_tpl/templates/_item.html", "<p>{{ten}}</p>");
  Templates t;
  ASSERT_TRUE(t.load_embedded("t_tpl/templates/").ok());
  EXPECT_TRUE(t.has("page"));
  EXPECT_TRUE(t.has("_item"));
  EXPECT_FALSE(t.has("page.html"));
  EXPECT_EQ(t.render("page", json{{"ten", "Xã Hòa Bình"}}), "<main><p>Xã Hòa Bình</p></main>");

  // One broken file fails the load with its name, at startup.
  core::register_asset("t_tpl_bad/templates/ok.html", "ok");
  core::register_asset("t_tpl_bad/templates/broken.html", "{{#x}}");
  Templates u;
  auto st = u.load_embedded("t_tpl_bad/templates/");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("broken"), std::string::npos) << st.error().message;
}

TEST(Template, ReplacingATemplateKeepsTheNewOne) {
  Templates t;
  ASSERT_TRUE(t.add("a", "một").ok());
  ASSERT_TRUE(t.add("a", "hai").ok());
  EXPECT_TRUE(t.has("a"));
  EXPECT_EQ(t.render("a", json::object()), "hai");
}

}  // namespace
}  // namespace pbgdpl::web
