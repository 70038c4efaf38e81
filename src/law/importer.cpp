#include "law/importer.h"

#include <poppler-document.h>
#include <poppler-page.h>
#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/utf8.h"
#include "law/tree.h"
#include "text/normalize.h"

namespace pbgdpl::law {

using core::Error;
using core::ErrorCode;
namespace fs = std::filesystem;

namespace {

Error bad(const std::string& path, const std::string& why) {
  return Error::of(ErrorCode::Validation, fs::path(path).filename().string() + ": " + why, "file");
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of(ErrorCode::NotFound, "không mở được tệp " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Line of the first invalid UTF-8 byte, or 0.
int bad_utf8_line(std::string_view s) {
  int line = 1;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '\n') {
      if (!core::utf8_valid(s.substr(start, i - start))) return line;
      ++line;
      start = i + 1;
    }
  }
  return 0;
}

void decode_entities(std::string& s) { s = core::decode_char_refs(s); }

Result<std::string> docx_text(const std::string& path) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z) return bad(path, "không phải tệp DOCX hợp lệ (không đọc được nén zip)");
  zip_stat_t st;
  if (zip_stat(z, "word/document.xml", 0, &st) != 0 || st.size > (64u << 20)) {
    zip_close(z);
    return bad(path, "tệp DOCX thiếu word/document.xml hoặc quá lớn");
  }
  zip_file_t* f = zip_fopen(z, "word/document.xml", 0);
  std::string xml(st.size, '\0');
  zip_int64_t n = f ? zip_fread(f, xml.data(), st.size) : -1;
  if (f) zip_fclose(f);
  zip_close(z);
  if (n != static_cast<zip_int64_t>(st.size)) return bad(path, "tệp DOCX bị hỏng");
  // Paragraphs (<w:p>) become lines; text runs (<w:t>) their content; tabs and breaks spaces.
  std::string out;
  size_t i = 0;
  while (i < xml.size()) {
    auto lt = xml.find('<', i);
    if (lt == std::string::npos) break;
    auto gt = xml.find('>', lt);
    if (gt == std::string::npos) break;
    std::string_view tag(xml.data() + lt + 1, gt - lt - 1);
    if (tag.starts_with("w:t") && (tag.size() == 3 || tag[3] == ' ')) {
      auto close = xml.find("</w:t>", gt);
      if (close == std::string::npos) break;
      std::string t = xml.substr(gt + 1, close - gt - 1);
      decode_entities(t);
      out += t;
      i = close + 6;
      continue;
    }
    if (tag == "/w:p") out += '\n';
    else if (tag.starts_with("w:tab") || tag.starts_with("w:br")) out += ' ';
    i = gt + 1;
  }
  return out;
}

Result<std::string> pdf_text(const std::string& path) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (!doc || doc->is_locked()) return bad(path, "không đọc được tệp PDF (hỏng hoặc có mật khẩu)");
  std::string out;
  for (int p = 0; p < doc->pages(); ++p) {
    std::unique_ptr<poppler::page> page(doc->create_page(p));
    if (!page) continue;
    auto bytes = page->text().to_utf8();
    // poppler ends a page with a form feed: a line break here, not text of the last article
    for (char c : bytes) out += c == '\f' ? '\n' : c;
    out += '\n';
  }
  if (core::trim(out).empty()) return bad(path, "tệp PDF không có lớp chữ (ảnh quét); cần nhận dạng chữ trước khi nhập");
  return out;
}

std::string doc_type_from_title(const std::string& title) {
  auto f = text::fold(title);
  if (f.rfind("hien phap", 0) == 0) return "hien_phap";
  if (f.rfind("bo luat", 0) == 0) return "bo_luat";
  if (f.rfind("phap lenh", 0) == 0) return "phap_lenh";
  if (f.rfind("nghi dinh", 0) == 0) return "nghi_dinh";
  if (f.rfind("nghi quyet", 0) == 0) return "nghi_quyet";
  if (f.rfind("thong tu", 0) == 0) return "thong_tu";
  if (f.rfind("quyet dinh", 0) == 0) return "quyet_dinh";
  return "luat";
}

