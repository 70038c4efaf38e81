#include "core/config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>

#include "core/utf8.h"

namespace pbgdpl::core {
namespace {

Result<long long> parse_int(const std::string& key, const std::string& v) {
  try {
    size_t pos = 0;
    long long n = std::stoll(v, &pos);
    if (pos != v.size() || n < 0) throw std::invalid_argument(v);
    return n;
  } catch (...) {
    return Error::of(ErrorCode::Validation, "Giá trị của '" + key + "' phải là số nguyên không âm: " + v);
  }
}

Result<bool> parse_bool(const std::string& key, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return Error::of(ErrorCode::Validation, "Giá trị của '" + key + "' phải là true hoặc false: " + v);
}

using Setter = std::function<Status(Config&, const std::string&, const std::string&)>;

template <class T>
Setter int_setter(T Config::*m) {
  return [m](Config& c, const std::string& k, const std::string& v) -> Status {
    auto n = parse_int(k, v);
    if (!n) return n.take_error();
    if (static_cast<unsigned long long>(*n) > static_cast<unsigned long long>(std::numeric_limits<T>::max()))
      return Error::of(ErrorCode::Validation, "Giá trị của '" + k + "' quá lớn: " + v);
    c.*m = static_cast<T>(*n);
    return {};
  };
}
Setter str_setter(std::string Config::*m) {
  return [m](Config& c, const std::string&, const std::string& v) -> Status {
    c.*m = v;
    return {};
  };
}
Setter bool_setter(bool Config::*m) {
  return [m](Config& c, const std::string& k, const std::string& v) -> Status {
    auto b = parse_bool(k, v);
    if (!b) return b.take_error();
    c.*m = *b;
    return {};
  };
}

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> m = {
      {"data_dir", str_setter(&Config::data_dir)},
      {"database", str_setter(&Config::database)},
      {"listen", str_setter(&Config::listen)},
      {"threads", int_setter(&Config::threads)},
      {"workers", int_setter(&Config::workers)},
      {"db_pool", int_setter(&Config::db_pool)},
      {"max_body", int_setter(&Config::max_body)},
      {"max_header", int_setter(&Config::max_header)},
      {"read_timeout_s", int_setter(&Config::read_timeout_s)},
      {"idle_timeout_s", int_setter(&Config::idle_timeout_s)},
      {"shutdown_grace_s", int_setter(&Config::shutdown_grace_s)},
      {"session_idle_min", int_setter(&Config::session_idle_min)},
      {"session_absolute_h", int_setter(&Config::session_absolute_h)},
      {"public_url", str_setter(&Config::public_url)},
      {"trust_proxy", bool_setter(&Config::trust_proxy)},
      {"mail_sender", str_setter(&Config::mail_sender)},
      {"smtp_host", str_setter(&Config::smtp_host)},
      {"smtp_port", int_setter(&Config::smtp_port)},
      {"mail_from", str_setter(&Config::mail_from)},
      {"log_level", str_setter(&Config::log_level)},
      {"access_log", bool_setter(&Config::access_log)},
  };
  return m;
}

}  // namespace

std::string Config::database_url() const {
  if (!database.empty()) return database;
  return "sqlite:" + data_dir + "/pbgdpl.db";
}

bool Config::is_postgres() const {
  auto u = database_url();
  return u.rfind("postgresql://", 0) == 0 || u.rfind("postgres://", 0) == 0;
}

Status Config::set(const std::string& key, const std::string& value) {
  std::string k = key;
  for (auto& ch : k) ch = ch == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto it = setters().find(k);
  if (it == setters().end())
    return Error::of(ErrorCode::Validation, "Khóa cấu hình không được hỗ trợ: " + key);
  return it->second(*this, k, value);
}

Status Config::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error::of(ErrorCode::NotFound, "Không mở được tệp cấu hình: " + path);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    // '#' starts a comment at the start of a line or after whitespace; elsewhere it is
    // part of the value (passwords in database URLs, URL fragments).
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        line.resize(i);
        break;
      }
    }
    auto t = trim(line);
    if (t.empty()) continue;
    auto eq = t.find('=');
    if (eq == std::string_view::npos)
      return Error::of(ErrorCode::Validation,
                       path + ":" + std::to_string(lineno) + ": thiếu dấu '=' (dạng khóa = giá trị)");
    auto st = set(std::string(trim(t.substr(0, eq))), std::string(trim(t.substr(eq + 1))));
    if (!st) return Error::of(ErrorCode::Validation, path + ":" + std::to_string(lineno) + ": " + st.error().message);
  }
  return {};
}

Status Config::load_env() {
  for (const auto& [k, _] : setters()) {
    std::string env = "PBGDPL_";
    for (char ch : k) env += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (const char* v = std::getenv(env.c_str())) {
      auto st = set(k, v);
      if (!st) return Error::of(ErrorCode::Validation, env + ": " + st.error().message);
    }
  }
  return {};
}

std::vector<std::string> Config::keys() {
  std::vector<std::string> out;
  for (const auto& [k, _] : setters()) out.push_back(k);
  return out;
}

}  // namespace pbgdpl::core
