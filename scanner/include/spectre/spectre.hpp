#pragma once
// Umbrella header of the spectre-scanner SDK.

#include "spectre/announcement.hpp"  // IWYU pragma: export
#include "spectre/cache.hpp"         // IWYU pragma: export
#include "spectre/keys.hpp"          // IWYU pragma: export
#include "spectre/pool.hpp"          // IWYU pragma: export
#include "spectre/scan.hpp"          // IWYU pragma: export
#include "spectre/sender.hpp"        // IWYU pragma: export
#include "spectre/stream.hpp"        // IWYU pragma: export
