#include "contest/importer.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "core/utf8.h"

namespace pbgdpl::contest {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

std::vector<std::vector<std::string>> parse_csv(const std::string& s, std::string* err) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  size_t i = 0;
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) i = 3;  // BOM from spreadsheet programs
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (quoted) *err = "dấu ngoặc kép chưa đóng";
  if (any || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      if (!core::trim(cur).empty()) out.emplace_back(core::trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!core::trim(cur).empty()) out.emplace_back(core::trim(cur));
  return out;
}

bool parse_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  try {
    size_t pos = 0;
    out = std::stod(s, &pos);
    return pos == s.size();
  } catch (const std::exception&) {
    return false;
  }
}

// One question from named cells (CSV/XLSX row or JSON object with the same names).
core::Result<QuestionInput> from_cells(const std::map<std::string, std::string>& m) {
  auto get = [&](const char* k) {
    auto it = m.find(k);
    return it == m.end() ? std::string() : std::string(core::trim(it->second));
  };
  QuestionInput q;
  q.ext_key = get("key");
  q.topic = get("topic");
  auto d = get("difficulty");
  q.difficulty = d.empty() ? 2 : (d == "1" || d == "dễ" ? 1 : d == "3" || d == "khó" ? 3 : d == "2" || d == "trung bình" ? 2 : 0);
  q.type = get("type");
  if (q.type.empty()) q.type = "single";
  q.text = get("text");
  q.explanation = get("explanation");
  q.provisions = split(get("provisions"), ';');
  auto pts = get("points");
  if (!pts.empty() && !parse_double(pts, q.points)) return Error::of(ErrorCode::Validation, "cột points không phải số");
  auto ans = get("answer");
  if (q.type == "true_false") {
    bool t = ans == "Đúng" || ans == "đúng" || ans == "D" || ans == "true";
    bool f = ans == "Sai" || ans == "sai" || ans == "S" || ans == "false";
    if (!t && !f) return Error::of(ErrorCode::Validation, "câu Đúng/Sai cần cột answer là Đúng hoặc Sai");
    q.options = {{"Đúng", t}, {"Sai", f}};
  } else if (q.type == "numeric" || q.type == "prediction") {
    if (q.type == "numeric" && !parse_double(get("number"), q.number))
      return Error::of(ErrorCode::Validation, "câu trả lời bằng số cần cột number");
    auto tol = get("tolerance");
    if (!tol.empty() && !parse_double(tol, q.tolerance)) return Error::of(ErrorCode::Validation, "cột tolerance không phải số");
  } else {
    auto letters = split(ans, ';');
    if (letters.size() == 1 && letters[0].size() > 1 && letters[0].find(',') != std::string::npos) letters = split(ans, ',');
    for (const char* col : {"a", "b", "c", "d", "e", "f"}) {
      auto t = get(col);
      if (t.empty()) continue;
      bool correct = false;
      for (const auto& l : letters)
        if (l.size() == 1 && std::tolower(static_cast<unsigned char>(l[0])) == col[0]) correct = true;
      q.options.push_back({t, correct});
    }
  }
  return q;
}

core::Result<ParsedBank> parse_json(const std::string& bytes) {
  auto j = json::parse(bytes, nullptr, false);
  if (j.is_discarded()) return Error::of(ErrorCode::BadRequest, "Tệp không phải JSON hợp lệ.");
  if (j.is_object() && j.contains("questions")) j = j["questions"];
  if (!j.is_array()) return Error::of(ErrorCode::BadRequest, "Tệp JSON cần một danh sách câu hỏi (hoặc {\"questions\": […]}).");
  ParsedBank out;
  size_t n = 0;
  for (const auto& x : j) {
    ++n;
    if (!x.is_object()) {
      out.errors.push_back("câu " + std::to_string(n) + ": không phải đối tượng JSON");
      continue;
    }
    QuestionInput q;
    q.ext_key = x.value("key", "");
    q.topic = x.value("topic", "");
    q.difficulty = x.value("difficulty", 2);
    q.type = x.value("type", "single");
    q.text = x.value("text", "");
    q.explanation = x.value("explanation", "");
    q.provisions = x.value("provisions", std::vector<std::string>{});
    q.points = x.value("points", 1.0);
    q.number = x.value("number", 0.0);
    q.tolerance = x.value("tolerance", 0.0);
    if (q.type == "true_false" && x.contains("answer") && x["answer"].is_boolean()) {
      bool t = x["answer"].get<bool>();
      q.options = {{"Đúng", t}, {"Sai", !t}};
    }
    for (const auto& o : x.value("options", json::array())) {
      if (o.is_string()) q.options.push_back({o.get<std::string>(), false});
      else if (o.is_object()) q.options.push_back({o.value("text", ""), o.value("correct", false)});
    }
    out.questions.push_back(std::move(q));
  }
  return out;
}

