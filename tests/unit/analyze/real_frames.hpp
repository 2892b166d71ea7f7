// Frame lists copied from real tool output, shared by the analyze tests.
//
// How they were made (gcc 12.2, clang 14.0.6, valgrind 3.19, Debian 12, x86-64), from leak.cpp,
// a program with the functions of leaky_helper.cpp in this folder (line numbers differ):
//   g++ -O0 -g leak.cpp -o leak_plain
//   valgrind --leak-check=full --xml=yes --xml-file=mc.xml ./leak_plain        (memcheck)
//   g++ -O0 -g -fsanitize=address -fno-omit-frame-pointer leak.cpp -o leak_asan
//   ASAN_OPTIONS=detect_leaks=1 ./leak_asan                                    (LSan, gcc)
// and from a two-thread program (worker() -> worker_leak() -> malloc(16), a racy ++counter):
//   clang++ -O0 -g -fsanitize=address -fno-omit-frame-pointer thr.cpp            (LSan, clang)
//   g++ -O0 -g -fsanitize=thread thr.cpp                                       (TSan)
//   g++ -O0 -g thr.cpp && valgrind --leak-check=full --xml=yes ...             (memcheck)
// Addresses were dropped (the parsers keep none); paths were made relative.
#pragma once

#include <vector>

#include "plumb/core/model.hpp"

namespace plumb::analyze::testdata {

using core::Frame;

// LSan (gcc): "Direct leak of 24 byte(s) in 1 object(s) allocated from:"
inline std::vector<Frame> lsan_gcc_malloc_leak() {
  return {
      {"__interceptor_malloc", "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp", 69, ""},
      {"plumbdemo::leaky_function(int)", "leak.cpp", 5, ""},
      {"caller()", "leak.cpp", 12, ""},
      {"main", "leak.cpp", 16, ""},
      {"__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h", 58, ""},
  };
}

// memcheck: Leak_DefinitelyLost "24 bytes in 1 blocks are definitely lost in loss record 1 of 2"
inline std::vector<Frame> memcheck_malloc_leak() {
  return {
      {"malloc", "", 0, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"},
      {"plumbdemo::leaky_function(int)", "leak.cpp", 5, "build/leak_plain"},
      {"caller()", "leak.cpp", 12, "build/leak_plain"},
      {"main", "leak.cpp", 16, "build/leak_plain"},
  };
}

// LSan (gcc): "Direct leak of 40 byte(s) in 1 object(s) allocated from:"
inline std::vector<Frame> lsan_gcc_new_array_leak() {
  return {
      {"operator new[](unsigned long)", "../../../../src/libsanitizer/asan/asan_new_delete.cpp", 98, ""},
      {"plumbdemo::make_widget(int)", "leak.cpp", 9, ""},
      {"caller()", "leak.cpp", 13, ""},
      {"main", "leak.cpp", 16, ""},
      {"__libc_start_call_main", "../sysdeps/nptl/libc_start_call_main.h", 58, ""},
  };
}

// memcheck: "40 bytes in 1 blocks are definitely lost in loss record 2 of 2"
inline std::vector<Frame> memcheck_new_array_leak() {
  return {
      {"operator new[](unsigned long)", "", 0, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"},
      {"plumbdemo::make_widget(int)", "leak.cpp", 9, "build/leak_plain"},
      {"caller()", "leak.cpp", 13, "build/leak_plain"},
      {"main", "leak.cpp", 16, "build/leak_plain"},
  };
}

// LSan (clang): a leak inside a std::thread worker; the outermost frame is unsymbolized libstdc++.
inline std::vector<Frame> lsan_clang_thread_leak() {
  return {
      {"malloc", "", 0, "thr_casan"},
      {"worker_leak()", "thr.cpp", 4, ""},
      {"worker()", "thr.cpp", 5, ""},
      {"void std::__invoke_impl<void, void (*)()>(std::__invoke_other, void (*&&)())", "invoke.h", 61, ""},
      {"std::__invoke_result<void (*)()>::type std::__invoke<void (*)()>(void (*&&)())", "invoke.h", 96, ""},
      {"void std::thread::_Invoker<std::tuple<void (*)()> >::_M_invoke<0ul>(std::_Index_tuple<0ul>)",
       "std_thread.h", 252, ""},
      {"std::thread::_Invoker<std::tuple<void (*)()> >::operator()()", "std_thread.h", 259, ""},
      {"std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()", "std_thread.h",
       210, ""},
      {"", "", 0, "/lib/x86_64-linux-gnu/libstdc++.so.6"},
  };
}

// memcheck: the same thread leak, "32 bytes in 2 blocks are definitely lost".
inline std::vector<Frame> memcheck_thread_leak() {
  return {
      {"malloc", "", 0, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"},
      {"worker_leak()", "thr.cpp", 4, "thr_plain"},
      {"worker()", "thr.cpp", 5, "thr_plain"},
      {"void std::__invoke_impl<void, void (*)()>(std::__invoke_other, void (*&&)())", "invoke.h", 61,
       "thr_plain"},
      {"std::__invoke_result<void (*)()>::type std::__invoke<void (*)()>(void (*&&)())", "invoke.h", 96,
       "thr_plain"},
      {"void std::thread::_Invoker<std::tuple<void (*)()> >::_M_invoke<0ul>(std::_Index_tuple<0ul>)",
       "std_thread.h", 252, "thr_plain"},
      {"std::thread::_Invoker<std::tuple<void (*)()> >::operator()()", "std_thread.h", 259, "thr_plain"},
      {"std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()", "std_thread.h",
       210, "thr_plain"},
      {"", "", 0, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"},
      {"start_thread", "pthread_create.c", 442, "/usr/lib/x86_64-linux-gnu/libc.so.6"},
      {"clone", "clone.S", 100, "/usr/lib/x86_64-linux-gnu/libc.so.6"},
  };
}

// TSan (gcc): "Thread T2 (tid=14152, running) created by main thread at:"
inline std::vector<Frame> tsan_thread_creation() {
  return {
      {"pthread_create", "../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp", 1001,
       "libtsan.so.2"},
      {"std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, "
       "std::default_delete<std::thread::_State> "
       ">, void (*)())",
       "", 0, "libstdc++.so.6"},
      {"main", "thr.cpp", 8, "thr_tsan"},
  };
}

// memcheck: a possibly-lost TLS block of a thread still running at exit (glibc internals).
inline std::vector<Frame> memcheck_thread_tls() {
  return {
      {"calloc", "", 0, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"},
      {"calloc", "rtld-malloc.h", 44, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
      {"allocate_dtv", "dl-tls.c", 401, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
      {"_dl_allocate_tls", "dl-tls.c", 670, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
      {"allocate_stack", "allocatestack.c", 423, "/usr/lib/x86_64-linux-gnu/libc.so.6"},
      {"pthread_create@@GLIBC_2.34", "pthread_create.c", 650, "/usr/lib/x86_64-linux-gnu/libc.so.6"},
      {"std::thread::_M_start_thread(std::unique_ptr<std::thread::_State, "
       "std::default_delete<std::thread::_State> "
       ">, void (*)())",
       "", 0, "/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30"},
      {"std::thread::thread<void (&)(), , void>(void (&)())", "std_thread.h", 142, "thr_plain"},
      {"main", "thr.cpp", 8, "thr_plain"},
  };
}

}  // namespace plumb::analyze::testdata
