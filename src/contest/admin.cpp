// Admin pages of contests: the question bank (add, import by file upload or paste, edit with
// version history), the contest builder, the
// evaluation page with server-rendered SVG charts, CSV/XLSX exports, the printable winners
// list, disqualification; and the public, printable certificate with a verifying QR code.
#include <qrencode.h>
#include <xlsxwriter.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "contest/importer.h"
#include "contest/routes.h"
#include "core/crypto.h"
#include "core/time.h"
#include "core/utf8.h"
#include "http/multipart.h"

namespace pbgdpl::contest {

using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

std::string esc(std::string_view s) { return http::html_escape(s); }

std::string num(double v, int prec = 1) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", prec, v);
  return b;
}

/// A horizontal bar chart as inline SVG (presentation attributes only: the CSP forbids
/// inline styles). Labels and values are also in the SVG's <title> and <desc> for screen
/// readers; each chart has a table next to it on the page.
std::string bar_chart(const std::string& title, const json& items, size_t max_items = 15) {
  size_t n = std::min(items.size(), max_items);
  double maxv = 1;
  for (size_t i = 0; i < n; ++i) maxv = std::max(maxv, items[i]["count"].get<double>());
  int row = 22, label_w = 190, bar_w = 330, h = static_cast<int>(n) * row + 8;
  std::string desc;
  for (size_t i = 0; i < n; ++i)
    desc += items[i]["label"].get<std::string>() + ": " + std::to_string(items[i]["count"].get<int64_t>()) + "; ";
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 600 " +
                  std::to_string(std::max(h, 30)) + "\" width=\"100%\" aria-labelledby=\"t" + std::to_string(std::hash<std::string>{}(title) % 100000) +
                  "\"><title id=\"t" + std::to_string(std::hash<std::string>{}(title) % 100000) + "\">" + esc(title) +
                  "</title><desc>" + esc(desc) + "</desc>";
  for (size_t i = 0; i < n; ++i) {
    double v = items[i]["count"].get<double>();
    int w = static_cast<int>(std::round(bar_w * v / maxv));
    int y = static_cast<int>(i) * row + 4;
    std::string label = items[i]["label"].get<std::string>();
    if (core::utf8_length(label) > 28) {
      size_t cut = 0, chars = 0;
      while (cut < label.size() && chars < 27) {
        unsigned char c = static_cast<unsigned char>(label[cut]);
        cut += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        ++chars;
      }
      label = label.substr(0, cut) + "…";
    }
    s += "<text x=\"0\" y=\"" + std::to_string(y + 14) + "\" font-size=\"12\" fill=\"#1a1a1a\">" + esc(label) + "</text>";
    s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(std::max(w, 1)) +
         "\" height=\"16\" fill=\"#0b5394\"/>";
    s += "<text x=\"" + std::to_string(label_w + std::max(w, 1) + 6) + "\" y=\"" + std::to_string(y + 13) +
         "\" font-size=\"12\" fill=\"#1a1a1a\">" + std::to_string(static_cast<int64_t>(v)) + "</text>";
  }
  return s + "</svg>";
}

/// QR code of text as an SVG path (libqrencode), black modules on white with a quiet zone.
std::string qr_svg(const std::string& text) {
  QRcode* q = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (!q) return "";
  int n = q->width, quiet = 4, size = n + 2 * quiet;
  std::string path;
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      if (q->data[y * n + x] & 1) path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
  QRcode_free(q);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"Mã QR kiểm tra giấy chứng nhận\" viewBox=\"0 0 " +
         std::to_string(size) + " " + std::to_string(size) + "\" width=\"160\" height=\"160\"><rect width=\"" + std::to_string(size) +
         "\" height=\"" + std::to_string(size) + "\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
}

void require_staff(const Request& req) {
  if (!req.user.signed_in()) http::fail(ErrorCode::Unauthorized);
  if (!accounts::Service::can_somewhere(req.user, accounts::Permission::EditContent)) http::fail(ErrorCode::Forbidden);
}

Contest managed(Service& svc, const Request& req, int64_t id) {
  require_staff(req);
  auto k = http::unwrap(svc.contest(id));
  if (!k) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi."));
  if (!svc.can_manage(req.user, *k)) http::fail(ErrorCode::Forbidden);
  return *k;
}

