#pragma once
// Structure parser for Vietnamese legal texts in plain text (Markdown and HTML are turned
// into plain lines first). It recovers the header (cơ quan, số hiệu, địa danh và ngày, loại,
// tên, người ký) and the provision tree with stable anchors.
//
// Workload assumptions: documents are parsed once at import (~1 MB/s is plenty); the parser
// favours recall of Điều with the right numbering, which is what search and links need.
// Numbering decides ambiguous lines: a line "Điều 11 của Luật này…" that does not continue
// the article sequence is text, not a new article.
#include <string_view>
#include <vector>

#include "law/model.h"

namespace pbgdpl::law {

ParsedDocument parse_text(std::string_view text);
/// Articles in document order (pointers into doc).
std::vector<const Node*> articles(const ParsedDocument& doc);

}  // namespace pbgdpl::law
