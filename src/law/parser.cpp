#include "law/parser.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>
#include <string>

namespace pbgdpl::law {

const char* node_kind_code(NodeKind k) {
  switch (k) {
    case NodeKind::Part: return "phan";
    case NodeKind::Chapter: return "chuong";
    case NodeKind::Section: return "muc";
    case NodeKind::Subsection: return "tieu-muc";
    case NodeKind::Article: return "dieu";
    case NodeKind::Clause: return "khoan";
    case NodeKind::Point: return "diem";
  }
  return "dieu";
}

namespace {

std::string_view trim(std::string_view s) {
  // ASCII white space and, as UTF-8, U+00A0 (no-break space) and U+FEFF (byte order mark) at
  // either end. Not the lone byte 0xA0: it ends "à" (C3 A0), so "… và" lost half a letter
  // and became invalid UTF-8 (found by fuzz/fuzz_law_parser).
  auto ascii_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  for (bool again = true; again && !s.empty();) {
    again = false;
    if (ascii_space(s.front())) s.remove_prefix(1), again = true;
    else if (s.starts_with("\xC2\xA0")) s.remove_prefix(2), again = true;
    else if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3), again = true;
  }
  for (bool again = true; again && !s.empty();) {
    again = false;
    if (ascii_space(s.back())) s.remove_suffix(1), again = true;
    else if (s.ends_with("\xC2\xA0")) s.remove_suffix(2), again = true;
    else if (s.ends_with("\xEF\xBB\xBF")) s.remove_suffix(3), again = true;
  }
  return s;
}

// Letters of the Vietnamese alphabet used for điểm, in order.
constexpr std::array<std::string_view, 23> kPointLetters = {"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
                                                            "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"};

int point_index(std::string_view letter) {
  for (size_t i = 0; i < kPointLetters.size(); ++i)
    if (kPointLetters[i] == letter) return static_cast<int>(i);
  return -1;
}

bool starts_with_word(std::string_view s, std::string_view w) {
  return s.size() > w.size() && s.starts_with(w) && (s[w.size()] == ' ' || s[w.size()] == '\t');
}

// Letter case of the first code point (ICU), for "Điều 5 Chính sách…" vs "Điều 5 của…".
bool first_is_upper(std::string_view s) {
  if (s.empty()) return false;
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(std::min<size_t>(s.size(), 8))));
  if (u.isEmpty()) return false;
  UChar32 c = u.char32At(0);
  return u_isupper(c) || u_isdigit(c) || c == '"' || c == 0x201C;
}

// True when the text has letters and none of them is lower case.
bool all_upper(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  bool letters = false;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (u_islower(c)) return false;
    if (u_isalpha(c)) letters = true;
  }
  return letters;
}

std::string lower_utf8(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  u.toLower();
  std::string out;
  u.toUTF8String(out);
  return out;
}

// "CƯ TRÚ" → "Cư trú"
std::string sentence_case(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  u.toLower();
  if (!u.isEmpty()) {
    UChar32 c = u.char32At(0);
    icu::UnicodeString first;
    first.append(c);
    first.toUpper();
    u.replace(0, U16_LENGTH(c), first);
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Titles are printed in capitals; only law names (Luật/Bộ luật/Pháp lệnh X) start with a capital,
// and place names after "tỉnh"/"thành phố" keep theirs: "Nghị quyết quy định … tỉnh An Hòa".
std::string title_case(const std::string& doc_type, std::string_view raw) {
  bool proper = doc_type == "Luật" || doc_type == "Bộ luật" || doc_type == "Pháp lệnh" || doc_type == "Hiến pháp";
  std::string s = proper ? sentence_case(raw) : lower_utf8(raw);
  std::string out;
  size_t i = 0;
  int capitalize_next = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    std::string w = s.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (capitalize_next > 0 && !w.empty()) {
      w = sentence_case(w);
      --capitalize_next;
    }
    if (w == "tỉnh") capitalize_next = 2;
    else if (w == "phố" && out.size() >= 6 && out.compare(out.size() - 6, 6, "thành ") == 0) capitalize_next = 2;
    out += w;
    if (j == std::string::npos) break;
    out += ' ';
    i = j + 1;
  }
  return out;
}

bool is_roman(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::string_view("IVXLCDM").find(c) != std::string_view::npos; });
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct ArticleHead {
  int n = 0;
  std::string suffix;  // "a" in "Điều 5a"
  std::string title;
  bool explicit_sep = false;
};

