#include "portal/qr.h"

#include <qrencode.h>

#include <memory>

namespace pbgdpl::portal {

std::optional<std::string> qr_svg(std::string_view text) {
  if (text.empty() || text.size() > 1000) return std::nullopt;
  std::string s(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                 QRcode_free);
  if (!qr) return std::nullopt;
  const int w = qr->width, quiet = 4, size = w + 2 * quiet;
  std::string path;
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x) {
      if (!(qr->data[y * w + x] & 1)) continue;
      // Merge runs of dark modules on a row into one rectangle.
      int run = 1;
      while (x + run < w && (qr->data[y * w + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" + std::to_string(run) + "v1h-" +
              std::to_string(run) + "z";
      x += run - 1;
    }
  std::string dim = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
         "\" shape-rendering=\"crispEdges\" role=\"img\"><title>Mã QR</title><rect width=\"" + dim + "\" height=\"" + dim +
         "\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
}

}  // namespace pbgdpl::portal
