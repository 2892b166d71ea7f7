// Reports the renderer tests are built from: a realistic one and one full of injection payloads.
#pragma once

#include <string>
#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::reports::testing {

// A failing report shaped like a real run: five variants, findings of several kinds and
// statuses (from memcheck, LSan, TSan), growth series with samples and massif sites, suppressions.
core::Report realistic_report();

// A passing report with no findings and one flat growth series.
core::Report clean_report();

// What the doctor reports of a live process whose heap grows: its RSS and one allocation site's
// live bytes, sampled over seconds (not iterations), both above their thresholds, and its RSS finding.
core::Report doctor_report();

// Markup, script and URL payloads that must come out of every renderer as literal text.
const std::vector<std::string>& injection_payloads();

// A report whose every tool-derived string (names, paths, functions, messages, ids) carries payloads.
core::Report injection_report();

}  // namespace plumb::reports::testing
