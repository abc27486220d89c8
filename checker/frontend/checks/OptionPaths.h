//===--- OptionPaths.h - where the options' relative paths start ----------===//
//
// RulesFiles, GraphDir and FactsDir may name relative paths.  They are
// resolved against the directory of the configuration file that set them,
// whatever the front end's working directory: the nearest `.clang-tidy` or
// `.clangd` above the source file that mentions the option with the value in
// force.  An option set on the command line (`--config=...`), which no such
// file gives, is resolved against the working directory.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_OPTIONPATHS_H
#define MAPSAFE_FRONTEND_CHECKS_OPTIONPATHS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace mapsafe {

/// An option by name, with its value in force.
struct OptionSetting {
  llvm::StringRef Name, Value;
};

/// The directory that relative paths in the options start from, for the
/// translation unit of MainFile: absolute, or empty when not even the
/// working directory is known.
std::string optionBaseDir(llvm::StringRef MainFile, llvm::ArrayRef<OptionSetting> Options);

/// Path made absolute against Base (unchanged when already absolute, or
/// when Base is empty), with `.` and `..` removed.
std::string resolvePath(llvm::StringRef Path, llvm::StringRef Base);

} // namespace mapsafe

#endif