std::string csv_cell(const std::string& s) {
  bool quote = s.find_first_of(",\"\n\r") != std::string::npos || (!s.empty() && std::string("=+-@").find(s[0]) != std::string::npos);
  std::string v = s;
  if (!v.empty() && std::string("=+-@").find(v[0]) != std::string::npos) v = "'" + v;  // no formulas in spreadsheets
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

struct ExportRow {
  std::vector<std::string> cells;
};

std::vector<std::string> export_header() {
  return {"Hạng", "Mã lượt thi", "Họ tên", "Năm sinh", "Giới tính", "Điện thoại", "Đơn vị", "Xã/phường", "Đối tượng",
          "Điểm", "Điểm tối đa", "Dự đoán", "Thời gian (giây)", "Nộp lúc", "Biên nhận", "Giải", "Cảnh báo"};
}

Result<std::vector<std::vector<std::string>>> export_rows(Service& svc, const Contest& k) {
  auto rk = svc.ranking(k.id, 0);
  if (!rk) return rk.take_error();
  auto all = svc.attempts(k.id, rk->round_id, false, 10000000);
  if (!all) return all.take_error();
  std::map<int64_t, const AttemptRow*> by_id;
  for (const auto& a : *all) by_id[a.attempt.id] = &a;
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : rk->rows) {
    auto it = by_id.find(r.attempt_id);
    if (it == by_id.end()) continue;
    const auto& reg = it->second->reg;
    std::string flags;
    for (const auto& f : it->second->attempt.flags) flags += (flags.empty() ? "" : " ") + f;
    std::string gender = reg.gender == "nam" ? "Nam" : reg.gender == "nu" ? "Nữ" : "Khác";
    std::string aud = reg.audience;
    for (const auto& [c, l] : audiences())
      if (c == reg.audience) aud = l;
    rows.push_back({std::to_string(r.rank), std::to_string(r.attempt_id), reg.full_name, std::to_string(reg.birth_year), gender,
                    reg.phone, reg.org_unit, reg.commune, aud, num(r.score, 2), num(it->second->attempt.max_score, 2),
                    r.prediction ? num(*r.prediction, 0) : "", num(static_cast<double>(r.time_used_ms) / 1000.0, 1),
                    core::vn_datetime(r.submitted_at), r.receipt, r.prize, flags});
  }
  return rows;
}

/// Option rows of the question forms (the bank accepts up to 10 options).
constexpr int kMaxOptions = 10;
/// Largest bank file accepted by upload (the whole ALQAC train.json is 0.36 MB).
constexpr size_t kMaxBankFile = 4u << 20;
/// The upload route reads bodies up to this size so that a file somewhat over the limit
/// gets the specific message below rather than the server's generic 413.
constexpr size_t kMaxBankUpload = 16u << 20;

std::string plain_number(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.15g", v);
  return b;
}

/// What the question editor shows, as strings: from a stored version or from the user's
/// own (maybe invalid) input when the form comes back with an error.
struct EditorFields {
  std::string type, topic, difficulty, text, explanation, provisions, number, tolerance, points, truth;
  std::vector<std::pair<std::string, bool>> options;  ///< non-empty rows only
};

EditorFields fields_of(const Question& q) {
  EditorFields e;
  e.type = std::string(qtype_code(q.cur.type));
  e.topic = q.topic;
  e.difficulty = std::to_string(q.difficulty);
  e.text = q.cur.text;
  e.explanation = q.cur.explanation;
  for (const auto& p : q.cur.provisions) e.provisions += (e.provisions.empty() ? "" : "\n") + p;
  if (q.cur.type == QType::Numeric) {
    e.number = plain_number(q.cur.number);
    e.tolerance = plain_number(q.cur.tolerance);
  }
  e.points = plain_number(q.cur.points);
  if (q.cur.type == QType::TrueFalse) e.truth = !q.cur.options.empty() && q.cur.options[0].correct ? "dung" : "sai";
  else
    for (const auto& o : q.cur.options) e.options.emplace_back(o.text, o.correct);
  return e;
}

EditorFields fields_of(const http::Form& f) {
  EditorFields e;
  e.type = f.get("type");
  e.topic = f.get("topic");
  e.difficulty = f.get("difficulty");
  e.text = f.get("text");
  e.explanation = f.get("explanation");
  e.provisions = f.get("provisions");
  e.number = f.get("number");
  e.tolerance = f.get("tolerance");
  e.points = f.get("points");
  e.truth = f.get("truth");
  auto correct = f.all("correct");
  for (int i = 0; i < kMaxOptions; ++i) {
    auto t = f.get("option" + std::to_string(i));
    if (core::trim(t).empty()) continue;
    e.options.emplace_back(t, std::find(correct.begin(), correct.end(), std::to_string(i)) != correct.end());
  }
  return e;
}

