#pragma once
// Readers for `pbgdpl library import`: plain text, Markdown, HTML, DOCX (libzip + the
// document.xml text runs), PDF (poppler-cpp), the project's JSON exchange format
// ("pbgdpl.law/1") and, with --format alqac, the ALQAC law.json layout. Each reader
// returns documents ready for Service::import or an error naming the line at fault.
#include <string>
#include <vector>

#include "law/service.h"

namespace pbgdpl::law {

struct ImportOptions {
  std::string format;  ///< "" = by extension; "alqac"; "json"
  std::string status;  ///< override the effect status of imported documents
};

/// Reads one file into one or more documents.
Result<std::vector<ImportInput>> read_import_file(const std::string& path, const ImportOptions& o);
/// Files to import under the given paths (folders are walked; unknown extensions skipped).
std::vector<std::string> expand_import_paths(const std::vector<std::string>& paths, const ImportOptions& o);

std::string html_to_text(std::string_view html);
std::string markdown_to_text(std::string_view md);
/// The metadata a parsed header gives (type, number, issuer, dates, title).
DocumentMeta meta_from_header(const ParsedDocument& p, const std::string& fallback_title);

}  // namespace pbgdpl::law
