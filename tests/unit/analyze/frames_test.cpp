#include "plumb/analyze/frames.hpp"
#include "plumb/core/frame_origin.hpp"

#include <gtest/gtest.h>

#include "real_frames.hpp"

namespace plumb::analyze {
namespace {

using core::Frame;

std::vector<std::string> names(const std::vector<Frame>& frames) {
  std::vector<std::string> out;
  for (const auto& frame : frames) {
    out.push_back(normalize_function(frame.function));
  }
  return out;
}

TEST(NormalizeFunction, DropsParametersQualifiersAbiTagsAndClones) {
  EXPECT_EQ(normalize_function("plumbdemo::leaky_function(int)"), "plumbdemo::leaky_function");
  EXPECT_EQ(normalize_function("caller()"), "caller");
  EXPECT_EQ(normalize_function("main"), "main");
  EXPECT_EQ(normalize_function("  Cache::get(int) const  "), "Cache::get");
  EXPECT_EQ(normalize_function("name[abi:cxx11]()"), "name");
  EXPECT_EQ(normalize_function("scan.constprop.0"), "scan");
  EXPECT_EQ(normalize_function("scan.isra.0"), "scan");
  EXPECT_EQ(normalize_function("scan.cold"), "scan");
  EXPECT_EQ(normalize_function("scan(int) [clone .constprop.0]"), "scan");
  EXPECT_EQ(normalize_function("pthread_create@@GLIBC_2.34"), "pthread_create");
  EXPECT_EQ(normalize_function("0x4af01b in __interceptor_malloc"), "__interceptor_malloc");
}

TEST(NormalizeFunction, KeepsAnonymousNamespaceOperatorsAndLambdas) {
  EXPECT_EQ(normalize_function("(anonymous namespace)::helper(char const*)"),
            "(anonymous namespace)::helper");
  EXPECT_EQ(normalize_function("(anonymous namespace)"), "(anonymous namespace)");
  EXPECT_EQ(normalize_function("Pool::operator()(int)"), "Pool::operator()");
  EXPECT_EQ(normalize_function("main::{lambda()#1}::operator()() const"), "main::{lambda()#1}::operator()");
  EXPECT_EQ(normalize_function("operator new[](unsigned long)"), "operator new[]");
  EXPECT_EQ(normalize_function("operator delete(void*, unsigned long)"), "operator delete");
}

TEST(NormalizeFunction, DropsTheReturnTypeOfFunctionTemplates) {
  EXPECT_EQ(
      normalize_function("void std::__invoke_impl<void, void (*)()>(std::__invoke_other, void (*&&)())"),
      "std::__invoke_impl<void, void (*)()>");
  EXPECT_EQ(
      normalize_function("std::__invoke_result<void (*)()>::type std::__invoke<void (*)()>(void (*&&)())"),
      "std::__invoke<void (*)()>");
  EXPECT_EQ(normalize_function("std::vector<int, std::allocator<int> >::push_back(int const&)"),
            "std::vector<int, std::allocator<int> >::push_back");
}

TEST(IsRuntimeFrame, RecognisesAllocatorsInterceptorsAndStartCode) {
  for (const char* name :
       {"malloc",
        "calloc",
        "realloc",
        "free",
        "operator new(unsigned long)",
        "operator new[](unsigned long)",
        "operator delete(void*)",
        "__interceptor_malloc",
        "__asan_memcpy",
        "__tsan_read4",
        "__sanitizer_print_stack_trace",
        "__lsan_do_leak_check",
        "__libc_start_main",
        "__libc_start_call_main",
        "_start",
        "start_thread",
        "clone",
        "clone3",
        "execute_native_thread_routine",
        "std::thread::_State_impl<std::thread::_Invoker<std::tuple<void (*)()> > >::_M_run()"}) {
    EXPECT_TRUE(is_runtime_frame(Frame{name, "", 0, ""})) << name;
  }
  EXPECT_TRUE(is_runtime_frame(Frame{"", "", 0, "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so"}));
  EXPECT_TRUE(is_runtime_frame(Frame{"", "", 0, "/usr/lib/x86_64-linux-gnu/libc.so.6"}));
  for (const char* name : {"main", "caller()", "plumbdemo::leaky_function(int)", "mallocate_widget",
                           "freeze()", "WorkerPool::scan_all(int)"}) {
    EXPECT_FALSE(is_runtime_frame(Frame{name, "", 0, ""})) << name;
  }
  EXPECT_FALSE(is_runtime_frame(Frame{"", "", 0, "libscanner.so"}));
}

TEST(UserFrames, StripsGccLsanInterceptorAndStartCode) {
  EXPECT_EQ(names(user_frames(testdata::lsan_gcc_malloc_leak())),
            (std::vector<std::string>{"plumbdemo::leaky_function", "caller", "main"}));
  EXPECT_EQ(names(user_frames(testdata::lsan_gcc_new_array_leak())),
            (std::vector<std::string>{"plumbdemo::make_widget", "caller", "main"}));
}

TEST(UserFrames, StripsMemcheckPreloadFrames) {
  EXPECT_EQ(names(user_frames(testdata::memcheck_malloc_leak())),
            (std::vector<std::string>{"plumbdemo::leaky_function", "caller", "main"}));
  EXPECT_EQ(names(user_frames(testdata::memcheck_new_array_leak())),
            (std::vector<std::string>{"plumbdemo::make_widget", "caller", "main"}));
}

TEST(UserFrames, StripsThreadPlumbingAtTheOuterEndOnly) {
  const std::vector<std::string> expected = {"worker_leak", "worker"};
  EXPECT_EQ(names(user_frames(testdata::lsan_clang_thread_leak())), expected);
  EXPECT_EQ(names(user_frames(testdata::memcheck_thread_leak())), expected);
}

TEST(UserFrames, StripsThreadCreationFramesAtTheInnerEnd) {
  EXPECT_EQ(names(user_frames(testdata::tsan_thread_creation())), (std::vector<std::string>{"main"}));
}

TEST(UserFrames, StripsGlibcInternalAliasesOfAbort) {
  // The stack ASan 12 printed for tests/faults/programs/fault_crash.cpp's abort (gcc 12 build).
  const std::vector<Frame> frames = {{"__pthread_kill_implementation", "nptl/pthread_kill.c", 44, ""},
                                     {"__GI_raise", "../sysdeps/posix/raise.c", 26, ""},
                                     {"__GI_abort", "stdlib/abort.c", 79, ""},
                                     {"crash_by_abort", "tests/faults/programs/fault_crash.cpp", 16, ""},
                                     {"main", "tests/faults/programs/fault_crash.cpp", 30, ""},
                                     {"__libc_start_call_main", "", 58, ""},
                                     {"__libc_start_main_impl", "../csu/libc-start.c", 360, ""},
                                     {"_start", "", 0, ""}};
  EXPECT_EQ(names(user_frames(frames)), (std::vector<std::string>{"crash_by_abort", "main"}));
}

TEST(UserFrames, KeepsRuntimeLookingFramesBetweenUserFrames) {
  // Only the innermost allocator run and the outermost start run are stripped.
  const std::vector<Frame> frames = {
      {"malloc", "", 0, ""},           {"make", "", 0, ""},  {"free", "", 0, ""},
      {"caller", "", 0, ""},           {"clone", "", 0, ""}, {"main", "", 0, ""},
      {"__libc_start_main", "", 0, ""}};
  EXPECT_EQ(names(user_frames(frames)),
            (std::vector<std::string>{"make", "free", "caller", "clone", "main"}));
}

TEST(UserFrames, LibcInternalsStayWhenTheyAreAllThereIs) {
  EXPECT_EQ(names(user_frames(testdata::memcheck_thread_tls())).front(), "allocate_dtv");
  EXPECT_TRUE(user_frames({{"malloc", "", 0, ""}, {"_start", "", 0, ""}}).empty());
  EXPECT_TRUE(user_frames({}).empty());
}

}  // namespace
}  // namespace plumb::analyze

