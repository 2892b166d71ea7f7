#include <sodium.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "spectre/cache.hpp"

namespace spectre {
namespace {

// glibc malloc: 8-byte chunk header, 16-byte granularity.
constexpr std::size_t heap_chunk(std::size_t payload) noexcept {
  return (payload + 8 + 15) / 16 * 16;
}

constexpr std::size_t kSecretBytes = 32;
constexpr std::uint32_t kSlotsPerPage = 128;  // 4 KiB of secrets per sodium_malloc'd page

std::size_t system_page_size() noexcept {
  const long page = ::sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<std::size_t>(page) : 4096;
}

}  // namespace

// Fixed-size 32-byte secret slots in sodium_malloc'd pages. A page is freed (and wiped) as soon as
// its last slot is released, so evicting entries always gives the memory back.
class MemoryLru::SecretSlots {
 public:
  // Footprint of one page as sodium_malloc lays it out: the data rounded up to whole pages, one
  // page for the canary and header, and two guard pages.
  static std::size_t page_footprint() noexcept {
    const std::size_t page = system_page_size();
    const std::size_t data = (kSlotsPerPage * kSecretBytes + 16 + page - 1) / page * page;
    return data + 3 * page;
  }

  std::size_t bytes() const noexcept { return live_pages_ * page_footprint(); }
  std::size_t used() const noexcept { return used_; }

  // A free slot, allocating a page if none is free; kNoSlot when sodium_malloc fails.
  std::uint32_t allocate() {
    for (std::size_t p = 0; p < pages_.size(); ++p) {
      if (!pages_[p].free.empty()) return take(p);
    }
    std::size_t p = 0;
    while (p < pages_.size() && !pages_[p].memory.empty()) ++p;
    if (p == pages_.size()) pages_.emplace_back();
    try {
      pages_[p].memory = SecretBytes(kSlotsPerPage * kSecretBytes);
    } catch (const std::bad_alloc&) {
      return kNoSlot;
    }
    ++live_pages_;
    pages_[p].free.clear();
    for (std::uint32_t i = kSlotsPerPage; i-- > 0;) pages_[p].free.push_back(i);
    return take(p);
  }

  std::uint8_t* data(std::uint32_t slot) noexcept {
    return pages_[slot / kSlotsPerPage].memory.data() + (slot % kSlotsPerPage) * kSecretBytes;
  }

  void release(std::uint32_t slot) noexcept {
    Page& page = pages_[slot / kSlotsPerPage];
    sodium_memzero(data(slot), kSecretBytes);
    page.free.push_back(slot % kSlotsPerPage);  // capacity reserved at allocation: no throw
    --used_;
    if (page.free.size() == kSlotsPerPage) {
      page.memory = SecretBytes();  // wipes and frees the page
      page.free.clear();            // a freed page offers no slots until it is allocated again
      --live_pages_;
    }
  }

 private:
  struct Page {
    SecretBytes memory;
    std::vector<std::uint32_t> free;
  };

  std::uint32_t take(std::size_t p) {
    Page& page = pages_[p];
    const std::uint32_t index = page.free.back();
    page.free.pop_back();
    ++used_;
    return static_cast<std::uint32_t>(p) * kSlotsPerPage + index;
  }