core::Result<ParsedBank> parse_alqac(const std::string& bytes) {
  auto j = json::parse(bytes, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return Error::of(ErrorCode::BadRequest, "Tệp ALQAC cần là một danh sách JSON.");
  ParsedBank out;
  size_t n = 0;
  for (const auto& x : j) {
    ++n;
    if (!x.is_object()) continue;
    auto type = x.value("question_type", "");
    QuestionInput q;
    q.ext_key = "alqac2024:" + x.value("question_id", std::to_string(n));
    q.text = x.value("text", "");
    std::string law;
    for (const auto& a : x.value("relevant_articles", json::array())) {
      law = a.value("law_id", "");
      q.provisions.push_back("Điều " + a.value("article_id", "") + " " + law);
    }
    q.topic = law.empty() ? "ALQAC 2024" : law;
    q.difficulty = 2;
    auto answer = x.value("answer", "");
    if (type == "Đúng/Sai") {
      q.type = "true_false";
      if (answer != "Đúng" && answer != "Sai") {
        out.errors.push_back(x.value("question_id", "") + ": đáp án không phải Đúng/Sai");
        continue;
      }
      q.options = {{"Đúng", answer == "Đúng"}, {"Sai", answer == "Sai"}};
    } else if (type == "Trắc nghiệm") {
      q.type = "single";
      json choices = x.value("choices", json::object());
      for (const auto& [letter, text] : choices.items())
        q.options.push_back({text.is_string() ? text.get<std::string>() : "", letter == answer});
    } else {
      ++out.skipped;  // Tự luận has no key we can score
      continue;
    }
    out.questions.push_back(std::move(q));
  }
  return out;
}

}  // namespace

core::Result<ParsedBank> parse_bank_rows(const std::vector<std::vector<std::string>>& rows) {
  ParsedBank out;
  if (rows.empty()) return Error::of(ErrorCode::BadRequest, "Tệp không có dòng tiêu đề.");
  std::vector<std::string> header;
  for (const auto& h : rows[0]) {
    std::string k(core::trim(h));
    for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    header.push_back(k);
  }
  if (std::find(header.begin(), header.end(), "text") == header.end())
    return Error::of(ErrorCode::BadRequest, "Dòng tiêu đề cần có cột text (xem định dạng trong README).");
  for (size_t i = 1; i < rows.size(); ++i) {
    std::map<std::string, std::string> m;
    for (size_t c = 0; c < rows[i].size() && c < header.size(); ++c) m[header[c]] = rows[i][c];
    auto q = from_cells(m);
    if (!q) out.errors.push_back("dòng " + std::to_string(i + 1) + ": " + q.error().message);
    else out.questions.push_back(std::move(*q));
  }
  return out;
}

core::Result<ParsedBank> parse_bank(const std::string& bytes, const std::string& format) {
  if (format == "xlsx") {
    auto rows = xlsx_rows_of(bytes);
    if (!rows) return rows.take_error();
    return parse_bank_rows(*rows);
  }
  if (format != "json" && format != "alqac" && format != "csv")
    return Error::of(ErrorCode::BadRequest, "Định dạng không được hỗ trợ: " + format + " (csv, xlsx, json, alqac).");
  if (!core::utf8_valid(bytes)) return Error::of(ErrorCode::InvalidUtf8, "Tệp không phải văn bản UTF-8 hợp lệ.");
  if (format == "json") return parse_json(bytes);
  if (format == "alqac") return parse_alqac(bytes);
  std::string err;
  auto rows = parse_csv(bytes, &err);
  if (!err.empty()) return Error::of(ErrorCode::BadRequest, "Tệp CSV lỗi: " + err + ".");
  return parse_bank_rows(rows);
}

std::string detect_bank_format(std::string_view b) {
  if (b.starts_with("PK\x03\x04")) return "xlsx";
  if (!core::utf8_valid(b)) return "";
  size_t p = b.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (p < b.size() && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r' || b[p] == '\n')) ++p;
  if (p < b.size() && (b[p] == '[' || b[p] == '{'))
    return b.substr(p, 4096).find("\"question_type\"") != std::string_view::npos ? "alqac" : "json";
  return "csv";
}

core::Result<ParsedBank> read_bank_file(const std::string& path, const std::string& format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of(ErrorCode::NotFound, "Không mở được tệp " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_bank(ss.str(), format);
}

}  // namespace pbgdpl::contest