namespace plumb::analyze {
namespace {

TEST(CanonicalFunction, EveryToolsSpellingOfOneFunctionIsOneName) {
  // memcheck, gcc's libasan and clang's ASan on the same functions (tests/golden/cxx_sites-*).
  EXPECT_EQ(canonical_function("(anonymous namespace)::Holder<double, 5>::make()"), "make");
  EXPECT_EQ(canonical_function("make"), "make");
  EXPECT_EQ(canonical_function("main::$_0::operator()(int) const"), "operator()");
  EXPECT_EQ(canonical_function("main::{lambda(int)#1}::operator()(int) const"), "operator()");
  EXPECT_EQ(canonical_function("operator()"), "operator()");
  EXPECT_EQ(canonical_function("make_label[abi:cxx11]()"), "make_label");
  EXPECT_EQ(canonical_function("checked_alloc(unsigned long) [clone .constprop.0]"), "checked_alloc");
  EXPECT_EQ(canonical_function("checked_alloc.isra.0"), "checked_alloc");
  EXPECT_EQ(canonical_function("void ns::f<int>(int)"), "f");
  // Operators keep their own angle brackets.
  EXPECT_EQ(canonical_function("ns::operator<<(std::ostream&, int)"), "operator<<");
  EXPECT_EQ(canonical_function("ns::A::operator<(ns::A const&) const"), "operator<");
}

TEST(FrameIdentity, NameAndFileBasenameOrLocationOrObject) {
  EXPECT_EQ(frame_identity({"ns::f(int)", "/src/a/f.cpp", 12, "prog"}), "f@f.cpp");
  EXPECT_EQ(frame_identity({"", "tests/ub.c", 5, ""}), "ub.c:5");
  EXPECT_EQ(frame_identity({"???", "", 0, "/usr/lib/libfoo.so.1"}), "?libfoo.so.1");
}

TEST(IdentityFrames, SkipLibraryCodeAndCountRecursionOnce) {
  const std::vector<core::Frame> frames = {
      {"_M_allocate", "/usr/include/c++/12/bits/stl_vector.h", 378, "prog"},
      {"std::vector<int, std::allocator<int> >::push_back(int const&)", "", 0,
       "/usr/lib/x86_64-linux-gnu/libstdc++.so.6"},
      {"walk(node*)", "src/walk.c", 3, "prog"},
      {"walk(node*)", "src/walk.c", 4, "prog"},
      {"walk(node*)", "src/walk.c", 4, "prog"},
      {"run()", "src/run.c", 9, "prog"},
      {"main", "src/run.c", 20, "prog"}};
  std::vector<std::string> names;
  for (const auto* frame : identity_frames(frames)) {
    names.push_back(frame_identity(*frame));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"walk@walk.c", "run@run.c", "main@run.c"}));
  // Only library frames: they are all there is.
  const std::vector<core::Frame> library_only = {
      {"std::__cxx11::basic_string<char>::_M_create(unsigned long&, unsigned long)", "", 0, ""}};
  ASSERT_EQ(identity_frames(library_only).size(), 1U);
}