/// The question the add and edit forms describe; what does not parse is left for
/// check_question to refuse with its message.
QuestionInput question_from(const EditorFields& e) {
  QuestionInput q;
  q.topic = e.topic;
  q.type = e.type;
  q.text = e.text;
  q.explanation = e.explanation;
  try {
    q.difficulty = std::stoi(e.difficulty);
  } catch (const std::exception&) {
    q.difficulty = 0;
  }
  try {
    q.points = e.points.empty() ? 1 : std::stod(e.points);
  } catch (const std::exception&) {
    q.points = 0;
  }
  std::stringstream ps(e.provisions);
  for (std::string line; std::getline(ps, line);)
    if (!core::trim(line).empty()) q.provisions.emplace_back(core::trim(line));
  for (const auto& [text, correct] : e.options) q.options.push_back({text, correct});
  if (q.type == "true_false") q.options = {{"Đúng", e.truth == "dung"}, {"Sai", e.truth != "dung"}};
  if (q.type == "numeric") {
    try {
      q.number = std::stod(e.number);
      q.tolerance = e.tolerance.empty() ? 0 : std::stod(e.tolerance);
    } catch (const std::exception&) {
      q.number = std::nan("");
    }
  }
  return q;
}

QuestionInput question_from_form(const http::Form& f) { return question_from(fields_of(f)); }

json editor_json(const EditorFields& e) {
  json types = json::array();
  for (auto t : {QType::Single, QType::Multiple, QType::TrueFalse, QType::Numeric, QType::Prediction})
    types.push_back({{"code", qtype_code(t)}, {"label", qtype_label(t)}, {"selected", qtype_code(t) == e.type}});
  json diffs = json::array();
  for (auto [v, label] : std::vector<std::pair<int, std::string>>{{1, "Dễ"}, {2, "Trung bình"}, {3, "Khó"}})
    diffs.push_back({{"value", v}, {"label", label}, {"selected", std::to_string(v) == e.difficulty}});
  // The saved options plus empty rows to add more (no JavaScript), at least four rows.
  json options = json::array();
  size_t rows = std::min<size_t>(kMaxOptions, std::max<size_t>(4, e.options.size() + 2));
  for (size_t i = 0; i < rows; ++i) {
    bool have = i < e.options.size();
    options.push_back({{"i", i}, {"letter", std::string(1, static_cast<char>('A' + i))},
                       {"text", have ? e.options[i].first : ""}, {"correct", have && e.options[i].second}});
  }
  return {{"types", types}, {"difficulties", diffs}, {"options", options}, {"topic", e.topic}, {"text", e.text},
          {"explanation", e.explanation}, {"provisions", e.provisions}, {"number", e.number}, {"tolerance", e.tolerance},
          {"points", e.points}, {"truth_dung", e.truth == "dung"}, {"truth_sai", e.truth == "sai"}};
}

}  // namespace