std::optional<ArticleHead> match_article(std::string_view line) {
  // Besides "Điều"/"ĐIỀU", real texts carry "Ðiều" (U+00D0, the Icelandic Eth) and the typo
  // "Điền"; both are article headings when the rest of the line says so.
  static constexpr std::string_view kWords[] = {"Điều", "ĐIỀU", "\xC3\x90iều", "Điền"};
  std::string_view rest;
  bool found = false;
  for (auto w : kWords) {
    if (starts_with_word(line, w)) {
      rest = line.substr(w.size());
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;
  rest = trim(rest);
  size_t i = 0;
  while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
  if (i == 0 || i > 4) return std::nullopt;
  ArticleHead h;
  h.n = std::stoi(std::string(rest.substr(0, i)));
  rest.remove_prefix(i);
  if (!rest.empty() && rest[0] >= 'a' && rest[0] <= 'z' && (rest.size() == 1 || rest[1] == '.' || rest[1] == ' ' || rest[1] == ':')) {
    h.suffix = std::string(1, rest[0]);
    rest.remove_prefix(1);
  }
  rest = trim(rest);
  if (rest.empty()) return h;
  if (rest[0] == '.' || rest[0] == ':') {
    h.explicit_sep = true;
    h.title = std::string(trim(rest.substr(1)));
    return h;
  }
  if (rest.starts_with("-") || rest.starts_with("\xE2\x80\x93")) {  // '-' or en dash
    h.explicit_sep = true;
    h.title = std::string(trim(rest.substr(rest[0] == '-' ? 1 : 3)));
    return h;
  }
  if (first_is_upper(rest)) {
    h.title = std::string(rest);
    return h;
  }
  return std::nullopt;  // "Điều 11 của Luật này…": a reference, not a heading
}

struct Heading {
  NodeKind kind;
  std::string number;
  std::string title;
};

// Phần / Chương / Mục / Tiểu mục headings.
std::optional<Heading> match_heading(std::string_view line) {
  struct Word {
    std::string_view w;
    NodeKind k;
  };
  static constexpr Word words[] = {{"Tiểu mục", NodeKind::Subsection}, {"TIỂU MỤC", NodeKind::Subsection},
                                   {"Phần", NodeKind::Part},           {"PHẦN", NodeKind::Part},
                                   {"Chương", NodeKind::Chapter},      {"CHƯƠNG", NodeKind::Chapter},
                                   {"Mục", NodeKind::Section},         {"MỤC", NodeKind::Section}};
  for (const auto& [w, k] : words) {
    if (!starts_with_word(line, w)) continue;
    auto rest = trim(line.substr(w.size()));
    std::string number;
    if (k == NodeKind::Part && (rest.starts_with("thứ ") || rest.starts_with("THỨ "))) {
      auto sp = rest.find_first_of(" .:", 5);
      number = lower_utf8(rest.substr(0, sp));
      rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp);
    } else {
      size_t i = 0;
      while (i < rest.size() && rest[i] != ' ' && rest[i] != '.' && rest[i] != ':' && rest[i] != '-') ++i;
      auto tok = rest.substr(0, i);
      if (!is_roman(tok) && !is_digits(tok)) return std::nullopt;
      number = std::string(tok);
      rest = rest.substr(i);
    }
    rest = trim(rest);
    while (!rest.empty() && (rest[0] == '.' || rest[0] == ':' || rest[0] == '-')) rest = trim(rest.substr(1));
    if (rest.starts_with("\xE2\x80\x93")) rest = trim(rest.substr(3));
    // A heading's own line is short; "Mục 2 của Chương này" style text is not a heading.
    if (!rest.empty() && !all_upper(rest) && k != NodeKind::Part) {
      if (!first_is_upper(rest)) return std::nullopt;
    }
    return Heading{k, number, std::string(rest)};
  }
  return std::nullopt;
}

struct ClauseHead {
  int n;
  std::string text;
};

std::optional<ClauseHead> match_clause(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
  if (i == 0 || i > 3 || i >= line.size()) return std::nullopt;
  char sep = line[i];
  if (sep != '.' && sep != '-' && sep != ')') return std::nullopt;
  auto rest = line.substr(i + 1);
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '\t') return std::nullopt;  // "1.000", "1.2"
  return ClauseHead{std::stoi(std::string(line.substr(0, i))), std::string(trim(rest))};
}

struct PointHead {
  int idx;
  std::string letter;
  std::string text;
};

