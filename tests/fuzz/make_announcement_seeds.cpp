// Writes the seed corpora of the announcement targets: wire forms and announcement files made for
// the fixed fuzz keys (so the fuzzer starts from matches, foreign announcements and bad records).
// Usage: fuzz_make_announcement_seeds CORPUS_DIR   (writes CORPUS_DIR/announcement{,_stream}/)
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_entries.hpp"
#include "spectre/sender.hpp"

namespace {

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path corpus = argv[1];
  const std::filesystem::path single = corpus / "announcement";
  const std::filesystem::path stream = corpus / "announcement_stream";
  std::filesystem::create_directories(single);
  std::filesystem::create_directories(stream);

  const spectre::RecipientKeys& mine = plumb::fuzz::fixed_keys();
  const spectre::RecipientKeys other = spectre::RecipientKeys::generate();
  const std::vector<std::uint8_t> memo{'m', 'e', 'm', 'o'};
  const spectre::Announcement to_me = spectre::create_announcement(mine.meta_address(), memo);
  const spectre::Announcement to_me_bare = spectre::create_announcement(mine.meta_address());
  const spectre::Announcement to_other = spectre::create_announcement(other.meta_address(), memo);
  spectre::Announcement small_order = to_me;
  small_order.ephemeral_pub.fill(0);

  write_bytes(single / "match-with-metadata", spectre::encode(to_me));
  write_bytes(single / "match-no-metadata", spectre::encode(to_me_bare));
  write_bytes(single / "foreign", spectre::encode(to_other));
  write_bytes(single / "small-order-point", spectre::encode(small_order));
  std::vector<std::uint8_t> short_form = spectre::encode(to_me);
  short_form.resize(40);
  write_bytes(single / "too-short", short_form);

  const std::filesystem::path file = stream / "mixed";
  {
    spectre::AnnouncementFileWriter writer(file);
    writer.append(to_other);
    writer.append(to_me);
    writer.append_raw_record(short_form);
    writer.append(small_order);
    writer.append(to_me_bare);
    writer.close();
  }
  std::vector<std::uint8_t> truncated = read_bytes(file);
  truncated.resize(truncated.size() - 10);
  write_bytes(stream / "truncated", truncated);
  std::vector<std::uint8_t> bad_header = read_bytes(file);
  bad_header[9] = 7;  // version 0x0700
  write_bytes(stream / "bad-version", bad_header);
  return 0;
}
