//===--- OptionPaths.cpp - where the options' relative paths start --------===//
#include "checks/OptionPaths.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace mapsafe {

namespace {
/// Whether the configuration file at Path gives one of the options its
/// value in force (both written there).
bool mentions(const llvm::Twine &Path, llvm::ArrayRef<OptionSetting> Options) {
  // Configuration files are small; a large one is not read.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/true, /*RequiresNullTerminator=*/false);
  if (!Buf || (*Buf)->getBufferSize() > (1u << 20))
    return false;
  llvm::StringRef Text = (*Buf)->getBuffer();
  for (const OptionSetting &O : Options)
    if (Text.contains(O.Name) && Text.contains(O.Value.trim()))
      return true;
  return false;
}
} // namespace

std::string optionBaseDir(llvm::StringRef MainFile, llvm::ArrayRef<OptionSetting> Options) {
  llvm::SmallString<256> Dir(MainFile);
  if (!Dir.empty() && !llvm::sys::fs::make_absolute(Dir)) {
    llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
    llvm::sys::path::remove_filename(Dir);
    for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
      for (const char *Config : {".clang-tidy", ".clangd"}) {
        llvm::SmallString<256> Path(D);
        llvm::sys::path::append(Path, Config);
        if (mentions(Path, Options))
          return D.str();
      }
      if (D == llvm::sys::path::root_path(D))
        break;
    }
  }
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return std::string();
  return std::string(Cwd);
}

std::string resolvePath(llvm::StringRef Path, llvm::StringRef Base) {
  if (Path.empty() || llvm::sys::path::is_absolute(Path) || Base.empty())
    return Path.str();
  llvm::SmallString<256> Out(Base);
  llvm::sys::path::append(Out, Path);
  llvm::sys::path::remove_dots(Out, /*remove_dot_dot=*/true);
  return std::string(Out);
}

} // namespace mapsafe
