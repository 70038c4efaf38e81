#pragma once
// A small logic-less template engine (a Mustache subset) over nlohmann::json view models:
//   {{name}} escaped, {{{name}}} raw, {{a.b}} dotted, {{.}} current item,
//   {{#name}}…{{/name}} section (list: repeat; object: enter; other truthy: once, with
//   {{.}} = the value), falsy = null/false/0/""/[]/{} or missing,
//   {{^name}}…{{/name}} inverted section, {{>name}} partial, {{! comment }}.
// Hand-written because no Debian-packaged C++ Mustache library exists; templates are
// parsed once at startup and rendered from the parsed tree.
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pbgdpl::web {

struct Node;

class Template {
 public:
  static core::Result<Template> parse(std::string_view name, std::string_view src);
  Template();
  ~Template();
  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;

 private:
  friend class Templates;
  std::string name_;
  std::vector<Node> nodes_;
};

/// A set of named templates that can include each other as partials.
class Templates {
 public:
  /// Adds every embedded file under prefix ("accounts/templates/"), named without the
  /// prefix and without ".html" ("login").
  core::Status load_embedded(std::string_view prefix);
  core::Status add(std::string name, std::string_view src);
  bool has(std::string_view name) const;
  /// Renders a template; unknown names render an HTML comment (a programmer error).
  std::string render(std::string_view name, const nlohmann::json& data) const;

 private:
  void render_nodes(const std::vector<Node>& nodes, std::vector<const nlohmann::json*>& ctx, std::string& out,
                    int depth) const;
  std::map<std::string, Template, std::less<>> map_;
};

}  // namespace pbgdpl::web
