//===--- RulesCompile.cpp - mapsafe-rules-compile -------------------------===//
//
// Build-time tool: reads the rule files given on the command line, checks
// them (an error stops the build, naming file, line and column; so does a
// function that two built-in files both describe), and writes C++ that
// rebuilds the same rules (Rules::toCpp), included by Rules.cpp.
//
//   mapsafe-rules-compile OUT.inc rules/a.yaml rules/b.yaml ...
//
//===----------------------------------------------------------------------===//
#include "rules/Rules.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << "usage: mapsafe-rules-compile OUT.inc RULES.yaml...\n";
    return 2;
  }
  mapsafe::Rules All;
  size_t Expected = 0;
  for (int I = 2; I < argc; ++I) {
    mapsafe::Rules One;
    std::string Error;
    if (!One.loadFile(argv[I], Error) || !All.loadFile(argv[I], Error)) {
      llvm::errs() << Error << "\n";
      return 1;
    }
    Expected += One.size();
    if (All.size() != Expected) {
      llvm::errs() << argv[I] << ": describes a function that an earlier built-in rule file "
                   << "describes too; each function belongs in one file\n";
      return 1;
    }
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(argv[1], EC, llvm::sys::fs::OF_Text);
  if (EC) {
    llvm::errs() << argv[1] << ": " << EC.message() << "\n";
    return 1;
  }
  OS << All.toCpp("addBuiltinRules");
  return 0;
}
