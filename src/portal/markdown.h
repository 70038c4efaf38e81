#pragma once
// Markdown → HTML for editors' text, parsed by cmark (CommonMark) and rendered by our own
// walk over cmark's tree with an allow-list: only the elements Markdown produces, every
// text and attribute escaped, raw HTML dropped, links only to http(s), mailto, tel and
// same-site paths, images only from the media library or https. The output is safe to put
// into a page as is, whatever the input (fuzzed in fuzz/fuzz_markdown.cpp).
#include <string>
#include <string_view>
#include <vector>

namespace pbgdpl::portal {

/// Sanitized HTML of a Markdown text. Headings shift one level down (the page has the h1).
std::string markdown_html(std::string_view markdown);
/// The text a listener hears or a search indexes: no markup, paragraphs on their own lines.
std::string markdown_text(std::string_view markdown);
/// Pages of a multi-page item (sổ tay): the body split at lines holding only "+++".
std::vector<std::string> split_pages(std::string_view body);
/// True when a URL may appear as a link target in sanitized output.
bool safe_link(std::string_view url);
/// True when a URL may be an image source (same-site /media/… or https).
bool safe_image(std::string_view url);

}  // namespace pbgdpl::portal
