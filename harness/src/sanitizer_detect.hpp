#pragma once
// Internal: which sanitizer this translation unit is built with (the build's compile definitions
// first, then the compilers' own macros).

#if defined(PLUMB_SANITIZER_ADDRESS) || defined(__SANITIZE_ADDRESS__)
#define SCAN_LEAK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SCAN_LEAK_ASAN 1
#endif
#endif

#if defined(PLUMB_SANITIZER_THREAD) || defined(__SANITIZE_THREAD__)
#define SCAN_LEAK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SCAN_LEAK_TSAN 1
#endif
#endif

#ifndef SCAN_LEAK_ASAN
#define SCAN_LEAK_ASAN 0
#endif
#ifndef SCAN_LEAK_TSAN
#define SCAN_LEAK_TSAN 0
#endif
