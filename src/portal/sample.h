#pragma once
// The portal's own sample content for `pbgdpl sample load` (fictional province "An Hòa"):
// news and materials in several formats and for several audiences, an infographic image
// drawn with libvips and a podcast voiced by espeak-ng. Idempotent: items that exist stay.
#include <functional>
#include <string>

#include "accounts/service.h"
#include "portal/service.h"

namespace pbgdpl::portal {

/// Maps a legal document's số ký hiệu to its library slug ("" when absent).
using SlugOf = std::function<std::string(const std::string& number)>;
/// Loads every sample item not yet present; returns how many were created.
core::Result<int> load_sample(Service& svc, const SlugOf& slug_of = {});

/// A WAV of Vietnamese speech from espeak-ng (voice vi), for samples and tests.
core::Result<std::string> speak_wav(const std::string& text, const std::string& work_dir);
/// Ogg Opus bytes of a WAV file (opusenc), for samples and tests.
core::Result<std::string> encode_opus(const std::string& wav_path, const std::string& work_dir);
/// A PNG of the given size drawn with libvips (a two-colour gradient), for samples and tests.
core::Result<std::string> sample_png(int width, int height);

}  // namespace pbgdpl::portal
