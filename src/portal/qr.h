#pragma once
// QR codes for printed leaflets and posters: libqrencode makes the matrix, we draw it as
// one SVG path (a few hundred bytes, sharp at any print size).
#include <optional>
#include <string>
#include <string_view>

namespace pbgdpl::portal {

/// An SVG image of a QR code for text (medium error correction), or nullopt when the text
/// is too long for a QR code.
std::optional<std::string> qr_svg(std::string_view text);

}  // namespace pbgdpl::portal
