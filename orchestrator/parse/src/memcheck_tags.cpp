#include "memcheck_tags.hpp"

#include <cstring>

namespace plumb::parse::detail {

Tag tag_of(std::string_view name) {
  struct Entry {
    std::string_view name;
    Tag tag;
  };
  // Grouped by length, the most frequent first: this runs for every element of a log that may
  // be gigabytes long, and a length plus one memcmp settles nearly every name.
  static constexpr Entry kTags[] = {
      {"ip", Tag::Ip},
      {"pid", Tag::Pid},
      {"fn", Tag::Fn},
      {"fd", Tag::Fd},
      {"obj", Tag::Obj},
      {"dir", Tag::Dir},
      {"file", Tag::File},
      {"line", Tag::Line},
      {"kind", Tag::Kind},
      {"what", Tag::What},
      {"text", Tag::Text},
      {"pair", Tag::Pair},
      {"path", Tag::Path},
      {"ppid", Tag::Ppid},
      {"unique", Tag::Unique},
      {"name", Tag::Name},
      {"frame", Tag::Frame},
      {"stack", Tag::Stack},
      {"error", Tag::Error},
      {"xwhat", Tag::Xwhat},
      {"state", Tag::State},
      {"signo", Tag::Signo},
      {"event", Tag::Event},
      {"count", Tag::Count},
      {"origin", Tag::Origin},
      {"siaddr", Tag::Siaddr},
      {"auxwhat", Tag::AuxWhat},
      {"signame", Tag::Signame},
      {"clientmsg", Tag::ClientMsg},
      {"suppcounts", Tag::SuppCounts},
      {"errorcounts", Tag::ErrorCounts},
      {"leakedbytes", Tag::LeakedBytes},
      {"leakedblocks", Tag::LeakedBlocks},
      {"fatal_signal", Tag::FatalSignal},
      {"protocoltool", Tag::ProtocolTool},
      {"valgrindoutput", Tag::Root},
      {"protocolversion", Tag::ProtocolVersion},
  };
  for (const auto& entry : kTags) {
    if (entry.name.size() == name.size() && entry.name[0] == name[0] &&
        std::memcmp(entry.name.data(), name.data(), name.size()) == 0) {
      return entry.tag;
    }
  }
  return Tag::Other;
}

bool captures_text(Tag tag) {
  switch (tag) {
    case Tag::ProtocolVersion:
    case Tag::ProtocolTool:
    case Tag::State:
    case Tag::Kind:
    case Tag::What:
    case Tag::Text:
    case Tag::LeakedBytes:
    case Tag::LeakedBlocks:
    case Tag::Obj:
    case Tag::Fn:
    case Tag::Dir:
    case Tag::File:
    case Tag::Line:
    case Tag::Signo:
    case Tag::Signame:
    case Tag::Event:
    case Tag::Siaddr:
    case Tag::Count:
    case Tag::Name:
    case Tag::Fd:
    case Tag::Path:
    case Tag::Ip:
    case Tag::Pid:
    case Tag::Ppid:
    case Tag::AuxWhat:
    case Tag::Unique:
      return true;
    default:
      return false;
  }
}

}  // namespace plumb::parse::detail
