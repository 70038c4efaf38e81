#include "web/template.h"

#include "core/assets.h"
#include "http/message.h"

namespace pbgdpl::web {

using core::Error;
using core::ErrorCode;

struct Node {
  enum Kind { Text, Var, Raw, Section, Inverted, Partial } kind = Text;
  std::string text;  // literal text or name
  std::vector<std::string> path;
  std::vector<Node> children;
};

Template::Template() = default;
Template::~Template() = default;
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;

namespace {

std::vector<std::string> split_path(const std::string& name) {
  std::vector<std::string> out;
  if (name == ".") return out;
  size_t start = 0;
  while (true) {
    auto dot = name.find('.', start);
    out.push_back(name.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string strip(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

const nlohmann::json* lookup(const std::vector<std::string>& path, const std::vector<const nlohmann::json*>& ctx) {
  if (path.empty()) return ctx.back();
  for (auto it = ctx.rbegin(); it != ctx.rend(); ++it) {
    const nlohmann::json* j = *it;
    if (!j->is_object()) continue;
    auto f = j->find(path[0]);
    if (f == j->end()) continue;
    const nlohmann::json* cur = &*f;
    for (size_t i = 1; i < path.size(); ++i) {
      if (!cur->is_object()) return nullptr;
      auto g = cur->find(path[i]);
      if (g == cur->end()) return nullptr;
      cur = &*g;
    }
    return cur;
  }
  return nullptr;
}

bool truthy(const nlohmann::json* j) {
  if (!j || j->is_null()) return false;
  if (j->is_boolean()) return j->get<bool>();
  if (j->is_array() || j->is_object()) return !j->empty();
  if (j->is_string()) return !j->get_ref<const std::string&>().empty();
  if (j->is_number_integer()) return j->get<int64_t>() != 0;
  if (j->is_number()) return j->get<double>() != 0;
  return true;
}

std::string scalar(const nlohmann::json* j) {
  if (!j || j->is_null()) return {};
  if (j->is_string()) return j->get<std::string>();
  if (j->is_boolean()) return j->get<bool>() ? "true" : "";
  return j->dump();
}

}  // namespace

core::Result<Template> Template::parse(std::string_view name, std::string_view src) {
  Template t;
  t.name_ = std::string(name);
  std::vector<std::vector<Node>*> stack{&t.nodes_};
  std::vector<std::string> open;
  size_t pos = 0;
  while (pos < src.size()) {
    auto start = src.find("{{", pos);
    if (start == std::string_view::npos) {
      stack.back()->push_back({Node::Text, std::string(src.substr(pos)), {}, {}});
      break;
    }
    if (start > pos) stack.back()->push_back({Node::Text, std::string(src.substr(pos, start - pos)), {}, {}});
    bool triple = src.substr(start, 3) == "{{{";
    auto end = src.find(triple ? "}}}" : "}}", start);
    if (end == std::string_view::npos)
      return Error::of(ErrorCode::Internal, "template " + t.name_ + ": unclosed tag");
    std::string tag(src.substr(start + (triple ? 3 : 2), end - start - (triple ? 3 : 2)));
    pos = end + (triple ? 3 : 2);
    if (triple) {
      auto n = strip(tag);
      stack.back()->push_back({Node::Raw, n, split_path(n), {}});
      continue;
    }
    if (tag.empty()) continue;
    char sigil = tag[0];
    std::string nm = strip(std::string_view(tag).substr(sigil == '#' || sigil == '^' || sigil == '/' ||
                                                                sigil == '>' || sigil == '!' || sigil == '&'
                                                            ? 1
                                                            : 0));
    switch (sigil) {
      case '!': break;
      case '#':
      case '^': {
        stack.back()->push_back({sigil == '#' ? Node::Section : Node::Inverted, nm, split_path(nm), {}});
        stack.push_back(&stack.back()->back().children);
        open.push_back(nm);
        break;
      }
      case '/':
        if (open.empty() || open.back() != nm)
          return Error::of(ErrorCode::Internal, "template " + t.name_ + ": unexpected {{/" + nm + "}}");
        open.pop_back();
        stack.pop_back();
        break;
      case '>': stack.back()->push_back({Node::Partial, nm, {}, {}}); break;
      case '&': stack.back()->push_back({Node::Raw, nm, split_path(nm), {}}); break;
      default: stack.back()->push_back({Node::Var, nm, split_path(nm), {}});
    }
  }
  if (!open.empty()) return Error::of(ErrorCode::Internal, "template " + t.name_ + ": unclosed {{#" + open.back() + "}}");
  return t;
}

core::Status Templates::add(std::string name, std::string_view src) {
  auto t = Template::parse(name, src);
  if (!t) return t.take_error();
  map_.insert_or_assign(std::move(name), std::move(t.value()));
  return {};
}

core::Status Templates::load_embedded(std::string_view prefix) {
  for (const auto& full : core::list_assets(prefix)) {
    std::string name = full.substr(prefix.size());
    if (name.ends_with(".html")) name.resize(name.size() - 5);
    PBGDPL_TRY(add(name, *core::find_asset(full)));
  }
  return {};
}

bool Templates::has(std::string_view name) const { return map_.find(name) != map_.end(); }

std::string Templates::render(std::string_view name, const nlohmann::json& data) const {
  std::string out;
  auto it = map_.find(name);
  if (it == map_.end()) return "<!-- missing template " + http::html_escape(name) + " -->";
  std::vector<const nlohmann::json*> ctx{&data};
  render_nodes(it->second.nodes_, ctx, out, 0);
  return out;
}

void Templates::render_nodes(const std::vector<Node>& nodes, std::vector<const nlohmann::json*>& ctx,
                             std::string& out, int depth) const {
  if (depth > 32) return;  // partial recursion guard
  for (const auto& n : nodes) {
    switch (n.kind) {
      case Node::Text: out += n.text; break;
      case Node::Var: out += http::html_escape(scalar(lookup(n.path, ctx))); break;
      case Node::Raw: out += scalar(lookup(n.path, ctx)); break;
      case Node::Partial: {
        auto it = map_.find(n.text);
        if (it != map_.end()) render_nodes(it->second.nodes_, ctx, out, depth + 1);
        break;
      }
      case Node::Inverted:
        if (!truthy(lookup(n.path, ctx))) render_nodes(n.children, ctx, out, depth);
        break;
      case Node::Section: {
        const auto* v = lookup(n.path, ctx);
        if (!truthy(v)) break;
        if (v->is_array()) {
          for (const auto& item : *v) {
            ctx.push_back(&item);
            render_nodes(n.children, ctx, out, depth);
            ctx.pop_back();
          }
        } else {
          // Objects are entered; a truthy scalar is pushed too, so {{.}} inside the section
          // is that value (names skip non-object scopes and still reach outer ones).
          ctx.push_back(v);
          render_nodes(n.children, ctx, out, depth);
          ctx.pop_back();
        }
        break;
      }
    }
  }
}

}  // namespace pbgdpl::web