TEST(IdentityFrames, GlibcFramesWithRelativeSourcesAreLibraryCodeAndBareAddressesAreNothing) {
  // As memcheck prints glibc with its debug information: a relative file, a system object.
  const std::vector<core::Frame> frames = {
      {"__fopen_internal", "./libio/./libio/iofopen.c", 86, "/usr/lib/x86_64-linux-gnu/libc.so.6"},
      {"open_log", "/home/me/app/log.c", 8, "/home/me/app/build/app"},
      {"", "", 0, ""},
      {"main", "/home/me/app/main.c", 20, "/home/me/app/build/app"}};
  EXPECT_TRUE(core::is_library_frame(frames[0]));
  EXPECT_FALSE(core::is_library_frame(frames[1]));
  std::vector<std::string> names;
  for (const auto* frame : identity_frames(frames)) {
    names.push_back(frame_identity(*frame));
  }
  EXPECT_EQ(names, (std::vector<std::string>{"open_log@log.c", "main@main.c"}));
  // A relative file in the program's own object stays program code (a build with relative paths).
  EXPECT_FALSE(core::is_library_frame({"scan", "scanner/src/scan.cpp", 3, "/home/me/app/build/app"}));
  // Only glibc and bare addresses: glibc's frames are all there is, the addresses never.
  const std::vector<core::Frame> loader_only = {
      {"call_init", "elf/elf/dl-init.c", 74, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
      {"", "", 0, ""}};
  ASSERT_EQ(identity_frames(loader_only).size(), 1U);
  EXPECT_EQ(frame_identity(*identity_frames(loader_only).front()), "call_init@dl-init.c");
}

}  // namespace
}  // namespace plumb::analyze
