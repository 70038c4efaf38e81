#pragma once
// Question bank files: our JSON layout, CSV (one question a line), XLSX (the same columns,
// first sheet) and the ALQAC 2024 train.json (Trắc nghiệm and Đúng/Sai with answers).
//
// CSV/XLSX columns (header row required, order free):
//   key, topic, difficulty, type, text, a, b, c, d, e, f, answer, number, tolerance,
//   explanation, provisions, points
// `answer` holds the letters of the correct options ("B", "A;C"), "Đúng"/"Sai" for
// true_false, nothing for numeric (use `number`, `tolerance`); provisions are separated by ";".
#include <string>
#include <string_view>
#include <vector>

#include "contest/model.h"
#include "core/result.h"

namespace pbgdpl::contest {

struct ParsedBank {
  std::vector<QuestionInput> questions;
  std::vector<std::string> errors;  ///< "dòng 4: …"
  int skipped = 0;                  ///< rows of kinds we do not import (ALQAC Tự luận)
};

/// Parses the bytes of a bank file by format (csv, xlsx, json, alqac). File content that is
/// not of that format is a BadRequest with the reason in Vietnamese.
core::Result<ParsedBank> parse_bank(const std::string& bytes, const std::string& format);
/// The format of a bank file from its content (never its name): a ZIP container → xlsx;
/// JSON → json, or alqac when its objects carry "question_type"; other UTF-8 text → csv;
/// "" when it is none of these (binary).
std::string detect_bank_format(std::string_view bytes);
/// The cells of the first sheet of an .xlsx file, row by row.
core::Result<std::vector<std::vector<std::string>>> read_xlsx_rows(const std::string& path);
/// The same from the bytes of an .xlsx file (an upload).
core::Result<std::vector<std::vector<std::string>>> xlsx_rows_of(std::string_view bytes);
/// Reads a file and parses it by format (csv, xlsx, json, alqac).
core::Result<ParsedBank> read_bank_file(const std::string& path, const std::string& format);

}  // namespace pbgdpl::contest
