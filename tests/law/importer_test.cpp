// Readers behind `pbgdpl library import`, on files this test writes itself: plain text,
// Markdown, HTML, a DOCX built with libzip, a PDF written by hand (with a ToUnicode map so
// Vietnamese letters survive), the pbgdpl.law/1 JSON exchange format, and the ALQAC corpus.
// Bad files get an error naming the file and, where there is one, the line.
#include "law/importer.h"

#include <gtest/gtest.h>
#include <unicode/unistr.h>
#include <zip.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "fixture.h"
#include "law/tree.h"
#include "support.h"

namespace pbgdpl::law {
namespace {

using pbgdpl::testing::TempDir;

std::string write(const TempDir& dir, const std::string& name, const std::string& bytes) {
  auto p = dir.path() / name;
  std::ofstream(p, std::ios::binary) << bytes;
  return p.string();
}

std::vector<ImportInput> read_ok(const std::string& path, const ImportOptions& o = {}) {
  auto r = read_import_file(path, o);
  EXPECT_TRUE(r.ok()) << path << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : std::vector<ImportInput>{};
}

std::string read_error(const std::string& path, const ImportOptions& o = {}) {
  auto r = read_import_file(path, o);
  EXPECT_FALSE(r.ok()) << path << " should be refused";
  return r.ok() ? "" : r.error().message;
}

std::vector<std::string> article_titles(const ImportInput& in) {
  std::vector<std::string> out;
  for (const auto* a : articles(in.parsed)) out.push_back(a->number + ". " + a->title);
  return out;
}

const std::vector<std::string> kDecreeArticles = {"1. Tủ sách nông thôn", "2. Kinh phí"};

// A DOCX with one <w:p> per line (libzip; the XML is the part of the format we read).
std::string make_docx(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
  size_t start = 0;
  while (start <= text.size()) {
    auto nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    std::string esc;
    for (char c : line) esc += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
    // Split each line into two runs, as Word does around formatting changes.
    size_t half = esc.size() / 2;
    while (half < esc.size() && (static_cast<unsigned char>(esc[half]) & 0xC0) == 0x80) ++half;
    if (esc.find('&') != std::string::npos) half = esc.size();
    xml += "<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">" +
           esc.substr(0, half) + "</w:t></w:r><w:r><w:t>" + esc.substr(half) + "</w:t></w:r></w:p>";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  xml += "<w:sectPr/></w:body></w:document>";
  std::string path = (dir.path() / name).string();
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  if (!z) return path;
  auto add = [&](const char* entry, const std::string& content) {
    // libzip reads the buffer at zip_close: keep it alive in a static list for the test's life.
    static std::vector<std::unique_ptr<std::string>> keep;
    keep.push_back(std::make_unique<std::string>(content));
    zip_source_t* s = zip_source_buffer(z, keep.back()->data(), keep.back()->size(), 0);
    EXPECT_GE(zip_file_add(z, entry, s, ZIP_FL_ENC_UTF_8), 0);
  };
  add("[Content_Types].xml",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" "
      "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
  add("word/document.xml", xml);
  EXPECT_EQ(zip_close(z), 0);
  return path;
}

// A one-page PDF whose text is drawn with Helvetica through one-byte codes; a ToUnicode
// CMap maps the codes back to Unicode (as real Vietnamese PDFs do), so text extraction
// gives back exactly the input lines.
std::string make_pdf(const TempDir& dir, const std::string& name, const std::vector<std::string>& lines) {
  std::map<UChar32, int> code;  // code point → byte
  int next = 0x80;
  std::string content = "BT /F1 10 Tf 13 TL 40 800 Td\n";
  for (const auto& line : lines) {
    auto u = icu::UnicodeString::fromUTF8(line);
    std::string hex;
    for (int32_t i = 0; i < u.length();) {
      UChar32 c = u.char32At(i);
      i += U16_LENGTH(c);
      int b = c >= 0x20 && c < 0x7F ? static_cast<int>(c) : 0;
      if (!b) {
        auto it = code.find(c);
        if (it == code.end()) it = code.emplace(c, next++).first;
        b = it->second;
      }
      char buf[3];
      std::snprintf(buf, sizeof buf, "%02X", b);
      hex += buf;
    }
    content += "<" + hex + "> Tj T*\n";
  }
  content += "ET\n";
  EXPECT_LE(next, 0x100) << "too many distinct letters for one simple font";
  std::vector<std::string> bfchar;
  for (int c = 0x20; c < 0x7F; ++c) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "<%02X> <%04X>", c, c);
    bfchar.emplace_back(buf);
  }
  for (const auto& [cp, b] : code) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "<%02X> <%04X>", b, static_cast<unsigned>(cp));
    bfchar.emplace_back(buf);
  }
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n";
  for (size_t i = 0; i < bfchar.size(); i += 100) {
    size_t n = std::min<size_t>(100, bfchar.size() - i);
    cmap += std::to_string(n) + " beginbfchar\n";
    for (size_t k = i; k < i + n; ++k) cmap += bfchar[k] + "\n";
    cmap += "endbfchar\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  std::string widths = "[";
  for (int c = 32; c <= 255; ++c) widths += "520 ";
  widths += "]";
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 255 /Widths " + widths +
          " /ToUnicode 6 0 R >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
      "<< /Length " + std::to_string(cmap.size()) + " >>\nstream\n" + cmap + "endstream",
  };
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    pdf += buf;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return write(dir, name, pdf);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

TEST(Importer, PlainTextWithHeader) {
  TempDir dir;
  auto docs = read_ok(write(dir, "nghi-dinh.txt", testdata::kDecree));
  ASSERT_EQ(docs.size(), 1u);
  const auto& d = docs[0];
  EXPECT_EQ(article_titles(d), kDecreeArticles);
  EXPECT_EQ(d.meta.doc_type, "nghi_dinh");
  EXPECT_EQ(d.meta.number, "31/2025/NĐ-CP");
  EXPECT_EQ(d.meta.issuer, "CHÍNH PHỦ");
  EXPECT_EQ(d.meta.issued_on, "2025-07-01");
  EXPECT_EQ(d.meta.title, "Nghị định quy định chi tiết về tủ sách nông thôn");
  EXPECT_EQ(d.source_key, "file:nghi-dinh.txt");
  EXPECT_EQ(d.source_text, testdata::kDecree);
  // Without a header: the file name is the title.
  docs = read_ok(write(dir, "Quy chế thư viện.txt", "Điều 1. Giờ mở cửa\nThư viện mở cửa từ 7 giờ.\n"));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].meta.title, "Quy chế thư viện");
  EXPECT_TRUE(validate_meta(docs[0].meta).ok());
  // --status overrides the effect status.
  ImportOptions o;
  o.status = "het_hieu_luc";
  docs = read_ok(write(dir, "cu.txt", testdata::kDecree), o);
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].meta.status, "het_hieu_luc");
}

