//===--- TellOnce.cpp - a configuration problem told once per run ---------===//
#include "checks/TellOnce.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <string>
#include <unistd.h>

namespace mapsafe {

namespace {
/// A file of /proc (whose size stat does not know), up to 64 KiB.
std::string readProc(const std::string &Path) {
  std::string Out;
  int FD = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (FD < 0)
    return Out;
  char Buf[4096];
  ssize_t N;
  while (Out.size() < 65536 && (N = ::read(FD, Buf, sizeof Buf)) > 0)
    Out.append(Buf, static_cast<size_t>(N));
  ::close(FD);
  return Out;
}

/// The run this process belongs to when run-clang-tidy started it: its
/// process id and start time; empty otherwise.
std::string runClangTidyParent() {
  std::string Proc = "/proc/" + std::to_string(getppid());
  std::string Cmd = readProc(Proc + "/cmdline");
  llvm::SmallVector<llvm::StringRef, 8> Args;
  llvm::StringRef(Cmd).split(Args, '\0', /*MaxSplit=*/3);
  bool Found = false;
  for (llvm::StringRef A : Args)
    Found |= llvm::sys::path::filename(A).starts_with("run-clang-tidy");
  if (!Found)
    return "";
  // Field 22 of stat, after the command name in parentheses: the start time.
  std::string Stat = readProc(Proc + "/stat");
  llvm::StringRef Rest = Stat;
  if (Rest.rfind(')') == llvm::StringRef::npos)
    return "";
  Rest = Rest.substr(Rest.rfind(')') + 1);
  llvm::SmallVector<llvm::StringRef, 24> Fields;
  Rest.split(Fields, ' ', -1, /*KeepEmpty=*/false);
  if (Fields.size() < 20)
    return "";
  return std::to_string(getppid()) + "-" + Fields[19].str();
}

/// Whether this is the first process of the run to leave a mark for Text.
bool firstMark(const std::string &Run, const std::string &Text) {
  llvm::SmallString<256> Dir;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Dir);
  llvm::sys::path::append(Dir, "mapsafe-told-" + std::to_string(getuid()));
  if (llvm::sys::fs::create_directories(Dir, /*IgnoreExisting=*/true, llvm::sys::fs::perms::owner_all))
    return true;
  llvm::SmallString<256> Mark(Dir);
  char Hash[17];
  snprintf(Hash, sizeof Hash, "%016llx", (unsigned long long)llvm::xxh3_64bits(Text));
  llvm::sys::path::append(Mark, Run + "-" + Hash);
  int FD = ::open(Mark.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (FD >= 0) {
    ::close(FD);
    return true;
  }
  return errno != EEXIST;
}
} // namespace

bool firstTellingInRun(const std::string &Text) {
  static std::mutex Lock;
  static std::set<std::string> Told;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (!Told.insert(Text).second)
      return false;
  }
  static const std::string Run = runClangTidyParent();
  return Run.empty() || firstMark(Run, Text);
}

} // namespace mapsafe
