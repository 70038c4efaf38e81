#include "portal/markdown.h"

#include <cmark.h>

#include <memory>

#include "http/message.h"

namespace pbgdpl::portal {

namespace {

void escape_to(std::string& out, std::string_view s) { out += http::html_escape(s); }

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool has_bad_chars(std::string_view url) {
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`')
      return true;
  return false;
}

struct DocFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};

// The plain text below a node (for image alt text).
std::string text_of(cmark_node* node) {
  std::string out;
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(node));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it.get());
    if (ev != CMARK_EVENT_ENTER) continue;
    auto t = cmark_node_get_type(n);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
      if (const char* l = cmark_node_get_literal(n)) out += l;
    } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      out += ' ';
    }
  }
  return out;
}

std::unique_ptr<cmark_node, DocFree> parse(std::string_view md) {
  // Inputs are validated UTF-8 upstream; VALIDATE_UTF8 replaces anything else with U+FFFD.
  return std::unique_ptr<cmark_node, DocFree>(
      cmark_parse_document(md.data(), md.size(), CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART));
}

}  // namespace

bool safe_link(std::string_view url) {
  if (url.empty() || url.size() > 2000 || has_bad_chars(url)) return false;
  if (url.front() == '#') return true;
  if (url.front() == '/') return url.size() == 1 || url[1] != '/';
  return starts_with_ci(url, "https://") || starts_with_ci(url, "http://") || starts_with_ci(url, "mailto:") ||
         starts_with_ci(url, "tel:");
}

bool safe_image(std::string_view url) {
  if (url.empty() || url.size() > 2000 || has_bad_chars(url)) return false;
  return url.starts_with("/media/") || starts_with_ci(url, "https://");
}

std::string markdown_html(std::string_view md) {
  auto doc = parse(md);
  if (!doc) return {};
  std::string out;
  out.reserve(md.size() * 5 / 4 + 64);
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(doc.get()));
  cmark_event_type ev;
  // Links that were refused render their text only; remember which exits to skip.
  std::vector<cmark_node*> dropped_links;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it.get());
    bool enter = ev == CMARK_EVENT_ENTER;
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_DOCUMENT: break;
      case CMARK_NODE_BLOCK_QUOTE: out += enter ? "<blockquote>\n" : "</blockquote>\n"; break;
      case CMARK_NODE_LIST: {
        bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
        if (enter) {
          int start = cmark_node_get_list_start(n);
          if (ordered && start > 1) out += "<ol start=\"" + std::to_string(start) + "\">\n";
          else out += ordered ? "<ol>\n" : "<ul>\n";
        } else {
          out += ordered ? "</ol>\n" : "</ul>\n";
        }
        break;
      }
      case CMARK_NODE_ITEM: out += enter ? "<li>" : "</li>\n"; break;
      case CMARK_NODE_CODE_BLOCK:
        out += "<pre><code>";
        escape_to(out, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
        out += "</code></pre>\n";
        break;
      case CMARK_NODE_HTML_BLOCK:
      case CMARK_NODE_HTML_INLINE:
      case CMARK_NODE_CUSTOM_BLOCK:
      case CMARK_NODE_CUSTOM_INLINE: break;  // raw HTML is never passed through
      case CMARK_NODE_PARAGRAPH: {
        // Tight list items hold their paragraphs without <p>.
        cmark_node* parent = cmark_node_parent(n);
        cmark_node* grand = parent ? cmark_node_parent(parent) : nullptr;
        bool tight = grand && cmark_node_get_type(grand) == CMARK_NODE_LIST && cmark_node_get_list_tight(grand);
        if (!tight) out += enter ? "<p>" : "</p>\n";
        break;
      }
      case CMARK_NODE_HEADING: {
        int level = std::min(6, cmark_node_get_heading_level(n) + 1);
        out += enter ? "<h" + std::to_string(level) + ">" : "</h" + std::to_string(level) + ">\n";
        break;
      }
      case CMARK_NODE_THEMATIC_BREAK: out += "<hr>\n"; break;
      case CMARK_NODE_TEXT: escape_to(out, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : ""); break;
      case CMARK_NODE_SOFTBREAK: out += '\n'; break;
      case CMARK_NODE_LINEBREAK: out += "<br>\n"; break;
      case CMARK_NODE_CODE:
        out += "<code>";
        escape_to(out, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
        out += "</code>";
        break;
      case CMARK_NODE_EMPH: out += enter ? "<em>" : "</em>"; break;
      case CMARK_NODE_STRONG: out += enter ? "<strong>" : "</strong>"; break;
      case CMARK_NODE_LINK: {
        const char* u = cmark_node_get_url(n);
        std::string_view url = u ? u : "";
        if (enter) {
          if (!safe_link(url)) {
            dropped_links.push_back(n);
            break;
          }
          out += "<a href=\"";
          escape_to(out, url);
          out += "\"";
          if (const char* t = cmark_node_get_title(n); t && *t) {
            out += " title=\"";
            escape_to(out, t);
            out += "\"";
          }
          if (url.front() != '/' && url.front() != '#') out += " rel=\"nofollow noopener\"";
          out += ">";
        } else if (!dropped_links.empty() && dropped_links.back() == n) {
          dropped_links.pop_back();
        } else {
          out += "</a>";
        }
        break;
      }
      case CMARK_NODE_IMAGE: {
        if (!enter) break;
        const char* u = cmark_node_get_url(n);
        std::string_view url = u ? u : "";
        std::string alt = text_of(n);
        if (safe_image(url)) {
          out += "<img src=\"";
          escape_to(out, url);
          out += "\" alt=\"";
          escape_to(out, alt);
          out += "\" loading=\"lazy\">";
        } else {
          escape_to(out, alt);
        }
        // Skip the children (the alt text was already written).
        cmark_iter_reset(it.get(), n, CMARK_EVENT_EXIT);
        break;
      }
      default: break;
    }
  }
  return out;
}

std::string markdown_text(std::string_view md) {
  auto doc = parse(md);
  if (!doc) return {};
  std::string out;
  std::unique_ptr<cmark_iter, IterFree> it(cmark_iter_new(doc.get()));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it.get())) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it.get());
    auto t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER) {
      if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK) {
        if (const char* l = cmark_node_get_literal(n)) out += l;
      } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
        out += ' ';
      }
    } else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == CMARK_NODE_ITEM) {
      if (!out.empty() && out.back() != '\n') out += t == CMARK_NODE_HEADING ? ".\n" : "\n";
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::vector<std::string> split_pages(std::string_view body) {
  std::vector<std::string> pages(1);
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    std::string_view line = body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.back() == '\r' || trimmed.back() == ' ')) trimmed.remove_suffix(1);
    if (trimmed == "+++") {
      pages.emplace_back();
    } else {
      pages.back() += line;
      if (nl != std::string_view::npos) pages.back() += '\n';
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  std::vector<std::string> out;
  for (auto& p : pages)
    if (p.find_first_not_of(" \r\n\t") != std::string::npos) out.push_back(std::move(p));
  if (out.empty()) out.emplace_back();
  return out;
}

}  // namespace pbgdpl::portal
