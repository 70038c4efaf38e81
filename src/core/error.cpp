#include "core/result.h"

namespace pbgdpl::core {

std::string_view error_wire(ErrorCode c) {
  switch (c) {
#define PBGDPL_X(id, wire, status, msg) \
  case ErrorCode::id:                   \
    return wire;
    PBGDPL_ERROR_CODES(PBGDPL_X)
#undef PBGDPL_X
  }
  return "internal_error";
}

int error_status(ErrorCode c) {
  switch (c) {
#define PBGDPL_X(id, wire, status, msg) \
  case ErrorCode::id:                   \
    return status;
    PBGDPL_ERROR_CODES(PBGDPL_X)
#undef PBGDPL_X
  }
  return 500;
}

std::string_view error_default_message(ErrorCode c) {
  switch (c) {
#define PBGDPL_X(id, wire, status, msg) \
  case ErrorCode::id:                   \
    return msg;
    PBGDPL_ERROR_CODES(PBGDPL_X)
#undef PBGDPL_X
  }
  return "Lỗi.";
}

const std::vector<ErrorCode>& all_error_codes() {
  static const std::vector<ErrorCode> all = {
#define PBGDPL_X(id, wire, status, msg) ErrorCode::id,
      PBGDPL_ERROR_CODES(PBGDPL_X)
#undef PBGDPL_X
  };
  return all;
}

}  // namespace pbgdpl::core