TEST(Importer, MarkdownAndHtml) {
  TempDir dir;
  auto md = read_ok(write(dir, "tu-sach.md",
                          "# NGHỊ ĐỊNH\n\n## Điều 1. Tủ sách nông thôn\n\nMỗi xã có **ít nhất một** tủ sách.\n\n"
                          "## Điều 2. Kinh phí\n\n> Kinh phí do ngân sách cấp tỉnh bảo đảm.\n"));
  ASSERT_EQ(md.size(), 1u);
  EXPECT_EQ(article_titles(md[0]), kDecreeArticles);
  auto arts = articles(md[0].parsed);
  EXPECT_NE(arts[0]->text.find("Mỗi xã có ít nhất một tủ sách."), std::string::npos) << arts[0]->text;
  EXPECT_EQ(arts[0]->text.find("**"), std::string::npos);

  auto html = read_ok(write(dir, "tu-sach.html",
                            "<!doctype html><html><head><title>x</title><style>p{color:red}</style>"
                            "<script>var s = '<p>Điều 9. Giả</p>';</script></head><body>"
                            "<p><b>Điều 1.</b> Tủ sách nông thôn</p><p>Mỗi xã có tủ sách &amp; góc đọc&nbsp;sách "
                            "&#7889;c &#x1EA1;.</p><div>Điều 2. Kinh phí</div><p>Ngân sách cấp tỉnh.<br>Hết.</p>"
                            "</body></html>"));
  ASSERT_EQ(html.size(), 1u);
  EXPECT_EQ(article_titles(html[0]), kDecreeArticles);
  arts = articles(html[0].parsed);
  EXPECT_NE(arts[0]->text.find("tủ sách & góc đọc sách ốc ạ."), std::string::npos) << arts[0]->text;
  EXPECT_EQ(arts[0]->text.find("color"), std::string::npos);
  for (const auto* a : arts) EXPECT_NE(a->number, "9") << "script content is not text";
  EXPECT_EQ(html_to_text("<P>a</P><BR/>b"), "\na\n\nb");
}

