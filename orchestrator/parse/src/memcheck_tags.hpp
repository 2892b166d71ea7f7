// The memcheck XML elements the parser reads (internal to plumb_parse).
#pragma once

#include <string_view>

namespace plumb::parse::detail {

// The elements the parser cares about; everything else is Other and its text is ignored.
enum class Tag : unsigned char {
  Other,
  Root,
  ProtocolVersion,
  ProtocolTool,
  State,
  Error,
  Kind,
  What,
  Xwhat,
  Text,
  LeakedBytes,
  LeakedBlocks,
  AuxWhat,
  Stack,
  Frame,
  Obj,
  Fn,
  Dir,
  File,
  Line,
  FatalSignal,
  Signo,
  Signame,
  Event,
  Siaddr,
  SuppCounts,
  ErrorCounts,
  Pid,
  Ppid,
  Unique,
  Pair,
  Count,
  Name,
  Origin,
  Fd,
  Path,
  ClientMsg,
  Ip,
};

// The Tag of an element name; Other for every element the parser does not read.
Tag tag_of(std::string_view name);

// Whether the parser keeps the text of elements of this tag (the leaves it reads).
bool captures_text(Tag tag);

}  // namespace plumb::parse::detail