Result<std::vector<ImportInput>> read_alqac(const std::string& path, const std::string& content) {
  auto j = nlohmann::json::parse(content, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return bad(path, "không phải JSON dạng ALQAC law.json (mảng các luật)");
  std::vector<ImportInput> out;
  size_t li = 0;
  for (const auto& law : j) {
    ++li;
    if (!law.is_object() || !law.contains("id") || !law["id"].is_string() || !law.contains("articles") ||
        !law["articles"].is_array())
      return bad(path, "luật thứ " + std::to_string(li) + " thiếu 'id' hoặc 'articles'");
    ImportInput in;
    std::string title = law["id"].get<std::string>();
    in.source_key = "alqac:" + title;
    in.meta.title = title;
    in.meta.doc_type = doc_type_from_title(title);
    for (const auto& a : law["articles"]) {
      if (!a.is_object() || !a.contains("id") || !a.contains("text") || !a["text"].is_string()) continue;
      std::string num = a["id"].is_string() ? a["id"].get<std::string>() : a["id"].dump();
      std::string text = a["text"].get<std::string>();
      auto nl = text.find('\n');
      std::string heading = text.substr(0, nl);
      std::string body = nl == std::string::npos ? "" : text.substr(nl + 1);
      // The article's own khoản/điểm come from the structure parser.
      auto one = parse_text("Điều 1. " + heading + "\n" + body);
      auto arts = articles(one);
      Node n = arts.empty() ? Node{} : *arts.front();
      n.kind = NodeKind::Article;
      n.number = num;
      n.title = heading;
      std::string anchor = "dieu-";
      for (char ch : num)
        if (std::isalnum(static_cast<unsigned char>(ch))) anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::function<void(Node&, const std::string&)> re_anchor = [&](Node& x, const std::string& prefix) {
        x.anchor = prefix;
        for (auto& c : x.children) {
          std::string piece = c.number;
          if (piece == "đ") piece = "dd";
          re_anchor(c, prefix + (c.kind == NodeKind::Clause ? "-khoan-" : "-diem-") + piece);
        }
      };
      re_anchor(n, anchor);
      if (arts.empty()) n.text = body;
      in.parsed.body.push_back(std::move(n));
      in.source_text += "Điều " + num + ". " + text + "\n\n";
    }
    if (in.parsed.body.empty()) return bad(path, "luật '" + title + "' không có điều nào");
    out.push_back(std::move(in));
  }
  return out;
}

Result<std::vector<ImportInput>> read_exchange(const std::string& path, const std::string& content) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    // byte offset → line number
    size_t line = 1;
    for (size_t i = 0; i < e.byte && i < content.size(); ++i) line += content[i] == '\n';
    return bad(path, "dòng " + std::to_string(line) + ": JSON không đúng cú pháp");
  }
  if (!j.is_object() || j.value("format", "") != "pbgdpl.law/1" || !j.contains("documents") || !j["documents"].is_array())
    return bad(path, "không phải định dạng trao đổi pbgdpl.law/1 ({\"format\": \"pbgdpl.law/1\", \"documents\": [...]})");
  std::vector<ImportInput> out;
  size_t k = 0;
  for (const auto& d : j["documents"]) {
    ++k;
    if (!d.is_object()) return bad(path, "văn bản thứ " + std::to_string(k) + " không phải đối tượng JSON");
    auto str = [&](const char* key, const std::string& def = "") {
      return d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : def;
    };
    ImportInput in;
    in.meta.doc_type = str("doc_type", "luat");
    in.meta.number = str("number");
    in.meta.title = str("title");
    in.meta.issuer = str("issuer");
    in.meta.signer = str("signer");
    in.meta.issued_on = str("issued_on");
    in.meta.effective_on = str("effective_on");
    in.meta.expires_on = str("expires_on");
    in.meta.status = str("status", "con_hieu_luc");
    in.meta.field = str("field");
    in.meta.scope = str("scope", "trung_uong");
    in.meta.language = str("language", "vi");
    in.source_key = str("source_key", "json:" + in.meta.number + ":" + in.meta.title);
    in.valid_from = str("valid_from");
    if (d.contains("body") && d["body"].is_array()) {
      in.parsed.body = tree_from_json(d["body"]);
      in.parsed.preamble = str("preamble");
      in.parsed.closing = str("closing");
    } else if (d.contains("text") && d["text"].is_string()) {
      in.source_text = d["text"].get<std::string>();
      if (!core::utf8_valid(in.source_text)) return bad(path, "văn bản thứ " + std::to_string(k) + ": nội dung không phải UTF-8");
      in.parsed = parse_text(in.source_text);
    } else {
      return bad(path, "văn bản thứ " + std::to_string(k) + " thiếu 'text' hoặc 'body'");
    }
    if (auto st = validate_meta(in.meta); !st) return bad(path, "văn bản thứ " + std::to_string(k) + ": " + st.error().message);
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  size_t i = 0;
  auto block = [](std::string_view tag) {
    static constexpr std::string_view blocks[] = {"p", "/p", "br", "br/", "div", "/div", "li", "/li", "tr", "/tr",
                                                  "h1", "h2", "h3", "h4", "h5", "h6", "/h1", "/h2", "/h3", "/h4",
                                                  "/h5", "/h6", "table", "/table", "blockquote", "/blockquote"};
    auto name = tag.substr(0, tag.find_first_of(" \t\n/", tag.starts_with("/") ? 1 : 0));
    if (tag.starts_with("br")) return true;
    for (auto b : blocks)
      if (name == b) return true;
    return false;
  };
  while (i < html.size()) {
    if (html[i] == '<') {
      auto gt = html.find('>', i);
      if (gt == std::string_view::npos) break;
      auto tag = html.substr(i + 1, gt - i - 1);
      std::string lower;
      for (char c : tag.substr(0, 12)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.starts_with("script") || lower.starts_with("style")) {
        auto close = html.find(lower.starts_with("script") ? "</script" : "</style", gt);
        i = close == std::string_view::npos ? html.size() : html.find('>', close) + 1;
        continue;
      }
      if (block(lower)) out += '\n';
      i = gt + 1;
      continue;
    }
    out += html[i++];
  }
  decode_entities(out);
  return out;
}

