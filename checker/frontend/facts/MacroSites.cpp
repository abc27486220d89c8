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
// One walk over the body finds the tops.  Below a top it goes on only into
// the arguments: the rest is the macro's own code (uthash's HASH_ADD is
// hundreds of statements), where no other expansion can start.  Whether
// any other statement is made of an expansion is asked when it matters
// (a call, an element of the CFG), by its location.
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

} // namespace

/// The outermost rule expansion whose macro body a location comes from.
/// It depends only on the expansion the location is in: remembered by that
/// (a large expansion has thousands of statements).
const MacroUses::Use *MacroSites::owner(SourceLocation L) const {
  if (!L.isMacroID() || !SM)
    return nullptr;
  FileID Entry = SM->getFileID(L);
  auto [It, New] = OwnerOf.try_emplace(Entry, nullptr);
  if (!New)
    return It->second;
  const MacroUses::Use *Found = nullptr;
  for (unsigned D = 0; D < MaxChain && L.isMacroID() && !SM->isMacroArgExpansion(L); ++D) {
    SourceLocation Name = SM->getImmediateExpansionRange(L).getBegin();
    if (const MacroUses::Use *U = Uses->at(Name))
      Found = U;
    L = Name;
  }
  OwnerOf[Entry] = Found;
  return Found;
}

int MacroSites::siteOf(const Stmt *S) const {
  if (!S || SiteOfUse.empty())
    return -1;
  SourceLocation L = ownLoc(S);
  if (!L.isMacroID())
    return -1;
  auto It = SiteOfUse.find(owner(L));
  return It == SiteOfUse.end() ? -1 : static_cast<int>(It->second);
}

class SiteFinder {
public:
  SiteFinder(const MacroUses &Uses, const SourceManager &SM, MacroSites &Out)
      : Uses(Uses), SM(SM), Out(Out) {
    Out.Uses = &Uses;
    Out.SM = &SM;
  }

  /// Depth first, in source order, with the path from the body down.
  void run(const Stmt *Body) {
    struct Item {
      const Stmt *S;
      bool Leave;
    };
    llvm::SmallVector<Item, 64> Stack{{Body, false}};
    while (!Stack.empty()) {
      Item I = Stack.pop_back_val();
      if (I.Leave) {
        Path.pop_back();
        continue;
      }
      const Stmt *S = I.S;
      llvm::SmallVector<const Stmt *, 4> Into;
      if (top(S, Into))
        Out.UserParts[S].assign(Into.begin(), Into.end());
      else
        for (const Stmt *C : facts::childrenOf(S))
          if (C)
            Into.push_back(C);
      Path.push_back(S);
      Stack.push_back({S, true});
      for (auto C = Into.rbegin(); C != Into.rend(); ++C)
        Stack.push_back({*C, false});
    }
  }

private:
  /// Whether S is the top of an expansion whose arguments are all known:
  /// then the walk goes on below it only into them (Into).
  bool top(const Stmt *S, llvm::SmallVectorImpl<const Stmt *> &Into) {
    SourceLocation L = ownLoc(S);
    if (!L.isMacroID())
      return false;
    const MacroUses::Use *U = Out.owner(L);
    if (!U || Out.SiteOfUse.count(U) || !inside(S->getBeginLoc(), U) || !inside(S->getEndLoc(), U))
      return false;
    const Stmt *Top = S;
    if (const auto *E = dyn_cast<Expr>(Top))
      Top = E->IgnoreImplicit();
    Out.SiteOfUse[U] = static_cast<unsigned>(Out.Sites.size());
    MacroSite Site;
    Site.Use = U;
    Site.Top = Top;
    Site.Around.append(Path.begin(), Path.end());
    bool All = arguments(Site, Into);
    Out.Sites.push_back(std::move(Site));
    if (!All)
      Into.clear(); // an argument not found may hold anything: walk it all
    return All;
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

  /// The argument a location is the first or last token of (followed back
  /// through the argument substitutions that brought it there).
  template <bool Last>
  int argumentAt(SourceLocation L, const MacroUses::Use &U) const {
    for (unsigned D = 0; D < MaxChain; ++D) {
      for (size_t I = 0; I < U.Args.size(); ++I)
        if (L == (Last ? U.Args[I].second : U.Args[I].first))
          return static_cast<int>(I);
      if (!L.isMacroID() || !SM.isMacroArgExpansion(L))
        return -1;
      L = SM.getImmediateSpellingLoc(L);
    }
    return -1;
  }

  /// The argument expressions the rule names, and in Into the statements
  /// the arguments became (what is the user's below the top), in one walk
  /// of the top that ends when all are found.  Whether every argument that
  /// may hold the user's code was found: one that is a single token and no
  /// rule's macro (uthash's `hh`, khash's table name, a key field) holds
  /// none.
  bool arguments(MacroSite &Site, llvm::SmallVectorImpl<const Stmt *> &Into) {
    const MacroUses::Use &U = *Site.Use;
    size_t N = U.Args.size();
    Site.Args.assign(N, nullptr);
    llvm::SmallVector<bool, 6> Walk(N, false), Named(N, false);
    unsigned Left = 0;
    for (size_t I = 0; I < N; ++I) {
      auto [First, Last] = U.Args[I];
      if (First.isInvalid())
        continue;
      Walk[I] = First != Last || Uses.at(First);
      Named[I] = U.R->namesArgument(static_cast<int>(I));
      Left += Walk[I] + Named[I];
    }
    unsigned Walks = 0;
    for (bool W : Walk)
      Walks += W;
    llvm::SmallVector<const Stmt *, 64> Stack{Site.Top};
    while (!Stack.empty() && Left) {
      const Stmt *S = Stack.pop_back_val();
      int I = argumentAt<false>(S->getBeginLoc(), U);
      if (I >= 0 && argumentAt<true>(S->getEndLoc(), U) == I) {
        const auto *E = dyn_cast<Expr>(S);
        if (E && Named[I]) {
          Site.Args[I] = E;
          Named[I] = false;
          --Left;
        }
        if (Walk[I]) {
          Walk[I] = false;
          --Left;
          --Walks;
          Into.push_back(S);
        }
        continue; // the user's code: the main walk goes on into it
      }
      size_t Mark = Stack.size();
      for (const Stmt *C : facts::childrenOf(S))
        if (C)
          Stack.push_back(C);
      std::reverse(Stack.begin() + Mark, Stack.end());
    }
    return Walks == 0;
  }

  const MacroUses &Uses;
  const SourceManager &SM;
  MacroSites &Out;
  llvm::SmallVector<const Stmt *, 32> Path;
  llvm::DenseMap<std::pair<FileID, const MacroUses::Use *>, bool> InsideOf;
};

void findMacroSites(const Stmt *Body, const MacroUses &Uses, const SourceManager &SM,
                    MacroSites &Out) {
  if (Body)
    SiteFinder(Uses, SM, Out).run(Body);
}

} // namespace facts
} // namespace mapsafe
