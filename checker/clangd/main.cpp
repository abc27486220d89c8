//===--- main.cpp - mapsafe-clangd: clangd with the mapsafe checks --------===//
//
// clangd's own main, with the mapsafe checks linked in.  Diagnostics of the
// `mapsafe-*` checks then appear in any LSP editor, enabled like any
// clang-tidy check in .clangd or .clang-tidy.
//
//===----------------------------------------------------------------------===//

namespace clang::clangd {
int clangdMain(int argc, char **argv);
} // namespace clang::clangd

int main(int argc, char **argv) { return clang::clangd::clangdMain(argc, argv); }
