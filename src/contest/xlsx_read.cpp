// Reading the first sheet of an .xlsx question bank (libzip + a small scan of the two XML
// parts we need: shared strings and sheet1). Cells are shared strings, inline strings or
// numbers; styles and formulas are ignored (their cached value is used).
#include <zip.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "contest/importer.h"
#include "core/result.h"
#include "core/utf8.h"

namespace pbgdpl::contest {

using core::Error;
using core::ErrorCode;

namespace {

core::Result<std::string> zip_entry(zip_t* z, const char* name, bool required) {
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0) {
    if (required) return Error::of(ErrorCode::BadRequest, std::string("Tệp XLSX thiếu phần ") + name + ".");
    return std::string();
  }
  if (st.size > (64u << 20)) return Error::of(ErrorCode::PayloadTooLarge, "Tệp XLSX quá lớn.");
  zip_file_t* f = zip_fopen(z, name, 0);
  if (!f) return Error::of(ErrorCode::BadRequest, "Không đọc được tệp XLSX.");
  std::string out(st.size, '\0');
  auto n = zip_fread(f, out.data(), st.size);
  zip_fclose(f);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return Error::of(ErrorCode::BadRequest, "Tệp XLSX bị hỏng.");
  return out;
}


// Concatenated text of every <t …>…</t> in [b, e).
std::string texts(std::string_view x) {
  std::string out;
  size_t p = 0;
  while ((p = x.find("<t", p)) != std::string_view::npos) {
    if (p + 2 < x.size() && x[p + 2] != '>' && x[p + 2] != ' ') {
      p += 2;
      continue;
    }
    auto gt = x.find('>', p);
    if (gt == std::string_view::npos) break;
    if (x[gt - 1] == '/') {
      p = gt;
      continue;
    }
    auto end = x.find("</t>", gt);
    if (end == std::string_view::npos) break;
    out += core::decode_char_refs(x.substr(gt + 1, end - gt - 1));
    p = end + 4;
  }
  return out;
}

std::string attr(std::string_view tag, std::string_view name) {
  std::string key = " " + std::string(name) + "=\"";
  auto p = tag.find(key);
  if (p == std::string_view::npos) return "";
  p += key.size();
  auto e = tag.find('"', p);
  return e == std::string_view::npos ? "" : std::string(tag.substr(p, e - p));
}

size_t column_of(const std::string& ref) {
  size_t col = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<size_t>(c - 'A' + 1);
  }
  return col == 0 ? 0 : col - 1;
}

/// The rows of the first sheet of an opened workbook; closes z.
core::Result<std::vector<std::vector<std::string>>> rows_of(zip_t* z) {
  auto shared = zip_entry(z, "xl/sharedStrings.xml", false);
  auto sheet = zip_entry(z, "xl/worksheets/sheet1.xml", true);
  zip_close(z);
  if (!shared) return shared.take_error();
  if (!sheet) return sheet.take_error();
  std::vector<std::string> strings;
  std::string_view ss = *shared;
  for (size_t p = 0; (p = ss.find("<si", p)) != std::string_view::npos;) {
    auto e = ss.find("</si>", p);
    if (e == std::string_view::npos) break;
    strings.push_back(texts(ss.substr(p, e - p)));
    p = e + 5;
  }
  std::vector<std::vector<std::string>> rows;
  std::string_view sh = *sheet;
  for (size_t p = 0; (p = sh.find("<row", p)) != std::string_view::npos;) {
    auto e = sh.find("</row>", p);
    if (e == std::string_view::npos) break;
    std::string_view row = sh.substr(p, e - p);
    std::vector<std::string> cells;
    for (size_t q = 0; (q = row.find("<c ", q)) != std::string_view::npos;) {
      auto gt = row.find('>', q);
      if (gt == std::string_view::npos) break;
      std::string_view tag = row.substr(q, gt - q + 1);
      size_t col = column_of(attr(tag, "r"));
      if (col > 200) return Error::of(ErrorCode::BadRequest, "Bảng tính có quá nhiều cột.");
      std::string value;
      if (tag.back() == '>' && tag[tag.size() - 2] != '/') {
        auto ce = row.find("</c>", gt);
        if (ce == std::string_view::npos) break;
        std::string_view body = row.substr(gt + 1, ce - gt - 1);
        auto type = attr(tag, "t");
        if (type == "inlineStr") {
          value = texts(body);
        } else {
          auto vb = body.find("<v>"), ve = body.find("</v>");
          if (vb != std::string_view::npos && ve != std::string_view::npos) value = core::decode_char_refs(body.substr(vb + 3, ve - vb - 3));
          if (type == "s") {
            size_t idx = 0;
            try {
              idx = std::stoul(value);
            } catch (const std::exception&) {
              return Error::of(ErrorCode::BadRequest, "Tệp XLSX bị hỏng (chỉ số chuỗi).");
            }
            if (idx >= strings.size()) return Error::of(ErrorCode::BadRequest, "Tệp XLSX bị hỏng (chỉ số chuỗi).");
            value = strings[idx];
          }
        }
        q = ce + 4;
      } else {
        q = gt + 1;
      }
      if (cells.size() <= col) cells.resize(col + 1);
      cells[col] = std::move(value);
    }
    rows.push_back(std::move(cells));
    p = e + 6;
  }
  return rows;
}

}  // namespace

core::Result<std::vector<std::vector<std::string>>> read_xlsx_rows(const std::string& path) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z) return Error::of(ErrorCode::BadRequest, "Không mở được tệp XLSX " + path + " (không phải tệp .xlsx?).");
  return rows_of(z);
}

core::Result<std::vector<std::vector<std::string>>> xlsx_rows_of(std::string_view bytes) {
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerr);
  zip_t* z = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : nullptr;
  zip_error_fini(&zerr);
  if (!z) {
    if (src) zip_source_free(src);
    return Error::of(ErrorCode::BadRequest, "Tệp không phải bảng tính XLSX hợp lệ (không đọc được nội dung nén).");
  }
  return rows_of(z);
}

}  // namespace pbgdpl::contest