std::optional<PointHead> match_point(std::string_view line) {
  std::string_view letter;
  if (line.starts_with("đ")) letter = line.substr(0, 2);
  else if (!line.empty() && line[0] >= 'a' && line[0] <= 'z') letter = line.substr(0, 1);
  else return std::nullopt;
  auto rest = line.substr(letter.size());
  if (rest.empty() || rest[0] != ')') return std::nullopt;
  int idx = point_index(letter);
  if (idx < 0) return std::nullopt;
  return PointHead{idx, std::string(letter), std::string(trim(rest.substr(1)))};
}

bool is_closing(std::string_view line) {
  static constexpr std::string_view starts[] = {
      "Luật này đã được", "Luật này được Quốc hội", "Bộ luật này đã được", "Bộ luật này được Quốc hội",
      "Hiến pháp này đã được", "Hiến pháp này được", "Pháp lệnh này đã được", "Nghị quyết này đã được",
      "Nghị quyết này được Quốc hội"};
  return std::any_of(std::begin(starts), std::end(starts), [&](std::string_view s) { return line.starts_with(s); });
}

bool is_signer_title(std::string_view line) {
  static constexpr std::string_view starts[] = {"CHỦ TỊCH", "TM.", "KT.", "THỦ TƯỚNG", "BỘ TRƯỞNG", "CHỦ NHIỆM",
                                                "PHÓ CHỦ TỊCH", "TỔNG BÍ THƯ"};
  return all_upper(line) && std::any_of(std::begin(starts), std::end(starts), [&](std::string_view s) { return line.starts_with(s); });
}

bool is_rule(std::string_view line) {
  return !line.empty() && std::all_of(line.begin(), line.end(), [](char c) { return c == '-' || c == '_' || c == '=' || c == '*' || c == ' '; });
}

void append_text(std::string& to, std::string_view line) {
  if (!to.empty()) to += '\n';
  to.append(line);
}

std::string anchor_piece(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::string_view(s).substr(i).starts_with("đ")) {
      out += "dd";
      ++i;
    } else if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (c == ' ' && !out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  return out;
}

const std::array<std::string_view, 10> kDocTypes = {"HIẾN PHÁP", "BỘ LUẬT",   "LUẬT",       "PHÁP LỆNH", "NGHỊ QUYẾT",
                                                    "NGHỊ ĐỊNH", "QUYẾT ĐỊNH", "THÔNG TƯ LIÊN TỊCH", "THÔNG TƯ", "CHỈ THỊ"};

void parse_header(const std::vector<std::string_view>& lines, size_t end, Header& h, size_t& consumed) {
  consumed = 0;
  bool want_title = false;
  bool issuer_open = false;
  std::string title_raw;
  for (size_t i = 0; i < end; ++i) {
    auto l = lines[i];
    if (l.empty() || is_rule(l)) {
      issuer_open = false;
      continue;
    }
    if (want_title) {
      if (all_upper(l) && !l.starts_with("Căn cứ")) {
        if (!title_raw.empty()) title_raw += ' ';
        title_raw.append(l);
        consumed = i + 1;
        continue;
      }
      break;
    }
    if (all_upper(l) && !l.starts_with("CỘNG HÒA") && !l.starts_with("CỘNG HOÀ") && h.number.empty() &&
        h.date.empty() && (h.issuer.empty() || issuer_open)) {
      // "HỘI ĐỒNG NHÂN DÂN" / "TỈNH AN HÒA": the issuer may span lines up to a rule.
      h.issuer += (h.issuer.empty() ? "" : " ") + std::string(l);
      issuer_open = true;
      consumed = i + 1;
      continue;
    }
    issuer_open = false;
    if (l.starts_with("CỘNG HÒA") || l.starts_with("CỘNG HOÀ") || l.starts_with("Độc lập")) {
      consumed = i + 1;
      continue;
    }
    auto so = l.find("số");
    auto colon = l.find(':');
    if (h.number.empty() && (l.starts_with("Số") || (so != std::string_view::npos && so < 20)) && colon != std::string_view::npos &&
        colon < 30) {
      auto num = trim(l.substr(colon + 1));
      h.number = std::string(num.substr(0, num.find(' ')));
      consumed = i + 1;
      continue;
    }
    auto ngay = l.find("ngày ");
    if (h.date.empty() && ngay != std::string_view::npos && l.find("tháng") != std::string_view::npos &&
        l.find("năm") != std::string_view::npos) {
      auto comma = l.rfind(',', ngay);
      if (comma != std::string_view::npos) h.place = std::string(trim(l.substr(0, comma)));
      int d = 0, m = 0, y = 0;
      std::string s(l.substr(ngay));
      if (std::sscanf(s.c_str(), "ngày %d tháng %d năm %d", &d, &m, &y) == 3 && y > 1900) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        h.date = buf;
      }
      consumed = i + 1;
      continue;
    }
    for (auto t : kDocTypes) {
      if (l == t || (l.starts_with(t) && all_upper(l) && l.size() > t.size() && l[t.size()] == ' ')) {
        h.doc_type = sentence_case(t);
        want_title = true;
        if (l.size() > t.size()) title_raw = std::string(trim(l.substr(t.size())));
        consumed = i + 1;
        break;
      }
    }
    if (!want_title && !h.doc_type.empty()) break;
  }
  if (!h.doc_type.empty()) h.title = title_raw.empty() ? h.doc_type : h.doc_type + " " + title_case(h.doc_type, title_raw);
}

}  // namespace

