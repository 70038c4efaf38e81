#pragma once
// The one registry of error codes (X-macro), shared by the JSON API, HTML error pages and
// logs. Each entry: identifier, wire code, HTTP status, default Vietnamese message.
#define PBGDPL_ERROR_CODES(X)                                                                   \
  X(BadRequest, "bad_request", 400, "Yêu cầu không hợp lệ.")                                    \
  X(InvalidUtf8, "invalid_utf8", 400, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.")       \
  X(Validation, "validation_failed", 422, "Dữ liệu chưa hợp lệ, vui lòng kiểm tra lại.")         \
  X(Unauthorized, "unauthorized", 401, "Bạn cần đăng nhập để tiếp tục.")                        \
  X(Forbidden, "forbidden", 403, "Bạn không có quyền thực hiện thao tác này.")                  \
  X(CsrfFailed, "csrf_failed", 403,                                                             \
    "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")                \
  X(NotFound, "not_found", 404, "Không tìm thấy trang hoặc dữ liệu bạn yêu cầu.")               \
  X(MethodNotAllowed, "method_not_allowed", 405, "Phương thức này không được hỗ trợ tại đây.")  \
  X(RequestTimeout, "request_timeout", 408, "Yêu cầu gửi quá chậm, kết nối đã bị đóng.")        \
  X(Conflict, "conflict", 409, "Dữ liệu đã tồn tại hoặc vừa bị thay đổi bởi người khác.")        \
  X(DeadlinePassed, "deadline_passed", 409, "Đã hết thời gian làm bài hoặc cuộc thi đã đóng.")  \
  X(PayloadTooLarge, "payload_too_large", 413, "Dữ liệu gửi lên vượt quá dung lượng cho phép.") \
  X(UriTooLong, "uri_too_long", 414, "Địa chỉ yêu cầu quá dài.")                                \
  X(UnsupportedMediaType, "unsupported_media_type", 415, "Định dạng dữ liệu không được hỗ trợ.") \
  X(TooManyRequests, "too_many_requests", 429, "Bạn thao tác quá nhanh. Vui lòng thử lại sau.")  \
  X(HeaderTooLarge, "header_too_large", 431, "Phần đầu yêu cầu quá lớn.")                       \
  X(Internal, "internal_error", 500, "Hệ thống gặp lỗi. Vui lòng thử lại sau.")                 \
  X(Unavailable, "unavailable", 503, "Hệ thống tạm thời không sẵn sàng. Vui lòng thử lại sau.")
