// The Markdown → HTML path editors' text takes to every page: hostile input (script and
// event-handler payloads, dangerous URLs, raw HTML) never reaches the output as markup.
#include "portal/markdown.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "portal/qr.h"

namespace pbgdpl::portal {
namespace {

// No element or attribute the allow-list does not produce.
void expect_inert(const std::string& html, const std::string& input) {
  std::string lower = html;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lower.find("<script"), std::string::npos) << input << "\n→ " << html;
  EXPECT_EQ(lower.find("<iframe"), std::string::npos) << input << "\n→ " << html;
  EXPECT_EQ(lower.find("<svg"), std::string::npos) << input << "\n→ " << html;
  EXPECT_EQ(lower.find("<style"), std::string::npos) << input << "\n→ " << html;
  // Such words may remain as visible text; never as an attribute value.
  EXPECT_EQ(lower.find("=\"javascript:"), std::string::npos) << input << "\n→ " << html;
  EXPECT_EQ(lower.find("=\"data:"), std::string::npos) << input << "\n→ " << html;
  EXPECT_EQ(lower.find("=\"vbscript:"), std::string::npos) << input << "\n→ " << html;
  // Every tag in the output is one we emit, with only our attributes.
  static const std::regex tag(R"(<\s*/?\s*([a-zA-Z0-9]+)([^>]*)>)");
  static const std::regex attr(R"re(\s+([a-zA-Z-]+)="[^"]*")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1].str();
    static const std::set<std::string> allowed = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                                                  "code", "em", "strong", "a", "img", "br", "hr"};
    EXPECT_TRUE(allowed.count(name)) << "tag <" << name << "> from " << input << "\n→ " << html;
    std::string attrs = (*it)[2].str();
    std::string rest = std::regex_replace(attrs, attr, "");
    EXPECT_TRUE(rest.find_first_not_of(" /") == std::string::npos) << "unquoted attribute in " << html;
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attr); a != std::sregex_iterator(); ++a) {
      static const std::set<std::string> ok = {"href", "title", "rel", "src", "alt", "loading", "start"};
      EXPECT_TRUE(ok.count((*a)[1].str())) << "attribute " << (*a)[1].str() << " in " << html;
    }
  }
}

TEST(Markdown, RendersTheUsualElements) {
  auto h = markdown_html("# Tiêu đề\n\nĐoạn **đậm** và *nghiêng*.\n\n- một\n- hai\n\n1. a\n2. b\n\n> trích\n\n`mã`");
  EXPECT_NE(h.find("<h2>Tiêu đề</h2>"), std::string::npos) << h;  // the page has the h1
  EXPECT_NE(h.find("<strong>đậm</strong>"), std::string::npos);
  EXPECT_NE(h.find("<em>nghiêng</em>"), std::string::npos);
  EXPECT_NE(h.find("<ul>\n<li>một</li>"), std::string::npos) << h;
  EXPECT_NE(h.find("<ol>"), std::string::npos);
  EXPECT_NE(h.find("<blockquote>"), std::string::npos);
  EXPECT_NE(h.find("<code>mã</code>"), std::string::npos);
  auto l = markdown_html("[Điều 3](/van-ban/nq-05/dieu-3) và [báo](https://baochi.example/a \"Nguồn\")");
  EXPECT_NE(l.find("<a href=\"/van-ban/nq-05/dieu-3\">Điều 3</a>"), std::string::npos) << l;
  EXPECT_NE(l.find("<a href=\"https://baochi.example/a\" title=\"Nguồn\" rel=\"nofollow noopener\">báo</a>"), std::string::npos) << l;
  auto img = markdown_html("![Sơ đồ các bước](/media/7/w800.webp)");
  EXPECT_NE(img.find("<img src=\"/media/7/w800.webp\" alt=\"Sơ đồ các bước\" loading=\"lazy\">"), std::string::npos) << img;
}

