//===--- DocLinks.h - mapsafe's own documentation links in clangd's output ===//
//
// clangd 22 links every clang-tidy diagnostic to
// https://clang.llvm.org/extra/clang-tidy/checks/<module>/<check>.html
// (getDiagnosticDocURI in clangd's Diagnostics.cpp, not configurable), which
// does not exist for mapsafe's checks.  mapsafe-clangd therefore runs clangd
// with its standard output on a pipe and forwards clangd's LSP messages to
// the real standard output, unchanged, except the `codeDescription.href` of
// the `mapsafe-*` diagnostics in `textDocument/publishDiagnostics`
// notifications, which become <DocsURL>/checks/<check without mapsafe->.md.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_CLANGD_DOCLINKS_H
#define MAPSAFE_CLANGD_DOCLINKS_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace mapsafe {

/// The body of one LSP message with the hrefs of the mapsafe diagnostics
/// replaced, or nothing if it has none to replace (or is not JSON).
std::optional<std::string> rewriteDocLinks(llvm::StringRef Body, llvm::StringRef DocsURL);

/// From now on, whatever this process writes to its standard output passes
/// through a forwarding thread that applies rewriteDocLinks to every LSP
/// message and copies everything else as it is.  Returns false (and changes
/// nothing) if the pipe or the thread cannot be set up.
bool startDocLinkForwarder(llvm::StringRef DocsURL);

/// Closes the pipe and waits (a few seconds at most) for the forwarder to
/// write out what it has.
void stopDocLinkForwarder();

} // namespace mapsafe

#endif