ParsedDocument parse_text(std::string_view text) {
  ParsedDocument doc;
  std::vector<std::string_view> lines;
  {
    size_t start = 0;
    while (start <= text.size()) {
      auto nl = text.find('\n', start);
      lines.push_back(trim(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start)));
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
  }
  // The header ends where the first provision or the legal basis ("Căn cứ") begins.
  size_t first_body = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (match_article(lines[i]) || match_heading(lines[i]) || lines[i].starts_with("Căn cứ")) {
      first_body = i;
      break;
    }
  }
  size_t consumed = 0;
  parse_header(lines, first_body, doc.header, consumed);

  // Open nodes: containers (part/chapter/section/subsection) then article, clause, point.
  Node* part = nullptr;
  Node* chapter = nullptr;
  Node* section = nullptr;
  Node* subsection = nullptr;
  Node* article = nullptr;
  Node* clause = nullptr;
  Node* point = nullptr;
  Node* pending_title = nullptr;  // a heading whose name is on the next line
  int last_article = 0;
  bool seen_article = false;
  std::string last_suffix;
  int last_clause = 0;
  int last_point = -1;
  bool closing = false;
  bool want_signer = false;

  auto container = [&]() -> std::vector<Node>& {
    if (subsection) return subsection->children;
    if (section) return section->children;
    if (chapter) return chapter->children;
    if (part) return part->children;
    return doc.body;
  };

  for (size_t i = consumed; i < lines.size(); ++i) {
    auto l = lines[i];
    if (l.empty() || is_rule(l)) continue;
    const int lineno = static_cast<int>(i + 1);
    if (closing) {
      if (is_signer_title(l) || (want_signer && all_upper(l))) {
        doc.header.signer_title += (doc.header.signer_title.empty() ? "" : " ") + std::string(l);
        want_signer = true;
      } else if (want_signer && !all_upper(l)) {
        doc.header.signer = std::string(l);
        want_signer = false;
      } else if (!want_signer) {
        append_text(doc.closing, l);
      }
      continue;
    }
    if (pending_title) {
      if (!match_article(l) && !match_heading(l) && all_upper(l)) {
        pending_title->title = std::string(l);
        pending_title = nullptr;
        continue;
      }
      pending_title = nullptr;
    }
    if (seen_article && (is_closing(l) || is_signer_title(l))) {
      closing = true;
      --i;
      continue;
    }
    if (auto h = match_heading(l)) {
      Node n;
      n.kind = h->kind;
      n.number = h->number;
      n.title = h->title;
      n.line = lineno;
      article = clause = point = nullptr;
      switch (h->kind) {
        case NodeKind::Part:
          doc.body.push_back(std::move(n));
          part = &doc.body.back();
          chapter = section = subsection = nullptr;
          pending_title = part->title.empty() ? part : nullptr;
          break;
        case NodeKind::Chapter: {
          auto& into = part ? part->children : doc.body;
          into.push_back(std::move(n));
          chapter = &into.back();
          section = subsection = nullptr;
          pending_title = chapter->title.empty() ? chapter : nullptr;
          break;
        }
        case NodeKind::Section: {
          auto& into = chapter ? chapter->children : part ? part->children : doc.body;
          into.push_back(std::move(n));
          section = &into.back();
          subsection = nullptr;
          pending_title = section->title.empty() ? section : nullptr;
          break;
        }
        default: {
          // (Under an open part too: pushing into doc.body here would move the part that
          // `part` points at — found by fuzz/fuzz_law_parser.)
          auto& into = section ? section->children : chapter ? chapter->children : part ? part->children : doc.body;
          into.push_back(std::move(n));
          subsection = &into.back();
          pending_title = subsection->title.empty() ? subsection : nullptr;
        }
      }
      continue;
    }
    if (auto a = match_article(l)) {
      // Numbering moves forward: the next number, a lettered insert (5a after 5), or a jump
      // forward (a source that lost an article) when the line clearly is a heading.
      // (Not last_article == 0: after a "Điều 0" another "Điều 0" is no first article —
      // found by fuzz/fuzz_law_parser, it gave two articles the address #dieu-0.)
      bool first = !seen_article;
      bool next = a->n == last_article + 1 && a->suffix.empty();
      bool lettered = a->n == last_article && !a->suffix.empty() && a->suffix > last_suffix;
      bool jump = a->n > last_article + 1 && (a->explicit_sep || a->n <= last_article + 20);
      if ((first && (a->n == 1 || a->explicit_sep)) || next || lettered || jump) {
        Node n;
        n.kind = NodeKind::Article;
        n.number = std::to_string(a->n) + a->suffix;
        n.title = a->title;
        n.line = lineno;
        n.anchor = "dieu-" + n.number;
        auto& into = container();
        into.push_back(std::move(n));
        article = &into.back();
        clause = point = nullptr;
        last_article = a->n;
        seen_article = true;
        last_suffix = a->suffix;
        last_clause = 0;
        last_point = -1;
        continue;
      }
    }
    if (article) {
      if (auto c = match_clause(l); c && c->n == last_clause + 1) {
        Node n;
        n.kind = NodeKind::Clause;
        n.number = std::to_string(c->n);
        n.text = c->text;
        n.line = lineno;
        n.anchor = article->anchor + "-khoan-" + n.number;
        article->children.push_back(std::move(n));
        clause = &article->children.back();
        point = nullptr;
        last_clause = c->n;
        last_point = -1;
        continue;
      }
      if (auto p = match_point(l);
          p && ((last_point < 0 && p->idx == 0) || (last_point >= 0 && p->idx > last_point && p->idx <= last_point + 2))) {
        Node& parent = clause ? *clause : *article;
        Node n;
        n.kind = NodeKind::Point;
        n.number = p->letter;
        n.text = p->text;
        n.line = lineno;
        n.anchor = parent.anchor + "-diem-" + anchor_piece(p->letter);
        parent.children.push_back(std::move(n));
        point = &parent.children.back();
        last_point = p->idx;
        continue;
      }
      Node* deepest = point ? point : clause ? clause : article;
      append_text(deepest->text, l);
      continue;
    }
    Node* holder = subsection ? subsection : section ? section : chapter ? chapter : part;
    if (holder) append_text(holder->text, l);
    else append_text(doc.preamble, l);
  }

  // Anchors of containers, now that numbering is known. Headings are not checked for order
  // the way Điều are, so a text may repeat one ("Chương I" quoted in an amending law, or a
  // source that repeats a heading): the second gets "-2", the third "-3", and so on, so that
  // every address names one node.
  std::set<std::string> used;
  std::function<void(std::vector<Node>&, const std::string&)> fix = [&](std::vector<Node>& nodes, const std::string& prefix) {
    for (auto& n : nodes) {
      if (n.kind == NodeKind::Article || n.kind == NodeKind::Clause || n.kind == NodeKind::Point) continue;
      std::string base = (prefix.empty() ? "" : prefix + "-") + node_kind_code(n.kind) + "-" + anchor_piece(lower_utf8(n.number));
      n.anchor = base;
      for (int k = 2; !used.insert(n.anchor).second; ++k) n.anchor = base + "-" + std::to_string(k);
      fix(n.children, n.anchor);
    }
  };
  fix(doc.body, "");
  return doc;
}

std::vector<const Node*> articles(const ParsedDocument& doc) {
  std::vector<const Node*> out;
  std::function<void(const std::vector<Node>&)> walk = [&](const std::vector<Node>& nodes) {
    for (const auto& n : nodes) {
      if (n.kind == NodeKind::Article) out.push_back(&n);
      else if (n.kind != NodeKind::Clause && n.kind != NodeKind::Point) walk(n.children);
    }
  };
  walk(doc.body);
  return out;
}

}  // namespace pbgdpl::law