TEST(Importer, DocxBuiltWithLibzip) {
  TempDir dir;
  auto docs = read_ok(make_docx(dir, "nghi-dinh.docx", testdata::kDecree));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(article_titles(docs[0]), kDecreeArticles);
  EXPECT_EQ(docs[0].meta.number, "31/2025/NĐ-CP");
  EXPECT_EQ(docs[0].meta.title, "Nghị định quy định chi tiết về tủ sách nông thôn");
  // Entities inside runs are decoded.
  docs = read_ok(make_docx(dir, "hngd.docx", "Điều 1. Hôn nhân & gia đình\nLuật HN&GĐ <2014>."));
  ASSERT_EQ(docs.size(), 1u);
  auto arts = articles(docs[0].parsed);
  ASSERT_EQ(arts.size(), 1u);
  EXPECT_EQ(arts[0]->title, "Hôn nhân & gia đình");
  EXPECT_EQ(arts[0]->text, "Luật HN&GĐ <2014>.");
  // Not a zip, or a zip without word/document.xml.
  EXPECT_NE(read_error(write(dir, "hong.docx", "PK\x03\x04 không phải zip")).find("hong.docx"), std::string::npos);
  {
    std::string path = (dir.path() / "rong.docx").string();
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    ASSERT_NE(z, nullptr);
    static const char kText[] = "x";
    zip_file_add(z, "khac.txt", zip_source_buffer(z, kText, 1, 0), 0);
    ASSERT_EQ(zip_close(z), 0);
    EXPECT_NE(read_error(path).find("word/document.xml"), std::string::npos);
  }
}

TEST(Importer, PdfWithATextLayer) {
  TempDir dir;
  auto docs = read_ok(make_pdf(dir, "nghi-dinh.pdf", lines_of(testdata::kDecree)));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(article_titles(docs[0]), kDecreeArticles);
  EXPECT_EQ(docs[0].meta.number, "31/2025/NĐ-CP");
  EXPECT_EQ(docs[0].meta.issued_on, "2025-07-01");
  auto arts = articles(docs[0].parsed);
  ASSERT_EQ(arts.size(), 2u);
  EXPECT_EQ(arts[1]->text, "Kinh phí mua sách do ngân sách cấp tỉnh bảo đảm.");
  // A broken PDF and a PDF without text (a scan) are refused with the reason.
  EXPECT_NE(read_error(write(dir, "hong.pdf", "%PDF-1.4\nrác")).find("PDF"), std::string::npos);
  EXPECT_NE(read_error(make_pdf(dir, "scan.pdf", {})).find("lớp chữ"), std::string::npos);
}