TEST(Markdown, HostilePayloadsComeOutInert) {
  const std::vector<std::string> payloads = {
      "<script>alert(1)</script>",
      "Chào <script>alert(1)</script> bạn",
      "<img src=x onerror=alert(1)>",
      "<a href=\"javascript:alert(1)\">bấm</a>",
      "[bấm](javascript:alert(1))",
      "[bấm](JaVaScRiPt:alert(1))",
      "[bấm](jav&#x09;ascript:alert(1))",
      "[bấm](&#106;avascript:alert(1))",
      "[bấm](data:text/html;base64,PHNjcmlwdD4=)",
      "[bấm](vbscript:msgbox(1))",
      "[bấm](//evil.example/x)",
      "![x](javascript:alert(1))",
      "![x](data:image/svg+xml,<svg onload=alert(1)>)",
      "![x\" onerror=\"alert(1)](/media/1/w800.webp)",
      "[a](https://ok.example/\" onmouseover=\"alert(1))",
      "[a](https://ok.example/ \"t\\\" onmouseover=\\\"alert(1)\")",
      "<iframe src=https://evil.example></iframe>",
      "<svg><script>alert(1)</script></svg>",
      "<style>body{display:none}</style>",
      "<div onclick=\"alert(1)\">x</div>",
      "```\n<script>alert(1)</script>\n```",
      "`<img src=x onerror=alert(1)>`",
      "<!-- <script>alert(1)</script> -->",
      "[x]: javascript:alert(1)\n\n[bấm][x]",
      "<details open ontoggle=alert(1)>",
      "**<b onmouseover=alert(1)>x</b>**",
  };
  for (const auto& p : payloads) {
    auto h = markdown_html(p);
    expect_inert(h, p);
  }
  // Escaped text stays visible: the reader sees what was typed, as text.
  EXPECT_NE(markdown_html("`<script>`").find("&lt;script&gt;"), std::string::npos);
  // A refused link keeps its words.
  EXPECT_NE(markdown_html("[bấm vào đây](javascript:alert(1))").find("bấm vào đây"), std::string::npos);
}

TEST(Markdown, InvalidUtf8AndControlBytesDoNotBreakIt) {
  std::string bad = "Xin chào \xC3\x28 \xFF\xFE và \x01\x02";
  auto h = markdown_html(bad);
  EXPECT_NE(h.find("Xin chào"), std::string::npos);
  expect_inert(h, "invalid utf-8");
}

TEST(Markdown, LinkAndImagePolicies) {
  EXPECT_TRUE(safe_link("/van-ban/x"));
  EXPECT_TRUE(safe_link("https://a.example"));
  EXPECT_TRUE(safe_link("mailto:stp@anhoa.example"));
  EXPECT_TRUE(safe_link("#muc-2"));
  EXPECT_FALSE(safe_link("//evil.example"));
  EXPECT_FALSE(safe_link("javascript:alert(1)"));
  EXPECT_FALSE(safe_link("java\tscript:alert(1)"));
  EXPECT_FALSE(safe_link("relative/path"));
  EXPECT_TRUE(safe_image("/media/3/w320.webp"));
  EXPECT_TRUE(safe_image("https://anh.example/a.png"));
  EXPECT_FALSE(safe_image("http://anh.example/a.png"));  // mixed content
  EXPECT_FALSE(safe_image("/static/../media"));
}

TEST(Markdown, PagesAndPlainText) {
  auto pages = split_pages("Trang một\n+++\nTrang hai\n  +++  \n\n+++\nTrang ba");
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0], "Trang một\n");
  EXPECT_EQ(pages[2], "Trang ba");
  EXPECT_EQ(split_pages("").size(), 1u);
  EXPECT_EQ(markdown_text("## Bước 1\n\nĐến **xã** nộp [hồ sơ](/a).\n\n- giấy chứng sinh"),
            "Bước 1.\nĐến xã nộp hồ sơ.\ngiấy chứng sinh");
  EXPECT_EQ(markdown_text("<script>alert(1)</script>"), "");
}

TEST(Qr, SvgOfAnAddress) {
  auto svg = qr_svg("https://pbgdpl.anhoa.example/tin-tuc/bai-viet-mau");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->rfind("<svg", 0), 0u);
  EXPECT_NE(svg->find("<path d=\"M"), std::string::npos);
  EXPECT_FALSE(qr_svg(std::string(5000, 'a')));
}

}  // namespace
}  // namespace pbgdpl::portal
