//===--- BrokenCode.h - which findings a file's errors leave standing -----===//
//
// Half-typed code is the normal state of a file in an editor.  A compile
// error makes what mapsafe sees of the function it lies in unreliable (a
// dropped statement may have been the lock), and with it what that function
// does for its callers.  It says nothing about the other functions.  So:
//
//   - ErrorWatch, installed on the compiler's diagnostics before parsing,
//     notes where each error is (and passes every diagnostic on unchanged);
//   - brokenFunctions() finds the functions of the main file that an error
//     lies in or that clang had to patch up (recovery expressions, invalid
//     declarations), and every function that calls one of them, directly or
//     not: their summaries are unknown;
//   - a finding stands when none of its places (the access, the conflicting
//     access, the spawns, the call path, the locks) lies in such a function.
//
// An error outside the main file, a fatal error (after which clang reports
// nothing more) or an error with no place pause the whole file.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_BROKENCODE_H
#define MAPSAFE_FRONTEND_CHECKS_BROKENCODE_H

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <string>
#include <vector>

namespace mapsafe {

/// The errors of one translation unit, as they were reported.
struct ErrorLog {
  std::vector<clang::SourceLocation> Errors;
  bool Unplaced = false; // a fatal error, or one without a location
};

/// Records into a log the errors the compiler reports, and forwards every
/// diagnostic to the consumer that was there before.
void watchErrors(clang::DiagnosticsEngine &Diags, std::shared_ptr<ErrorLog> Log);

/// What a file's errors put out of reach.
struct BrokenCode {
  bool WholeFile = false; // no finding can be trusted
  /// Functions to analyse as if they had no body (the errors lie in them).
  llvm::DenseSet<const clang::FunctionDecl *> Broken;
  /// The main file's offsets covered by broken functions and their callers.
  std::vector<std::pair<unsigned, unsigned>> Suspect;
  /// The first broken function, for the message (empty: WholeFile).
  std::string FirstName;
  unsigned FirstLine = 0;

  bool any() const { return WholeFile || !Broken.empty(); }
  /// Whether a finding with a place at L may be wrong.
  bool suspect(const clang::SourceManager &SM, clang::SourceLocation L) const;
};

/// Works out what the errors of Log put out of reach in Ctx's translation
/// unit (the broken functions also when the whole file is).
BrokenCode brokenFunctions(clang::ASTContext &Ctx, const ErrorLog &Log);

} // namespace mapsafe

#endif
