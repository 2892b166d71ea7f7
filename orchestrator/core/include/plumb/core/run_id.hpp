// The id that ties the files of one report set together.
#pragma once

#include <string>
#include <vector>

namespace plumb::core {

// A random (version 4) UUID in its canonical lower-case form, e.g.
// "3b241101-e2bb-4255-8caf-4136c566a962"; from the kernel's random source.
std::string new_run_id();

// The id of a set made from several other sets (plumb merge): a UUID (version 8, RFC 9562) derived from
// their ids, so merging the same reports again gives the same id, and never one of theirs.
std::string derived_run_id(std::vector<std::string> inputs);

}  // namespace plumb::core
