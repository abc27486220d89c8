//===--- main.cpp - mapsafe-clangd: clangd with the mapsafe checks --------===//
//
// clangd's own main, with the mapsafe checks linked in.  Diagnostics of the
// `mapsafe-*` checks then appear in any LSP editor, enabled like any
// clang-tidy check in .clangd or .clang-tidy.  `--version` says which
// binary this is, before clangd's own version (clangd replaces LLVM's
// version printer, extra printers included); as a language server, so does
// the first line of its log.
//
// As a language server, the documentation links of the mapsafe diagnostics
// point to mapsafe's docs (MAPSAFE_DOCS_URL, set when building) instead of
// clang-tidy's site, which has no page for them (DocLinks.h).
//
//===----------------------------------------------------------------------===//
#include "DocLinks.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::clangd {
int clangdMain(int argc, char **argv);
} // namespace clang::clangd

namespace {

/// Whether clangd will speak LSP on its standard output: not when it only
/// prints something (--version, --help, ...) or checks a file (--check).
bool servesLSP(int argc, char **argv) {
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg(argv[I]);
    if (Arg == "--")
      break;
    Arg.consume_front("-");
    Arg.consume_front("-");
    Arg = Arg.split('=').first;
    if (Arg == "version" || Arg == "check" || Arg == "check-locations" || Arg == "print-options" ||
        Arg.starts_with("help"))
      return false;
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  for (int I = 1; I < argc; ++I)
    if (llvm::StringRef(argv[I]) == "--version" || llvm::StringRef(argv[I]) == "-version")
      llvm::outs() << "mapsafe-clangd " MAPSAFE_VERSION
                      ": clangd with the mapsafe checks built in\n";
  bool Serving = servesLSP(argc, argv);
  // The first line of the log an editor shows: which clangd this is.
  if (Serving)
    llvm::errs() << "mapsafe-clangd " MAPSAFE_VERSION ": clangd with the mapsafe checks built in\n";
  llvm::StringRef DocsURL = MAPSAFE_DOCS_URL;
  bool Forwarding = Serving && !DocsURL.empty() && mapsafe::startDocLinkForwarder(DocsURL);
  int Status = clang::clangd::clangdMain(argc, argv);
  if (Forwarding)
    mapsafe::stopDocLinkForwarder();
  return Status;
}
