//===--- RulesCompile.cpp - mapsafe-rules-compile -------------------------===//
//
// Build-time tool: reads the rule files given on the command line, checks
// them (an error stops the build, naming file, line and column), and writes
// the compact table that Rules::builtin() reads, as a C++ string literal.
//
//   mapsafe-rules-compile OUT.inc rules/a.yaml rules/b.yaml ...
//
//===----------------------------------------------------------------------===//
#include "Rules.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: mapsafe-rules-compile OUT.inc RULES.yaml...\n";
    return 2;
  }
  mapsafe::Rules R;
  for (int I = 2; I < argc; ++I) {
    std::string Error;
    if (!R.loadFile(argv[I], Error)) {
      llvm::errs() << Error << "\n";
      return 1;
    }
  }
  std::string Text = R.serialize();
  mapsafe::Rules Check;
  if (!Check.deserialize(Text) || Check.size() != R.size()) {
    llvm::errs() << "mapsafe-rules-compile: the compact table does not read back\n";
    return 1;
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(argv[1], EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << argv[1] << ": " << EC.message() << "\n";
    return 1;
  }
  OS << "// Generated from rules/*.yaml by mapsafe-rules-compile; do not edit.\n";
  OS << "R\"mapsafe_rules(" << Text << ")mapsafe_rules\"\n";
  return 0;
}
