#pragma once
// Result<T>: a value or an Error {code, message}. Expected failures (validation, not found,
// conflict, forbidden) travel as values; exceptions are reserved for what cannot continue.
#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/error_codes.h"

namespace pbgdpl::core {

enum class ErrorCode {
#define PBGDPL_X(id, wire, status, msg) id,
  PBGDPL_ERROR_CODES(PBGDPL_X)
#undef PBGDPL_X
};

/// Wire name ("not_found"), HTTP status and default Vietnamese message of a code.
std::string_view error_wire(ErrorCode c);
int error_status(ErrorCode c);
std::string_view error_default_message(ErrorCode c);
/// All codes, for docs and the OpenAPI check.
const std::vector<ErrorCode>& all_error_codes();

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string message;  // Vietnamese, safe to show to the user
  std::string field;    // optional: the form field at fault

  static Error of(ErrorCode c) { return {c, std::string(error_default_message(c)), {}}; }
  static Error of(ErrorCode c, std::string msg, std::string field = {}) {
    return {c, std::move(msg), std::move(field)};
  }
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::move(v)) {}          // NOLINT(google-explicit-constructor)
  Result(Error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return err_; }
  Error&& take_error() { assert(!ok_); return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace pbgdpl::core

/// Propagates an error from an expression returning Result<...>.
#define PBGDPL_TRY(expr)                                   \
  do {                                                     \
    auto&& pbgdpl_try_r_ = (expr);                         \
    if (!pbgdpl_try_r_.ok()) return pbgdpl_try_r_.take_error(); \
  } while (0)
