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
#include <vector>

#include "contest/model.h"
#include "core/result.h"

namespace pbgdpl::contest {

struct ParsedBank {
  std::vector<QuestionInput> questions;
  std::vector<std::string> errors;  ///< "dòng 4: …"
  int skipped = 0;                  ///< rows of kinds we do not import (ALQAC Tự luận)
};

core::Result<ParsedBank> parse_bank(const std::string& bytes, const std::string& format);
/// The cells of the first sheet of an .xlsx file, row by row.
core::Result<std::vector<std::vector<std::string>>> read_xlsx_rows(const std::string& path);
/// Reads a file and parses it by format (csv, xlsx, json, alqac).
core::Result<ParsedBank> read_bank_file(const std::string& path, const std::string& format);

}  // namespace pbgdpl::contest
