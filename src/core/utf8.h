#pragma once
#include <string>
#include <string_view>

namespace pbgdpl::core {

/// Strict UTF-8 validation (no overlongs, no surrogates, max U+10FFFF).
bool utf8_valid(std::string_view s);
/// Number of code points in valid UTF-8.
size_t utf8_length(std::string_view s);
/// True when s holds C0 control characters other than tab, CR, LF.
bool has_control_chars(std::string_view s);
/// Trims ASCII whitespace on both ends.
std::string_view trim(std::string_view s);
/// Appends the UTF-8 encoding of a code point (the caller checks it is a scalar value).
void append_utf8(std::string& out, char32_t cp);
/// Decodes the character references of XML and HTML text: &amp; &lt; &gt; &quot; &apos;,
/// &nbsp; (as a plain space) and numeric ones (&#233; &#xE9;). Anything else — unknown
/// names, surrogates, NUL, out of range, no ';' within 10 bytes — stays as written.
std::string decode_char_refs(std::string_view s);

}  // namespace pbgdpl::core
