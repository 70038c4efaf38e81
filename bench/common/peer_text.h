#pragma once
// How the benchmarks' peers (SQLite FTS5, PostgreSQL FTS, Sphinx) get their text, shared by
// bench/search-quality and bench/search-speed so that both measure the same configuration.
// Input is NFC already (pbgdpl::text::nfc): none of the peers composes combining marks.
#include <string>
#include <string_view>
#include <vector>

namespace peer_text {

/// Soft hyphens (U+00AD) removed: they would split a word in two.
std::string drop_soft_hyphens(std::string_view nfc_text);
/// Soft hyphens removed and đ/Đ (and Ð U+00D0, which some texts use for Đ) → d: FTS5's
/// unicode61 folds tone marks but has no decomposition for these letters.
std::string fold_d(std::string_view nfc_text);
/// Maximal runs of ASCII letters/digits and Latin letters (U+00C0–U+024F, U+1E00–U+1EFF)
/// with combining marks; everything else separates. Repeats kept, in order.
std::vector<std::string> words(std::string_view s);
/// The same, each word once (first occurrence order).
std::vector<std::string> distinct_words(std::string_view s);

}  // namespace peer_text