std::string markdown_to_text(std::string_view md) {
  std::string out;
  std::istringstream in{std::string(md)};
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = line;
    while (l.starts_with("#") || l.starts_with(">")) l.remove_prefix(1);
    std::string s(core::trim(l));
    for (const char* mark : {"**", "__"}) {
      for (size_t p = s.find(mark); p != std::string::npos; p = s.find(mark)) s.erase(p, 2);
    }
    out += s + "\n";
  }
  return out;
}

DocumentMeta meta_from_header(const ParsedDocument& p, const std::string& fallback_title) {
  DocumentMeta m;
  m.title = p.header.title.empty() ? fallback_title : p.header.title;
  std::string code = doc_type_code_for(p.header.doc_type);
  m.doc_type = code.empty() ? doc_type_from_title(m.title) : code;
  m.number = p.header.number;
  m.issuer = p.header.issuer;
  m.signer = p.header.signer;
  m.issued_on = p.header.date;
  return m;
}

std::vector<std::string> expand_import_paths(const std::vector<std::string>& paths, const ImportOptions& o) {
  std::vector<std::string> out;
  auto wanted = [&](const fs::path& p) {
    auto ext = p.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!o.format.empty()) return ext == ".json";
    return ext == ".txt" || ext == ".md" || ext == ".html" || ext == ".htm" || ext == ".docx" || ext == ".pdf" || ext == ".json";
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> files;
      for (const auto& e : fs::recursive_directory_iterator(p, ec))
        if (e.is_regular_file() && wanted(e.path())) files.push_back(e.path().string());
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

Result<std::vector<ImportInput>> read_import_file(const std::string& path, const ImportOptions& o) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return bad(path, "không tìm thấy tệp");
  if (fs::file_size(path, ec) > (200u << 20)) return bad(path, "tệp quá lớn (tối đa 200 MB)");
  auto ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string text;
  std::vector<ImportInput> out;
  if (o.format == "alqac" || ext == ".json") {
    auto content = read_file(path);
    if (!content) return content.take_error();
    if (int line = bad_utf8_line(*content)) return bad(path, "dòng " + std::to_string(line) + ": không phải UTF-8 hợp lệ");
    auto r = o.format == "alqac" ? read_alqac(path, *content) : read_exchange(path, *content);
    if (!r) return r;
    out = std::move(*r);
  } else {
    if (ext == ".docx") {
      auto t = docx_text(path);
      if (!t) return t.take_error();
      text = std::move(*t);
    } else if (ext == ".pdf") {
      auto t = pdf_text(path);
      if (!t) return t.take_error();
      text = std::move(*t);
    } else if (ext == ".txt" || ext == ".md" || ext == ".html" || ext == ".htm") {
      auto t = read_file(path);
      if (!t) return t.take_error();
      text = std::move(*t);
      if (int line = bad_utf8_line(text)) return bad(path, "dòng " + std::to_string(line) + ": không phải UTF-8 hợp lệ");
      if (ext == ".md") text = markdown_to_text(text);
      if (ext == ".html" || ext == ".htm") text = html_to_text(text);
    } else {
      return bad(path, "định dạng không được hỗ trợ (dùng .txt .md .html .docx .pdf .json)");
    }
    if (!core::utf8_valid(text)) return bad(path, "nội dung không phải UTF-8 hợp lệ");
    ImportInput in;
    in.parsed = parse_text(text);
    if (articles(in.parsed).empty()) return bad(path, "không tìm thấy Điều nào (cần các dòng dạng \"Điều 1. …\")");
    in.meta = meta_from_header(in.parsed, fs::path(path).stem().string());
    in.source_key = "file:" + fs::path(path).filename().string();
    in.source_text = std::move(text);
    out.push_back(std::move(in));
  }
  if (!o.status.empty())
    for (auto& in : out) in.meta.status = o.status;
  return out;
}

}  // namespace pbgdpl::law
