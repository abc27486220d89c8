//===--- main.cpp - mapsafe-clangd: clangd with the mapsafe checks --------===//
//
// clangd's own main, with the mapsafe checks linked in.  Diagnostics of the
// `mapsafe-*` checks then appear in any LSP editor, enabled like any
// clang-tidy check in .clangd or .clang-tidy.  `--version` says which
// binary this is, before clangd's own version (clangd replaces LLVM's
// version printer, extra printers included).
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::clangd {
int clangdMain(int argc, char **argv);
} // namespace clang::clangd

int main(int argc, char **argv) {
  for (int I = 1; I < argc; ++I)
    if (llvm::StringRef(argv[I]) == "--version" || llvm::StringRef(argv[I]) == "-version")
      llvm::outs() << "mapsafe-clangd " MAPSAFE_VERSION
                      ": clangd with the mapsafe checks built in\n";
  return clang::clangd::clangdMain(argc, argv);
}