void register_admin_routes(http::Router& r, Service& svc, const web::Site& site) {
  // ---- contests list -------------------------------------------------------------------
  r.get("/quan-tri/cuoc-thi", [&](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    require_staff(req);
    json list = json::array();
    for (const auto& k : http::unwrap(svc.list_contests(true)))
      if (svc.can_manage(req.user, k))
        list.push_back({{"id", k.id}, {"title", k.title}, {"published", k.published}, {"rounds", k.rounds.size()}});
    auto topics = http::unwrap(svc.topics());
    int64_t bank = 0;
    for (const auto& [t, n] : topics) bank += n;
    return site.page(req, "Quản lý cuộc thi", "contest_admin", {{"contests", list}, {"bank", bank}});
  });

  // ---- question bank ---------------------------------------------------------------------
  auto bank_page = [&](Request& req, json extra, int status) {
    std::string topic = req.query.get("chu_de");
    int64_t after = 0;
    try {
      after = req.query.get("sau").empty() ? 0 : std::stoll(req.query.get("sau"));
    } catch (const std::exception&) {
      http::fail(Error::of(ErrorCode::BadRequest, "Tham số sau phải là số."));
    }
    json qs = json::array();
    auto list = http::unwrap(svc.list_questions(topic, after, 50));
    for (const auto& q : list)
      qs.push_back({{"id", q.id},
                    {"key", q.ext_key},
                    {"topic", q.topic},
                    {"difficulty", q.difficulty},
                    {"type", qtype_label(q.cur.type)},
                    {"version", q.current_version},
                    {"text", q.cur.text}});
    json topics = json::array();
    for (const auto& [t, n] : http::unwrap(svc.topics())) topics.push_back({{"topic", t}, {"count", n}, {"selected", t == topic}});
    json d = {{"questions", qs}, {"topics", topics}, {"topic", topic}};
    if (list.size() == 50) d["next"] = list.back().id;
    for (auto& [k, v] : extra.items()) d[k] = v;
    return site.page(req, "Ngân hàng câu hỏi", "contest_bank", d, status);
  };
  r.get("/quan-tri/cuoc-thi/ngan-hang", [&, bank_page](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    require_staff(req);
    return bank_page(req, json::object(), 200);
  });
  r.post("/quan-tri/cuoc-thi/ngan-hang", [&, bank_page](Request& req) {
    require_staff(req);
    auto f = http::unwrap(req.form());
    auto q = svc.add_question(req.user, accounts::Service::actor_of(req), question_from_form(f));
    if (!q) {
      auto e = q.take_error();
      return bank_page(req, {{"error", {{"message", e.message}}}, {"form", {{"text", f.get("text")}, {"topic", f.get("topic")}}}},
                       core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/cuoc-thi/ngan-hang", "Đã thêm câu hỏi số " + std::to_string(q->id) + ".");
  });
  // Both import forms end here: all rows checked, then all stored or none.
  auto finish_import = [&, bank_page](Request& req, ParsedBank parsed, const std::string& what) {
    if (!parsed.errors.empty())
      return bank_page(req, {{"error", {{"message", what + " có lỗi, chưa nhập câu nào."}, {"details", parsed.errors}}}}, 422);
    if (parsed.questions.empty())
      return bank_page(req, {{"error", {{"message", what + " không có câu hỏi nào để nhập."}}}}, 422);
    auto rep = svc.import_questions(req.user, accounts::Service::actor_of(req), std::move(parsed.questions));
    if (!rep) return bank_page(req, {{"error", {{"message", rep.error().message}}}}, core::error_status(rep.error().code));
    if (!rep->errors.empty())
      return bank_page(req, {{"error", {{"message", what + " có lỗi, chưa nhập câu nào."}, {"details", rep->errors}}}}, 422);
    std::string msg = "Đã nhập " + what + ": " + std::to_string(rep->created) + " câu mới, " + std::to_string(rep->updated) +
                      " cập nhật (" + std::to_string(rep->versioned) + " thành phiên bản mới), " +
                      std::to_string(rep->unchanged) + " không đổi";
    if (parsed.skipped) msg += ", bỏ qua " + std::to_string(parsed.skipped) + " câu tự luận (không có đáp án để chấm)";
    return web::redirect_with_flash("/quan-tri/cuoc-thi/ngan-hang", msg + ".");
  };
  r.post("/quan-tri/cuoc-thi/ngan-hang/nhap", [&, bank_page, finish_import](Request& req) {
    require_staff(req);
    auto f = http::unwrap(req.form());
    auto format = f.get("format");
    if (format != "csv" && format != "json") http::fail(Error::of(ErrorCode::Validation, "Định dạng phải là CSV hoặc JSON.", "format"));
    auto parsed = parse_bank(f.get("content"), format);
    if (!parsed) return bank_page(req, {{"error", {{"message", parsed.error().message}}}}, core::error_status(parsed.error().code));
    return finish_import(req, std::move(*parsed), "Nội dung dán vào");
  }, {4u << 20, false, false});
  r.post("/quan-tri/cuoc-thi/ngan-hang/tai-len", [&, bank_page, finish_import](Request& req) {
    require_staff(req);
    auto parts = http::parse_multipart(req.header("content-type"), req.body);
    if (!parts) return bank_page(req, {{"error", {{"message", parts.error().message}}}}, core::error_status(parts.error().code));
    if (!http::multipart_csrf_ok(req, *parts)) http::fail(ErrorCode::CsrfFailed);
    auto refuse = [&](int status, const std::string& msg) { return bank_page(req, {{"error", {{"message", msg}}}}, status); };
    const http::Part* file = http::find_part(*parts, "file");
    if (!file || (file->filename.empty() && file->data.empty())) return refuse(422, "Hãy chọn một tệp câu hỏi để tải lên.");
    std::string name = file->filename.empty() ? "tải lên" : file->filename;
    if (file->data.size() > kMaxBankFile)
      return refuse(413, "Tệp “" + name + "” có dung lượng " + num(static_cast<double>(file->data.size()) / (1 << 20), 1) +
                             " MB, vượt quá giới hạn 4 MB của tệp câu hỏi. Hãy chia thành nhiều tệp nhỏ hơn.");
    const http::Part* fmt = http::find_part(*parts, "format");
    std::string format = fmt && !fmt->data.empty() ? fmt->data : "auto";
    std::string detected = detect_bank_format(file->data);
    if (format == "auto") {
      if (detected.empty())
        return refuse(422, "Không nhận ra định dạng của tệp “" + name +
                               "”: chỉ nhận bảng tính XLSX, tệp CSV hoặc JSON (UTF-8) và tệp ALQAC train.json.");
      format = detected;
    } else if (format != "csv" && format != "xlsx" && format != "json" && format != "alqac") {
      return refuse(422, "Định dạng phải là CSV, XLSX, JSON hoặc ALQAC.");
    } else if (format == "xlsx" && detected != "xlsx") {
      return refuse(422, "Tệp “" + name + "” không phải bảng tính XLSX dù đã chọn định dạng XLSX.");
    } else if (format != "xlsx" && detected == "xlsx") {
      return refuse(422, "Tệp “" + name + "” là bảng tính XLSX; hãy chọn định dạng XLSX hoặc “Tự nhận biết”.");
    }
    auto parsed = parse_bank(file->data, format);
    if (!parsed) {
      // The file's content is what is wrong (corrupt workbook, bad CSV, not UTF-8): 422.
      int status = parsed.error().code == ErrorCode::PayloadTooLarge ? 413 : 422;
      return refuse(status, "Không đọc được tệp “" + name + "”: " + parsed.error().message + " Chưa nhập câu nào.");
    }
    return finish_import(req, std::move(*parsed), "tệp “" + name + "”");
  }, {kMaxBankUpload, /*csrf_exempt: checked in the handler on the multipart body*/ true, false});

  // ---- question editor -----------------------------------------------------------------
  auto editor = [&](Request& req, const Question& q, const EditorFields& fields, int revision, json extra, int status) {
    json history = json::array();
    for (const auto& v : http::unwrap(svc.question_versions(q.id)))
      history.push_back({{"version", v.version},
                         {"current", v.version == q.current_version},
                         {"created_at", core::vn_datetime(v.created_at)},
                         {"created_by", v.created_by.empty() ? "không rõ" : v.created_by},
                         {"edited", v.edited_at != 0},
                         {"edited_at", v.edited_at ? core::vn_datetime(v.edited_at) : ""},
                         {"edited_by", v.edited_by},
                         {"text", v.text}});
    json d = editor_json(fields);
    d["id"] = q.id;
    d["key"] = q.ext_key;
    d["version"] = q.current_version;
    d["revision"] = revision;
    d["history"] = history;
    for (auto& [k, v] : extra.items()) d[k] = v;
    return site.page(req, "Sửa câu hỏi số " + std::to_string(q.id), "contest_question", d, status);
  };
  auto load_question = [&](int64_t id) {
    auto q = http::unwrap(svc.question(id));
    if (!q) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy câu hỏi số " + std::to_string(id) + "."));
    return *q;
  };
  r.get("/quan-tri/cuoc-thi/ngan-hang/{id:int}", [&, editor, load_question](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    require_staff(req);
    auto q = load_question(req.param_int("id"));
    return editor(req, q, fields_of(q), q.revision, json::object(), 200);
  });
  r.post("/quan-tri/cuoc-thi/ngan-hang/{id:int}", [&, editor, load_question](Request& req) {
    require_staff(req);
    auto q = load_question(req.param_int("id"));
    auto f = http::unwrap(req.form());
    int expected = 0;
    try {
      expected = std::stoi(f.get("revision"));
    } catch (const std::exception&) {
      http::fail(Error::of(ErrorCode::BadRequest, "Biểu mẫu thiếu số hiệu bản đang sửa; hãy mở lại trang sửa câu hỏi."));
    }
    auto saved = svc.edit_question(req.user, accounts::Service::actor_of(req), q.id, question_from_form(f), std::optional<int>(expected));
    if (!saved) {
      const auto& e = saved.error();
      json err = {{"message", e.message}, {"field", e.field}, {"conflict", e.code == ErrorCode::Conflict}};
      // The user's own input comes back (nothing is lost); the revision stays the one the
      // form was opened at, so a stale form keeps being refused until it is reopened.
      return editor(req, q, fields_of(f), expected, {{"error", err}}, core::error_status(e.code));
    }
    std::string msg = saved->current_version != q.current_version
                          ? "Đã lưu thành phiên bản " + std::to_string(saved->current_version) +
                                " (phiên bản " + std::to_string(q.current_version) +
                                " đã được dùng nên được giữ nguyên cho các lượt thi đã làm)."
                          : "Đã lưu phiên bản " + std::to_string(saved->current_version) + ".";
    return web::redirect_with_flash("/quan-tri/cuoc-thi/ngan-hang/" + std::to_string(q.id), msg);
  });

  // ---- contest builder -----------------------------------------------------------------
  auto builder = [&](Request& req, json extra, int status) {
    json topics = json::array();
    for (const auto& [t, n] : http::unwrap(svc.topics())) topics.push_back({{"topic", t}, {"count", n}});
    json preds = json::array();
    for (const auto& q : http::unwrap(svc.list_questions("", 0, 500)))
      if (q.cur.type == QType::Prediction) preds.push_back({{"id", q.id}, {"text", q.cur.text}});
    json tbs = json::array();
    for (auto t : {TieBreak::Score, TieBreak::Prediction, TieBreak::TimeUsed, TieBreak::SubmittedAt})
      tbs.push_back({{"code", tiebreak_code(t)}, {"label", tiebreak_label(t)}});
    json d = {{"topics", topics}, {"predictions", preds}, {"tie_breakers", tbs}};
    for (auto& [k, v] : extra.items()) d[k] = v;
    return site.page(req, "Tạo cuộc thi", "contest_builder", d, status);
  };
  r.get("/quan-tri/cuoc-thi/moi", [&, builder](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    require_staff(req);
    return builder(req, json::object(), 200);
  });
  r.post("/quan-tri/cuoc-thi/moi", [&, builder](Request& req) {
    require_staff(req);
    auto f = http::unwrap(req.form());
    auto number = [&](const std::string& k, double dflt) {
      try {
        auto v = f.get(k);
        return v.empty() ? dflt : std::stod(v);
      } catch (const std::exception&) {
        return -1.0;
      }
    };
    json def = {{"title", f.get("title")},
                {"description", f.get("description")},
                {"time_limit_minutes", number("time_limit_minutes", 30)},
                {"grace_seconds", number("grace_seconds", 30)},
                {"max_attempts", number("max_attempts", 1)},
                {"attempt_policy", f.get("attempt_policy")},
                {"eligibility", f.get("invite_code").empty() ? "open" : "invite"},
                {"invite_code", f.get("invite_code")},
                {"published", f.get("published") == "1"}};
    // The organizer is the admin's own unit (create_contest checks the right over it).
    json draw = json::array(), topics = json::array();
    for (const auto& [k, v] : f.fields)
      if (k.rfind("draw:", 0) == 0 && !v.empty() && v != "0") {
        int n = 0;
        try {
          n = std::stoi(v);
        } catch (const std::exception&) {
          n = -1;
        }
        draw.push_back({{"topic", k.substr(5)}, {"count", n}});
        topics.push_back(k.substr(5));
      }
    def["draw"] = draw;
    def["topics"] = topics;
    if (!f.get("prediction").empty()) {
      try {
        def["prediction"] = std::stoll(f.get("prediction"));
      } catch (const std::exception&) {
      }
    }
    json tbs = json::array();
    for (int i = 1; i <= 4; ++i)
      if (!f.get("tb" + std::to_string(i)).empty() && std::find(tbs.begin(), tbs.end(), f.get("tb" + std::to_string(i))) == tbs.end())
        tbs.push_back(f.get("tb" + std::to_string(i)));
    if (!tbs.empty()) def["tie_breakers"] = tbs;
    json prizes = json::array();
    std::stringstream ps(f.get("prizes"));
    for (std::string line; std::getline(ps, line);) {
      auto colon = line.rfind(':');
      if (colon == std::string::npos) continue;
      int n = 0;
      try {
        n = std::stoi(line.substr(colon + 1));
      } catch (const std::exception&) {
      }
      prizes.push_back({{"name", std::string(core::trim(line.substr(0, colon)))}, {"count", n}});
    }
    def["prizes"] = prizes;
    def["rounds"] = {{{"name", f.get("round_name")}, {"opens_at", f.get("opens_at")}, {"closes_at", f.get("closes_at")}}};
    auto k = svc.create_contest(req.user, accounts::Service::actor_of(req), def);
    if (!k) {
      auto e = k.take_error();
      json form;
      for (const auto& [key, v] : f.fields) form[key] = v;
      return builder(req, {{"error", {{"message", e.message}, {"field", e.field}}}, {"form", form}}, core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/cuoc-thi/" + std::to_string(k->id), "Đã tạo cuộc thi.");
  });

  // ---- evaluation ----------------------------------------------------------------------
  r.get("/quan-tri/cuoc-thi/{id:int}", [&](Request& req) {
    if (!req.user.signed_in()) return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
    auto k = managed(svc, req, req.param_int("id"));
    auto ev = http::unwrap(svc.evaluation(k.id));
    json charts = json::array();
    for (const auto& [key, title] : std::vector<std::pair<std::string, std::string>>{
             {"per_day", "Bài nộp theo ngày"},
             {"score_distribution", "Phân bố điểm (% điểm tối đa)"},
             {"by_unit", "Người dự thi theo đơn vị"},
             {"by_commune", "Người dự thi theo xã/phường"},
             {"by_age", "Người dự thi theo độ tuổi"},
             {"by_gender", "Người dự thi theo giới tính"},
             {"by_audience", "Người dự thi theo đối tượng"}}) {
      const auto& items = ev[key];
      charts.push_back({{"title", title}, {"svg", bar_chart(title, items)}, {"rows", items}, {"empty", items.empty()}});
    }
    json questions = json::array();
    for (const auto& q : ev["questions"]) {
      json x = q;
      x["correct_pct"] = num(100.0 * q["correct_rate"].get<double>(), 1);
      x["discrimination_s"] = num(q["discrimination"].get<double>(), 2);
      for (auto& o : x["options"]) o["share_pct"] = num(100.0 * o["share"].get<double>(), 1);
      questions.push_back(std::move(x));
    }
    json rej = json::array();
    for (const auto& [reason, n] : ev["rejections"].items()) rej.push_back({{"reason", reason}, {"count", n}});
    json flagged = json::array();
    for (const auto& a : http::unwrap(svc.attempts(k.id, 0, true, 200)))
      if (a.attempt.status != AttemptStatus::Disqualified) {
        std::string flags;
        for (const auto& f : a.attempt.flags) flags += (flags.empty() ? "" : ", ") + f;
        flagged.push_back({{"attempt_id", a.attempt.id}, {"name", a.reg.full_name}, {"phone", a.reg.phone}, {"flags", flags},
                           {"score", num(a.attempt.score, 2)}, {"time", num(static_cast<double>(a.time_used_ms) / 1000.0, 1)}});
      }
    json d = {{"id", k.id},
              {"title", k.title},
              {"published", k.published},
              {"participants", ev["participants"]},
              {"attempts", ev["attempts"]},
              {"submitted", ev["submitted"]},
              {"in_progress", ev["in_progress"]},
              {"abandoned", ev["abandoned"]},
              {"disqualified", ev["disqualified"]},
              {"completion_pct", num(100.0 * ev["completion_rate"].get<double>(), 1)},
              {"mean_pct", num(ev["mean_score_pct"].get<double>(), 1)},
              {"charts", charts},
              {"questions", questions},
              {"rejections", rej},
              {"flagged", flagged}};
    return site.page(req, "Đánh giá: " + k.title, "contest_evaluation", d);
  });
  r.post("/quan-tri/cuoc-thi/{id:int}/cong-bo", [&](Request& req) {
    auto k = managed(svc, req, req.param_int("id"));
    auto f = http::unwrap(req.form());
    bool pub = f.get("published") == "1";
    http::unwrap(svc.set_published(req.user, accounts::Service::actor_of(req), k.id, pub));
    return web::redirect_with_flash("/quan-tri/cuoc-thi/" + std::to_string(k.id), pub ? "Đã công bố cuộc thi." : "Đã ngừng công bố cuộc thi.");
  });
  r.post("/quan-tri/cuoc-thi/{id:int}/huy-ket-qua", [&](Request& req) {
    auto k = managed(svc, req, req.param_int("id"));
    auto f = http::unwrap(req.form());
    int64_t aid = 0;
    try {
      aid = std::stoll(f.get("attempt"));
    } catch (const std::exception&) {
      http::fail(Error::of(ErrorCode::Validation, "Thiếu mã lượt thi.", "attempt"));
    }
    http::unwrap(svc.disqualify(req.user, accounts::Service::actor_of(req), aid, f.get("reason")));
    return web::redirect_with_flash("/quan-tri/cuoc-thi/" + std::to_string(k.id), "Đã hủy kết quả lượt thi " + std::to_string(aid) + ".");
  });

  // ---- exports -------------------------------------------------------------------------
  r.get("/quan-tri/cuoc-thi/{id:int}/ket-qua.csv", [&](Request& req) {
    auto k = managed(svc, req, req.param_int("id"));
    auto rows = http::unwrap(export_rows(svc, k));
    std::string out = "\xEF\xBB\xBF";  // BOM: spreadsheet programs read UTF-8
    auto line = [&](const std::vector<std::string>& cells) {
      for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_cell(cells[i]);
      out += "\r\n";
    };
    line(export_header());
    for (const auto& row : rows) line(row);
    Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.body = std::move(out);
    res.set_header("content-disposition", "attachment; filename=\"ket-qua-cuoc-thi-" + std::to_string(k.id) + ".csv\"");
    return res;
  });
  r.get("/quan-tri/cuoc-thi/{id:int}/ket-qua.xlsx", [&](Request& req) {
    auto k = managed(svc, req, req.param_int("id"));
    auto rows = http::unwrap(export_rows(svc, k));
    auto ev = http::unwrap(svc.evaluation(k.id));
    auto path = std::filesystem::temp_directory_path() / ("pbgdpl-contest-" + core::random_hex(8) + ".xlsx");
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) http::fail(ErrorCode::Internal);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Kết quả");
    auto header = export_header();
    for (size_t c = 0; c < header.size(); ++c) worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
    for (size_t r2 = 0; r2 < rows.size(); ++r2)
      for (size_t c = 0; c < rows[r2].size(); ++c) {
        const auto& v = rows[r2][c];
        bool numeric = (c == 0 || c == 1 || c == 3 || c == 9 || c == 10 || c == 12) && !v.empty();
        if (numeric) worksheet_write_number(ws, static_cast<lxw_row_t>(r2 + 1), static_cast<lxw_col_t>(c), std::stod(v), nullptr);
        else worksheet_write_string(ws, static_cast<lxw_row_t>(r2 + 1), static_cast<lxw_col_t>(c), v.c_str(), nullptr);
      }
    lxw_worksheet* qs = workbook_add_worksheet(wb, "Câu hỏi");
    const char* qh[] = {"Mã câu", "Phiên bản", "Nội dung", "Số lần ra", "Trả lời đúng", "Tỉ lệ đúng", "Độ phân biệt"};
    for (int c = 0; c < 7; ++c) worksheet_write_string(qs, 0, static_cast<lxw_col_t>(c), qh[c], bold);
    lxw_row_t row = 1;
    for (const auto& q : ev["questions"]) {
      worksheet_write_number(qs, row, 0, q["question_id"].get<double>(), nullptr);
      worksheet_write_number(qs, row, 1, q["version"].get<double>(), nullptr);
      worksheet_write_string(qs, row, 2, q["text"].get<std::string>().c_str(), nullptr);
      worksheet_write_number(qs, row, 3, q["shown"].get<double>(), nullptr);
      worksheet_write_number(qs, row, 4, q["correct"].get<double>(), nullptr);
      worksheet_write_number(qs, row, 5, q["correct_rate"].get<double>(), nullptr);
      worksheet_write_number(qs, row, 6, q["discrimination"].get<double>(), nullptr);
      ++row;
    }
    lxw_worksheet* sm = workbook_add_worksheet(wb, "Tổng hợp");
    row = 0;
    for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
             {"participants", "Người dự thi"}, {"attempts", "Lượt bắt đầu"}, {"submitted", "Bài đã nộp"},
             {"abandoned", "Bỏ dở"}, {"disqualified", "Bị hủy kết quả"}}) {
      worksheet_write_string(sm, row, 0, label.c_str(), bold);
      worksheet_write_number(sm, row, 1, ev[key].get<double>(), nullptr);
      ++row;
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
      std::filesystem::remove(path);
      http::fail(ErrorCode::Internal);
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::filesystem::remove(path);
    Response res;
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.body = ss.str();
    res.set_header("content-disposition", "attachment; filename=\"ket-qua-cuoc-thi-" + std::to_string(k.id) + ".xlsx\"");
    return res;
  });
  r.get("/quan-tri/cuoc-thi/{id:int}/danh-sach-giai", [&](Request& req) {
    auto k = managed(svc, req, req.param_int("id"));
    auto rk = http::unwrap(svc.ranking(k.id, 0));
    json rows = json::array();
    for (const auto& x : rk.rows)
      if (!x.prize.empty())
        rows.push_back({{"rank", x.rank}, {"name", x.name}, {"org_unit", x.org_unit}, {"commune", x.commune},
                        {"score", num(x.score, 2)}, {"prize", x.prize}, {"receipt", x.receipt}});
    return site.page(req, "Danh sách đoạt giải", "contest_winners",
                     {{"title", k.title}, {"rows", rows}, {"frozen", rk.frozen}, {"actual", rk.actual_participants}});
  });

  // ---- certificates (public, printable, verified by QR) ----------------------------------
  r.get("/cuoc-thi/chung-nhan/{receipt}", [&](Request& req) {
    auto c = http::unwrap(svc.check_receipt(req.param("receipt")));
    if (!c.found || c.status != "submitted") http::fail(Error::of(ErrorCode::NotFound, "Không có bài thi nào mang mã này."));
    std::string verify = "/cuoc-thi/bien-nhan?ma=" + req.param("receipt");
    std::string host(req.header("host"));
    std::string url = (req.secure ? "https://" : "http://") + (host.empty() ? std::string("localhost") : host) + verify;
    return site.page(req, "Giấy chứng nhận", "contest_certificate",
                     {{"contest", c.contest_title}, {"participant", c.full_name}, {"score", num(c.score, 2)},
                      {"max_score", num(c.max_score, 2)}, {"date", core::vn_datetime(c.submitted_at)}, {"valid", c.valid},
                      {"qr", qr_svg(url)}, {"verify", verify}, {"receipt", req.param("receipt")}});
  });
}

}  // namespace pbgdpl::contest
