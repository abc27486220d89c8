//===--- MacroSites.cpp - the statements the rules' macros became ---------===//
//
// For each expansion of a rule's macro in a function body (MacroUses.h),
// the statement it became and the expression each argument became:
//
//   owner     the expansion a statement's implementation belongs to: the
//             outermost rule macro up the chain of expansions of the
//             statement's own location, not crossing an argument (the user's
//             code passed as an argument, kh_foreach's `code` or a call in a
//             key expression, is the user's, and a rule macro written inside
//             another one's argument is an operation of its own);
//   top       the first statement (outer before inner) that the expansion
//             owns and that lies wholly inside it: `do { ... } while (0)`,
//             the call `kh_put_str (h, k, &ret)`, `HASH_ITER`'s for-init;
//   argument  the first expression inside the top that begins and ends with
//             the argument's first and last tokens, followed through the
//             argument substitutions of nested macros.
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace mapsafe {
namespace facts {

namespace {

constexpr unsigned MaxChain = 32;

/// The location a statement is "at": an expression's own (an operator's,
/// a member's), else where it begins.
SourceLocation ownLoc(const Stmt *S) {
  if (const auto *E = dyn_cast<Expr>(S))
    return E->getExprLoc();
  return S->getBeginLoc();
}

class Finder {
public:
  Finder(const MacroUses &Uses, const SourceManager &SM, MacroSites &Out)
      : Uses(Uses), SM(SM), Out(Out) {}

  void run(const Stmt *Body) {
    llvm::SmallVector<const Stmt *, 64> Stack{Body};
    llvm::SmallVector<const Stmt *, 64> Order; // pre-order
    while (!Stack.empty()) {
      const Stmt *S = Stack.pop_back_val();
      if (!S)
        continue;
      Order.push_back(S);
      size_t First = Stack.size();
      for (const Stmt *C : facts::childrenOf(S))
        if (C)
          Stack.push_back(C);
      std::reverse(Stack.begin() + First, Stack.end());
    }
    // Tops first (outer statements come first in pre-order), then what
    // each expansion owns.
    llvm::DenseMap<const MacroUses::Use *, unsigned> SiteOf;
    std::vector<const MacroUses::Use *> Owners(Order.size());
    for (size_t I = 0; I < Order.size(); ++I)
      Owners[I] = owner(ownLoc(Order[I]));
    for (size_t I = 0; I < Order.size(); ++I) {
      const Stmt *S = Order[I];
      const MacroUses::Use *U = Owners[I];
      if (!U || SiteOf.count(U) || !inside(S->getBeginLoc(), U) || !inside(S->getEndLoc(), U))
        continue;
      const Stmt *Top = S;
      if (const auto *E = dyn_cast<Expr>(Top))
        Top = E->IgnoreImplicit();
      SiteOf[U] = static_cast<unsigned>(Out.Sites.size());
      MacroSite Site;
      Site.Use = U;
      Site.Top = Top;
      Out.Sites.push_back(std::move(Site));
    }
    if (Out.Sites.empty())
      return;
    for (size_t I = 0; I < Order.size(); ++I)
      if (const MacroUses::Use *U = Owners[I])
        if (auto It = SiteOf.find(U); It != SiteOf.end())
          Out.Inside[Order[I]] = It->second;
    for (MacroSite &Site : Out.Sites)
      arguments(Site);
  }

private:
  /// The outermost rule expansion whose macro body a location comes from.
  /// It depends only on the expansion the location is in: remembered by
  /// that (a large expansion has thousands of statements).
  const MacroUses::Use *owner(SourceLocation L) {
    if (!L.isMacroID())
      return nullptr;
    FileID Entry = SM.getFileID(L);
    auto [It, New] = OwnerOf.try_emplace(Entry, nullptr);
    if (!New)
      return It->second;
    const MacroUses::Use *Found = nullptr;
    for (unsigned D = 0; D < MaxChain && L.isMacroID() && !SM.isMacroArgExpansion(L); ++D) {
      SourceLocation Name = SM.getImmediateExpansionRange(L).getBegin();
      if (const MacroUses::Use *U = Uses.at(Name))
        Found = U;
      L = Name;
    }
    OwnerOf[Entry] = Found;
    return Found;
  }

  /// Whether a location lies in U's expansion (in its body or arguments);
  /// by the expansion the location is in, remembered.
  bool inside(SourceLocation L, const MacroUses::Use *U) {
    if (!L.isMacroID())
      return false;
    auto Key = std::make_pair(SM.getFileID(L), U);
    auto [It, New] = InsideOf.try_emplace(Key, false);
    if (!New)
      return It->second;
    bool In = false;
    for (unsigned D = 0; D < MaxChain && L.isMacroID() && !In; ++D) {
      SourceLocation Up = SM.getImmediateExpansionRange(L).getBegin();
      In = Up == U->Name;
      L = Up;
    }
    InsideOf[Key] = In;
    return In;
  }

  /// Whether a location is Token's, followed back through the argument
  /// substitutions that brought it there.
  bool spelledAt(SourceLocation L, SourceLocation Token) const {
    for (unsigned D = 0; D < MaxChain; ++D) {
      if (L == Token)
        return true;
      if (!L.isMacroID() || !SM.isMacroArgExpansion(L))
        return false;
      L = SM.getImmediateSpellingLoc(L);
    }
    return false;
  }

  void arguments(MacroSite &Site) {
    const MacroUses::Use &U = *Site.Use;
    Site.Args.assign(U.Args.size(), nullptr);
    llvm::SmallVector<const Stmt *, 64> Stack;
    for (size_t I = 0; I < U.Args.size(); ++I) {
      auto [First, Last] = U.Args[I];
      if (First.isInvalid())
        continue;
      Stack.assign(1, Site.Top);
      while (!Stack.empty()) {
        const Stmt *S = Stack.pop_back_val();
        const auto *E = dyn_cast<Expr>(S);
        if (E && spelledAt(E->getBeginLoc(), First) && spelledAt(E->getEndLoc(), Last)) {
          Site.Args[I] = E;
          break;
        }
        size_t Mark = Stack.size();
        for (const Stmt *C : facts::childrenOf(S))
          if (C)
            Stack.push_back(C);
        std::reverse(Stack.begin() + Mark, Stack.end());
      }
    }
  }

  const MacroUses &Uses;
  const SourceManager &SM;
  MacroSites &Out;
  llvm::DenseMap<FileID, const MacroUses::Use *> OwnerOf;
  llvm::DenseMap<std::pair<FileID, const MacroUses::Use *>, bool> InsideOf;
};

} // namespace

void findMacroSites(const Stmt *Body, const MacroUses &Uses, const SourceManager &SM,
                    MacroSites &Out) {
  if (Body)
    Finder(Uses, SM, Out).run(Body);
}

} // namespace facts
} // namespace mapsafe