  std::vector<Page> pages_;
  std::size_t live_pages_ = 0;
  std::size_t used_ = 0;
};

std::size_t CacheKeyHash::operator()(const CacheKey& key) const noexcept {
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  std::memcpy(&a, key.announcement.data(), sizeof a);
  std::memcpy(&b, key.key.data(), sizeof b);
  return static_cast<std::size_t>(a ^ (b * 0x9e3779b97f4a7c15ull));
}

MemoryLru::MemoryLru(std::size_t cap_bytes)
    : cap_bytes_(cap_bytes), slots_(std::make_unique<SecretSlots>()) {}

MemoryLru::~MemoryLru() = default;  // SecretSlots' pages are SecretBytes: wiped and freed
MemoryLru::MemoryLru(MemoryLru&&) noexcept = default;
MemoryLru& MemoryLru::operator=(MemoryLru&&) noexcept = default;

std::size_t MemoryLru::bytes_per_entry() noexcept {
  // List node: two links + entry. Hash node: next link + (key, iterator) + a possibly cached hash.
  const std::size_t list_node = 2 * sizeof(void*) + sizeof(Entry);
  const std::size_t hash_node =
      sizeof(void*) + sizeof(std::pair<const CacheKey, Order::iterator>) + sizeof(std::size_t);
  return heap_chunk(list_node) + heap_chunk(hash_node);
}

std::size_t MemoryLru::bytes() const noexcept {
  const std::size_t buckets = map_.bucket_count() > 1 ? heap_chunk(map_.bucket_count() * sizeof(void*)) : 0;
  const std::size_t secrets = slots_ != nullptr ? slots_->bytes() : 0;
  return map_.size() * bytes_per_entry() + buckets + secrets;
}

std::size_t MemoryLru::secrets() const noexcept {
  return slots_ != nullptr ? slots_->used() : 0;
}

std::optional<Verdict> MemoryLru::get(const CacheKey& key) {
  return get(key, nullptr);
}

std::optional<Verdict> MemoryLru::get(const CacheKey& key, SecretBytes* stealth_secret) {
  const auto found = map_.find(key);
  if (found == map_.end()) return std::nullopt;
  order_.splice(order_.begin(), order_, found->second);
  const Entry& entry = *found->second;
  if (stealth_secret != nullptr && entry.slot != kNoSlot) {
    *stealth_secret = SecretBytes::copy_of({slots_->data(entry.slot), kSecretBytes});
  }
  return entry.verdict;
}

void MemoryLru::put(const CacheKey& key, Verdict verdict) {
  put(key, verdict, nullptr);
}

void MemoryLru::set_secret(Entry& entry, const SecretBytes* stealth_secret) {
  const bool keep = entry.verdict == Verdict::matched && stealth_secret != nullptr &&
                    stealth_secret->size() == kSecretBytes;
  if (!keep) {
    if (entry.slot != kNoSlot) slots_->release(std::exchange(entry.slot, kNoSlot));
    return;
  }
  if (slots_ == nullptr) slots_ = std::make_unique<SecretSlots>();  // a moved-from LRU reused
  // A new secret page is only worth it if it fits under the cap at all.
  if (entry.slot == kNoSlot && SecretSlots::page_footprint() + bytes_per_entry() <= cap_bytes_) {
    entry.slot = slots_->allocate();
  }
  if (entry.slot != kNoSlot) std::memcpy(slots_->data(entry.slot), stealth_secret->data(), kSecretBytes);
}

void MemoryLru::put(const CacheKey& key, Verdict verdict, const SecretBytes* stealth_secret) {
  if (bytes_per_entry() > cap_bytes_) return;  // a cap below one entry caches nothing
  const auto found = map_.find(key);
  if (found != map_.end()) {
    found->second->verdict = verdict;
    set_secret(*found->second, stealth_secret);
    order_.splice(order_.begin(), order_, found->second);
  } else {
    order_.push_front(Entry{key, verdict, kNoSlot});
    try {
      map_.emplace(key, order_.begin());
    } catch (...) {
      order_.pop_front();
      throw;
    }
    set_secret(order_.front(), stealth_secret);
  }
  evict_to_cap();
}

void MemoryLru::evict_to_cap() {
  while (!order_.empty() && bytes() > cap_bytes_) {
    Entry& victim = order_.back();
    if (victim.slot != kNoSlot) slots_->release(victim.slot);
    map_.erase(victim.key);
    order_.pop_back();
  }
  if (order_.empty() && bytes() > cap_bytes_) {
    // Only the bucket array is left above the cap: give it back.
    decltype(map_) empty;
    map_.swap(empty);
  }
}

void MemoryLru::clear() {
  for (Entry& entry : order_) {
    if (entry.slot != kNoSlot) slots_->release(entry.slot);
  }
  decltype(map_) empty;
  map_.swap(empty);
  order_.clear();
}

}  // namespace spectre