TEST(Importer, ExchangeJson) {
  TempDir dir;
  nlohmann::json j = {
      {"format", "pbgdpl.law/1"},
      {"documents",
       {{{"title", "Nghị định về tủ sách nông thôn"},
         {"doc_type", "nghi_dinh"},
         {"number", "31/2025/NĐ-CP"},
         {"issued_on", "2025-07-01"},
         {"status", "het_hieu_luc_mot_phan"},
         {"field", "Văn hóa"},
         {"source_key", "bo-tu-phap:31-2025"},
         {"valid_from", "2025-08-01"},
         {"text", "Điều 1. Tủ sách nông thôn\nMỗi xã có một tủ sách.\nĐiều 2. Kinh phí\nNgân sách tỉnh."}},
        {{"title", "Luật thư viện cộng đồng"},
         {"body", tree_to_json(parse_text(testdata::kLawV1).body)},
         {"preamble", "Căn cứ Hiến pháp;"}}}}};
  auto docs = read_ok(write(dir, "trao-doi.json", j.dump(2)));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(article_titles(docs[0]), kDecreeArticles);
  EXPECT_EQ(docs[0].meta.status, "het_hieu_luc_mot_phan");
  EXPECT_EQ(docs[0].meta.field, "Văn hóa");
  EXPECT_EQ(docs[0].source_key, "bo-tu-phap:31-2025");
  EXPECT_EQ(docs[0].valid_from, "2025-08-01");
  EXPECT_EQ(docs[1].meta.doc_type, "luat");
  EXPECT_EQ(articles(docs[1].parsed).size(), 3u);
  EXPECT_EQ(docs[1].parsed.preamble, "Căn cứ Hiến pháp;");
  EXPECT_FALSE(docs[1].source_key.empty());

  // Malformed JSON: the line is named.
  auto msg = read_error(write(dir, "hong.json", "{\n  \"format\": \"pbgdpl.law/1\",\n  \"documents\": [\n    {\"title\": }\n  ]\n}\n"));
  EXPECT_NE(msg.find("hong.json"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dòng 4"), std::string::npos) << msg;
  // Wrong format tag, a document without text, invalid metadata.
  EXPECT_NE(read_error(write(dir, "khac.json", R"({"format": "other", "documents": []})")).find("pbgdpl.law/1"),
            std::string::npos);
  msg = read_error(write(dir, "thieu.json", R"({"format": "pbgdpl.law/1", "documents": [{"title": "Không có nội dung"}]})"));
  EXPECT_NE(msg.find("văn bản thứ 1"), std::string::npos) << msg;
  msg = read_error(write(dir, "ngay.json",
                         R"({"format": "pbgdpl.law/1", "documents": [{"title": "Tủ sách", "text": "Điều 1. A\nB"},)"
                         R"({"title": "Tủ sách 2", "issued_on": "01/07/2025", "text": "Điều 1. A\nB"}]})"));
  EXPECT_NE(msg.find("văn bản thứ 2"), std::string::npos) << msg;
  EXPECT_NE(msg.find("NNNN-TT-NN"), std::string::npos) << msg;
}

TEST(Importer, BadFilesNameTheLine) {
  TempDir dir;
  auto msg = read_error(write(dir, "latin1.txt", "Điều 1. Phạm vi\nNội dung\nDi\xe1u 2. Sai m\xe3 ho\xe1\n"));
  EXPECT_NE(msg.find("latin1.txt"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dòng 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("UTF-8"), std::string::npos) << msg;
  msg = read_error(write(dir, "latin1.json", "{\"format\": \"pbgdpl.law/1\",\n\"documents\": [\n{\"title\": \"T\xe0i\"}]}"));
  EXPECT_NE(msg.find("dòng 3"), std::string::npos) << msg;
  msg = read_error(write(dir, "latin1.md", "# Tiêu đề\n\n\xff\n"));
  EXPECT_NE(msg.find("dòng 3"), std::string::npos) << msg;

  msg = read_error(write(dir, "thu.txt", "Kính gửi các đơn vị,\nĐề nghị các đơn vị báo cáo trước ngày 15.\n"));
  EXPECT_NE(msg.find("không tìm thấy Điều"), std::string::npos) << msg;
  EXPECT_NE(read_error(write(dir, "rong.html", "<html><body><p>Không có điều nào.</p></body></html>")).find("Điều"),
            std::string::npos);
  EXPECT_NE(read_error((dir.path() / "khong-co.txt").string()).find("không tìm thấy tệp"), std::string::npos);
  EXPECT_NE(read_error(write(dir, "bang.xlsx", "x")).find("định dạng"), std::string::npos);
}

TEST(Importer, ExpandWalksFoldersInOrderAndSkipsUnknownFiles) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "b");
  write(dir, "b/2.txt", "Điều 1. A\nB");
  write(dir, "a.md", "Điều 1. A\nB");
  write(dir, "c.png", "x");
  write(dir, "b/1.docx", "x");
  auto files = expand_import_paths({dir.str()}, {});
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(std::filesystem::path(f).lexically_relative(dir.path()).string());
  EXPECT_EQ(names, (std::vector<std::string>{"a.md", "b/1.docx", "b/2.txt"}));
}

TEST(Importer, AlqacCorpus) {
  auto path = pbgdpl::testing::shared_data() / "alqac2024" / "law.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  ImportOptions o;
  o.format = "alqac";
  auto docs = read_ok(path.string(), o);
  ASSERT_EQ(docs.size(), 17u);
  size_t n = 0;
  std::set<std::string> keys;
  for (const auto& d : docs) {
    n += flatten(d.parsed.body).size();
    keys.insert(d.source_key);
    EXPECT_TRUE(validate_meta(d.meta).ok()) << d.meta.title;
  }
  EXPECT_EQ(n, 2249u);
  EXPECT_EQ(keys.size(), 17u) << "one identity per law";
  bool civil = false;
  for (const auto& d : docs) civil |= d.meta.title == "Bộ luật dân sự" && d.meta.doc_type == "bo_luat";
  EXPECT_TRUE(civil);
  // Without --format the same file is not the exchange format.
  EXPECT_NE(read_error(path.string()).find("pbgdpl.law/1"), std::string::npos);
}

}  // namespace
}  // namespace pbgdpl::law
