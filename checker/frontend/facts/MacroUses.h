//===--- MacroUses.h - where the rules' macros are expanded ---------------===//
//
// Macro-based map libraries (uthash, khash, stb_ds) and a project's own
// lock macros are matched as macros: by name and argument at the place the
// user wrote them, not by the code they expand to.  The preprocessor tells
// MacroUses of every expansion of a macro the rules name (PPCallbacks), with
// the tokens of each argument; the fact builder then finds, in a function's
// AST, the statement each expansion became and the expression each
// argument became (MacroSites.cpp).
//
// An argument that is not an expression (khash's table name, uthash's
// `hh` or key field) has no expression: a rule must not name it as the map,
// key, value or lock.
//
//===----------------------------------------------------------------------===//
#ifndef MAPSAFE_FRONTEND_FACTS_MACROUSES_H
#define MAPSAFE_FRONTEND_FACTS_MACROUSES_H

#include "rules/Rules.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class PPCallbacks;
class SourceManager;
} // namespace clang

namespace mapsafe {

class MacroUses {
public:
  /// One expansion of a macro the rules name.
  struct Use {
    const Rule *R = nullptr;
    std::string Shown;           // the name as the user wrote it (stb_ds's hmget for stbds_hmget)
    clang::SourceLocation Name;  // the macro's name where it is expanded
    clang::SourceRange Range;    // from the name to the closing parenthesis
    clang::SourceLocation Defined; // the macro's definition
    // Each argument's first and last token (invalid for an empty argument).
    llvm::SmallVector<std::pair<clang::SourceLocation, clang::SourceLocation>, 6> Args;
  };

  /// R must outlive this object and the callbacks.
  MacroUses(const Rules &R, const clang::SourceManager &SM) : R(R), SM(SM) {}

  /// Callbacks for the preprocessor that fill this object; KeepAlive is
  /// held as long as they are (the object must live that long).
  std::unique_ptr<clang::PPCallbacks> callbacks(std::shared_ptr<void> KeepAlive);

  /// The expansion whose macro name is at Loc (a location along a token's
  /// chain of expansions), if it is one of the rules' macros.
  const Use *at(clang::SourceLocation Loc) const {
    auto It = ByName.find(Loc.getRawEncoding());
    return It == ByName.end() ? nullptr : &Uses[It->second];
  }
  /// Whether any such expansion lies in the file range [Begin, End]
  /// (expansion locations of one file): a function without one needs no
  /// look for them.
  bool anyWithin(clang::SourceLocation Begin, clang::SourceLocation End) const;
  bool empty() const { return Uses.empty(); }
  /// Whether Loc, where a definition begins, was written by a macro of a
  /// header that defines the rules' macros (khash's KHASH_MAP_INIT_INT
  /// defines kh_put_NAME and the rest): the library's own code, reached
  /// through its macros, not the user's.
  bool libraryDefinition(clang::SourceLocation Loc) const;
  /// A rule's macro is defined at At (once per macro).
  void definedAt(const void *Macro, clang::SourceLocation At);

  void add(Use U);
  const Rules &rules() const { return R; }

private:
  const Rules &R;
  const clang::SourceManager &SM;
  std::vector<Use> Uses;
  llvm::DenseMap<clang::SourceLocation::UIntTy, unsigned> ByName;
  // Per file: the offsets of the expansions in it, in the order the
  // preprocessor met them (increasing).
  llvm::DenseMap<clang::FileID, std::vector<unsigned>> InFile;
  // The headers the expanded rules' macros are defined in.
  llvm::SmallPtrSet<const void *, 4> DefinedBy;
  llvm::DenseSet<clang::FileID> DefiningFiles;
};

} // namespace mapsafe

#endif
