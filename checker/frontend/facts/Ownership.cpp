//===--- Ownership.cpp - variables each call of a function owns -----------===//
//
// A struct on a function's stack, or a fresh allocation held in a local, is
// owned by each call of the function when its address never leaves the call:
// the maps in its fields are then new in every call, whatever threads run the
// function (ms_path.owned).  Decided by structure, conservatively: every use
// of the variable must be one of
//
//   - a field selected from it (`c.f`, `p->f`), whose value in turn is only
//     stored into (with a fresh object or null), compared, tested, or handed
//     to a map or lock operation as its map or lock, or to a function of the
//     file that stores its parameter nowhere;
//   - its address (or the pointer) compared, tested, freed (a rule of kind
//     free), cleared with an alias rule whose result is dropped (memset),
//     or handed to a map or lock operation as its map or lock, or to a
//     function of the file that stores its parameter nowhere, as computed
//     here over that function's body (the "stores parameter N" fact);
//   - sizeof.
//
// Anything else escapes: a store of the address, a copy of the struct, a
// return, a thread's argument, an unknown function, a use in an OpenMP
// region (its team shares it).
//
//===----------------------------------------------------------------------===//
#include "facts/FactBuilder.h"
#include "facts/FunctionAnalysis.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"

using namespace clang;

namespace mapsafe {

namespace {
constexpr unsigned MaxDepth = 6; // helpers handed the variable, one inside another

/// Whether P only tests its child E: `!e`, a comparison or `&&`/`||`
/// operand, the condition of an if, a while or `?:`.
bool onlyTests(const Stmt *P, const Expr *E) {
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return UO->getOpcode() == UO_LNot;
  if (const auto *BO = dyn_cast<BinaryOperator>(P))
    return BO->isComparisonOp() || BO->isLogicalOp();
  if (const auto *If = dyn_cast<IfStmt>(P))
    return If->getCond() == E;
  if (const auto *W = dyn_cast<WhileStmt>(P))
    return W->getCond() == E;
  if (const auto *CO = dyn_cast<ConditionalOperator>(P))
    return CO->getCond() == E;
  return false;
}

/// The index of E among CE's arguments, or -1 (E is the callee).
int argIndex(const CallExpr *CE, const Expr *E) {
  for (unsigned I = 0; I < CE->getNumArgs(); ++I)
    if (CE->getArg(I) == E)
      return static_cast<int>(I);
  return -1;
}
} // namespace

/// The parents of a body's statements, and each variable's uses, found
/// with an explicit stack (clang's ParentMap recurses on the AST).
struct FactBuilder::UseMap {
  llvm::DenseMap<const Stmt *, const Stmt *> Parent;
  llvm::DenseMap<const ValueDecl *, llvm::SmallVector<const DeclRefExpr *, 4>> Uses;
  llvm::SmallPtrSet<const DeclRefExpr *, 4> InRegion; // inside an OpenMP region
  llvm::DenseMap<const VarDecl *, const DeclStmt *> DeclOf;
  llvm::StringMap<unsigned> LocalNames; // how many locals have each name
  llvm::SmallVector<const GotoStmt *, 4> Gotos;
  bool ComputedGoto = false;

  explicit UseMap(const Stmt *Body) {
    struct Item {
      const Stmt *S;
      bool Region;
    };
    llvm::SmallVector<Item, 64> Stack{{Body, false}};
    while (!Stack.empty()) {
      Item I = Stack.pop_back_val();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(I.S)) {
        Uses[DRE->getDecl()].push_back(DRE);
        if (I.Region)
          InRegion.insert(DRE);
      }
      bool Region = I.Region || isa<CapturedStmt>(I.S);
      for (const Stmt *C : I.S->children())
        if (C) {
          Parent[C] = I.S;
          Stack.push_back({C, Region});
        }
      if (const auto *CS = dyn_cast<CapturedStmt>(I.S))
        if (const Stmt *Inner = CS->getCapturedStmt()) {
          Parent[Inner] = I.S;
          Stack.push_back({Inner, true});
        }
      if (const auto *DS = dyn_cast<DeclStmt>(I.S))
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D)) {
            DeclOf[VD] = DS;
            ++LocalNames[VD->getName()];
            if (VD->getInit()) {
              Parent[VD->getInit()] = I.S;
              Stack.push_back({VD->getInit(), Region});
            }
          }
      if (const auto *G = dyn_cast<GotoStmt>(I.S))
        Gotos.push_back(G);
      if (isa<IndirectGotoStmt>(I.S))
        ComputedGoto = true;
    }
  }

  /// The loops around S, innermost first.
  llvm::SmallVector<const Stmt *, 4> loopsAround(const Stmt *S) const {
    llvm::SmallVector<const Stmt *, 4> Loops;
    for (const Stmt *P = Parent.lookup(S); P; P = Parent.lookup(P))
      if (isa<ForStmt>(P) || isa<WhileStmt>(P) || isa<DoStmt>(P))
        Loops.push_back(P);
    return Loops;
  }

  /// The parent of E above parentheses and casts; E becomes the child.
  const Stmt *up(const Expr *&E) const {
    const Stmt *P = Parent.lookup(E);
    while (P && (isa<ParenExpr>(P) || isa<CastExpr>(P))) {
      E = cast<Expr>(P);
      P = Parent.lookup(P);
    }
    return P;
  }
};

const FactBuilder::UseMap *FactBuilder::usesOf(const FunctionDecl *FD) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->getBody() || skipped(Def))
    return nullptr;
  std::shared_ptr<UseMap> &U = UseMaps[Def->getCanonicalDecl()];
  if (!U)
    U = std::make_shared<UseMap>(Def->getBody());
  return U.get();
}

/// A null pointer, or a call that returns a new object.
bool FactBuilder::freshOrNull(const Expr *E) {
  if (!E)
    return false;
  if (E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return true;
  const auto *CE = dyn_cast_or_null<CallExpr>(facts::strip(E));
  const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
  const Rule *Ru = Callee && Callee->getIdentifier() ? R.lookup(Callee->getName()) : nullptr;
  return Ru && Ru->returnsFresh();
}

/// Whether handing argument I of CE away lets it out of the call: it does
/// unless CE is a map or lock operation taking it as its map or lock, or a
/// function of the file that stores that parameter nowhere.
bool FactBuilder::argEscapes(const UseMap *U, const CallExpr *CE, unsigned I, unsigned Depth) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee)
    return true;
  // A call that runs a callback before it returns, handing it this
  // argument: as far as the callback keeps it.
  auto Handed = [&](ArgRef Callback, ArgRef Data, int Param) {
    if (Data.Index != static_cast<int>(I) || Callback.Index < 0 ||
        static_cast<unsigned>(Callback.Index) >= CE->getNumArgs())
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(CE->getArg(Callback.Index)->IgnoreParenCasts());
    const auto *Fn = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
    return !Fn || Param < 0 || paramCaptured(Fn, static_cast<unsigned>(Param), Depth + 1);
  };
  if (Callee->getIdentifier())
    if (const Rule *Ru = R.lookup(Callee->getName())) {
      if (Ru->mapOp)
        return Ru->mapOp->Map.Index != static_cast<int>(I) &&
               Handed(Ru->mapOp->Callback, Ru->mapOp->CallbackData, Ru->mapOp->CallbackParam);
      if (Ru->callsBack)
        return Handed(Ru->callsBack->Callback, Ru->callsBack->CallbackData,
                      Ru->callsBack->CallbackParam);
      if (Ru->lock)
        return Ru->lock->Lock.Index != static_cast<int>(I);
      if (Ru->params) // the rules say what it keeps
        return Ru->params->Keeps == static_cast<int>(I);
      // Freeing keeps nothing; memset and memcpy into it keep nothing
      // either, when what they return (the same pointer) is dropped.
      if (Ru->allocator && Ru->allocator->What == AllocatorRule::Free)
        return false;
      if (Ru->alias && I == 0 && U)
        return !isa_and_nonnull<CompoundStmt>(U->Parent.lookup(CE));
      return true;
    }
  if (I >= Callee->getNumParams())
    return true; // through `...`
  return paramCaptured(Callee, I, Depth + 1);
}

/// Whether the value of E (an address, or a pointer to an owned object)
/// leaves the call.
bool FactBuilder::valueEscapes(const UseMap &U, const Expr *E, unsigned Depth) {
  const Stmt *P = U.up(E);
  if (!P)
    return true;
  if (onlyTests(P, E))
    return false;
  if (const auto *ME = dyn_cast<MemberExpr>(P))
    return !(ME->isArrow() && ME->getBase()->IgnoreParenCasts() == E->IgnoreParenCasts()) ||
           memberEscapes(U, ME, Depth);
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return UO->getOpcode() != UO_Deref || lvalueEscapes(U, UO, Depth);
  if (const auto *CE = dyn_cast<CallExpr>(P)) {
    int I = argIndex(CE, E);
    return I < 0 || argEscapes(&U, CE, static_cast<unsigned>(I), Depth); // or the callee
  }
  // Held in a local pointer (`Ctx *c = user_data;`): as far as its uses let it out.
  if (const auto *DS = dyn_cast<DeclStmt>(P)) {
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D);
          VD && VD->getInit() && VD->getInit()->IgnoreParenCasts() == E->IgnoreParenCasts())
        return localEscapes(U, VD, Depth + 1);
    return true;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(P); BO && BO->getOpcode() == BO_Assign &&
                                                    BO->getRHS()->IgnoreParenCasts() ==
                                                        E->IgnoreParenCasts())
    if (const VarDecl *VD = facts::localVar(BO->getLHS()); VD && VD->getType()->isPointerType())
      return localEscapes(U, VD, Depth + 1);
  return true;
}

/// Whether a local pointer variable lets what it points to out: any of its
/// uses but being assigned.
bool FactBuilder::localEscapes(const UseMap &U, const VarDecl *VD, unsigned Depth) {
  if (Depth > MaxDepth || !VD->getType()->isPointerType())
    return true;
  auto Uses = U.Uses.find(VD);
  if (Uses == U.Uses.end())
    return false;
  for (const DeclRefExpr *Use : Uses->second) {
    const Expr *E = Use;
    const Stmt *P = U.up(E);
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
        BO && BO->getOpcode() == BO_Assign && BO->getLHS()->IgnoreParenCasts() == Use)
      continue;
    if (U.InRegion.count(Use) || valueEscapes(U, Use, Depth))
      return true;
  }
  return false;
}

/// Whether the struct lvalue E (the variable, or `*p`) lets what it holds
/// out of the call.
bool FactBuilder::lvalueEscapes(const UseMap &U, const Expr *E, unsigned Depth) {
  const Stmt *P = U.up(E);
  if (!P)
    return true;
  if (const auto *ME = dyn_cast<MemberExpr>(P))
    return ME->isArrow() || memberEscapes(U, ME, Depth);
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return UO->getOpcode() != UO_AddrOf || valueEscapes(U, UO, Depth);
  if (isa<UnaryExprOrTypeTraitExpr>(P)) // sizeof
    return false;
  return true; // copied, returned, passed by value
}

/// Whether a field selected from an owned object lets what it holds out.
bool FactBuilder::memberEscapes(const UseMap &U, const MemberExpr *M, unsigned Depth) {
  const auto *F = dyn_cast<FieldDecl>(M->getMemberDecl());
  if (!F || Depth > MaxDepth)
    return true;
  QualType T = F->getType();
  if (T->isRecordType())
    return lvalueEscapes(U, M, Depth); // a struct inside: its fields
  if (const ArrayType *AT = Ctx.getAsArrayType(T)) {
    // Characters, numbers: nothing reachable; pointers or structs: followed
    // no further.
    QualType Elem = AT->getElementType();
    return !(Elem->isIntegerType() || Elem->isRealFloatingType());
  }
  if (!T->isPointerType())
    return false; // a number, a flag: nothing reachable
  // A pointer to something that is not a map (another struct, a string):
  // what it points to is not the call's own, so handing it on lets nothing
  // of the call's out.  A map, or a pointer that may hold one (`void *`, a
  // pointer to a pointer), is followed.
  QualType Pointee = T->getPointeeType();
  bool MayHoldMap = isMapType(T) || Pointee->isVoidType() || Pointee->isPointerType();
  const Expr *E = M;
  const Stmt *P = U.up(E);
  if (!P)
    return true;
  if (onlyTests(P, E))
    return false;
  if (const auto *BO = dyn_cast<BinaryOperator>(P); BO && BO->getOpcode() == BO_Assign)
    // Stored into (a map: only a new one), or read out.
    return MayHoldMap && (BO->getLHS()->IgnoreParenCasts() != M || !freshOrNull(BO->getRHS()));
  if (const auto *ME = dyn_cast<MemberExpr>(P))
    return !(ME->isArrow() && ME->getBase()->IgnoreParenCasts() == M); // what it points to
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return UO->getOpcode() != UO_AddrOf || valueEscapes(U, UO, Depth); // &c.lock
  if (const auto *CE = dyn_cast<CallExpr>(P)) {
    int I = argIndex(CE, E);
    return I < 0 || (MayHoldMap && argEscapes(&U, CE, static_cast<unsigned>(I), Depth));
  }
  return MayHoldMap;
}

/// Whether FD may store parameter N (a pointer) anywhere that outlives the
/// call: computed over its body; a function without one, or one recursing
/// back here, may.
bool FactBuilder::paramCaptured(const FunctionDecl *FD, unsigned N, unsigned Depth) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || Depth > MaxDepth || N >= Def->getNumParams() ||
      !Def->getParamDecl(N)->getType()->isPointerType() || !isUserCode(Def->getLocation()))
    return true;
  auto Key = std::make_pair(Def->getCanonicalDecl(), N);
  auto It = Captured.find(Key);
  if (It != Captured.end())
    return It->second != 0; // in progress (recursion) counts as captured
  Captured[Key] = 1;
  const UseMap *U = usesOf(Def);
  bool Result = !U;
  if (U) {
    auto Uses = U->Uses.find(Def->getParamDecl(N));
    if (Uses != U->Uses.end())
      for (const DeclRefExpr *Use : Uses->second) {
        const Expr *E = Use;
        const Stmt *P = U->up(E);
        // Assigned, or its address taken: who knows what it points to then.
        const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
        if (U->InRegion.count(Use) || (BO && BO->isAssignmentOp() && BO->getLHS() == E) ||
            valueEscapes(*U, Use, Depth)) {
          Result = true;
          break;
        }
      }
  }
  Captured[Key] = Result;
  return Result;
}

const FactBuilder::Ownership &FactBuilder::ownership(const FunctionDecl *FD, const VarDecl *VD) {
  auto Memo = Owned.find(VD);
  if (Memo != Owned.end())
    return Memo->second;
  Ownership &O = Owned[VD];
  O.What = Ownership::Never;
  if (!VD->hasLocalStorage() || isa<ParmVarDecl>(VD) || VD->isStaticLocal())
    return O;
  // Only a struct whose fields the code can select (not an opaque handle
  // such as a GHashTable *): nothing else has fields to own.
  QualType T = VD->getType();
  bool Struct = T->isRecordType();
  const RecordDecl *RD = Struct ? T->getAsRecordDecl()
                         : T->isPointerType() ? T->getPointeeType()->getAsRecordDecl()
                                              : nullptr;
  if (!RD || !RD->getDefinition() || isMapType(Struct ? Ctx.getPointerType(T) : T))
    return O;
  const UseMap *U = usesOf(FD);
  if (!U)
    return O;
  // Its value: a struct set up here (nothing, or fresh objects and nulls);
  // a pointer: only ever a fresh allocation or null.
  if (const Expr *Init = VD->getInit()) {
    if (Struct) {
      const auto *ILE = dyn_cast<InitListExpr>(Init->IgnoreParenImpCasts());
      if (!ILE)
        return O;
      for (unsigned I = 0; I < ILE->getNumInits(); ++I)
        if (const Expr *V = ILE->getInit(I);
            V && V->getType()->isPointerType() && !freshOrNull(V))
          return O;
    } else if (!freshOrNull(Init)) {
      return O;
    }
  }
  // Every use that lets it out publishes it.
  llvm::SmallVector<const Expr *, 2> Escapes;
  auto Uses = U->Uses.find(VD);
  if (Uses != U->Uses.end())
    for (const DeclRefExpr *Use : Uses->second) {
      if (U->InRegion.count(Use))
        return O;
      if (Struct) {
        if (lvalueEscapes(*U, Use, 0))
          Escapes.push_back(Use);
        continue;
      }
      const Expr *E = Use;
      const Stmt *P = U->up(E);
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
          BO && BO->getOpcode() == BO_Assign && BO->getLHS() == E) {
        if (!freshOrNull(BO->getRHS()))
          return O;
        continue;
      }
      if (valueEscapes(*U, Use, 0))
        Escapes.push_back(Use);
    }
  if (Escapes.empty()) {
    O.What = Ownership::Always;
    return O;
  }
  // Published: owned before the first publication, where every run of the
  // function meets its uses in their order in the source.  That needs no
  // jump back, and no loop around a publication that does not also hold
  // the variable's declaration (each turn of such a loop has a new one).
  const SourceManager &SM = Ctx.getSourceManager();
  const DeclStmt *Decl = U->DeclOf.lookup(VD);
  if (U->ComputedGoto || !Decl)
    return O;
  for (const GotoStmt *G : U->Gotos) {
    const LabelStmt *L = G->getLabel() ? G->getLabel()->getStmt() : nullptr;
    if (!L || !SM.isBeforeInTranslationUnit(G->getBeginLoc(), L->getBeginLoc()))
      return O;
  }
  llvm::SmallVector<const Stmt *, 4> DeclLoops = U->loopsAround(Decl);
  SourceLocation First;
  for (const Expr *E : Escapes) {
    for (const Stmt *L : U->loopsAround(E))
      if (!llvm::is_contained(DeclLoops, L))
        return O;
    if (First.isInvalid() || SM.isBeforeInTranslationUnit(E->getBeginLoc(), First))
      First = E->getBeginLoc();
  }
  O.What = Ownership::Until;
  O.End = First;
  O.Escapes = Escapes;
  return O;
}

bool FactBuilder::ownedAt(const FunctionDecl *FD, const VarDecl *VD, const Expr *Use) {
  const Ownership &O = ownership(FD, VD);
  if (O.What != Ownership::Until)
    return O.What == Ownership::Always;
  SourceLocation L = Use ? Use->getBeginLoc() : SourceLocation();
  return L.isValid() && Ctx.getSourceManager().isBeforeInTranslationUnit(L, O.End);
}

bool FactBuilder::handedOverAt(const FunctionDecl *FD, const VarDecl *VD, const Expr *Spawn) {
  const Ownership &O = ownership(FD, VD);
  if (O.What != Ownership::Until || O.Escapes.size() != 1 || !Spawn)
    return false;
  // The spawn's argument is the one publication...
  const Expr *Arg = Spawn->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Arg); UO && UO->getOpcode() == UO_AddrOf)
    Arg = UO->getSubExpr()->IgnoreParenCasts();
  if (O.Escapes.front()->IgnoreParenCasts() != Arg)
    return false;
  // ... and after it the pointer is only tested, freed or set afresh.
  const UseMap *U = usesOf(FD);
  if (!U)
    return false;
  auto Uses = U->Uses.find(VD);
  if (Uses == U->Uses.end())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const DeclRefExpr *Use : Uses->second) {
    if (!SM.isBeforeInTranslationUnit(O.End, Use->getBeginLoc()))
      continue;
    const Expr *E = Use;
    const Stmt *P = U->up(E);
    if (!P)
      return false;
    if (onlyTests(P, E))
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(P);
        BO && BO->getOpcode() == BO_Assign && BO->getLHS() == E)
      continue;
    if (const auto *CE = dyn_cast<CallExpr>(P)) {
      const FunctionDecl *Callee = CE->getDirectCallee();
      const Rule *Ru = Callee && Callee->getIdentifier() ? R.lookup(Callee->getName()) : nullptr;
      if (Ru && Ru->allocator && Ru->allocator->What == AllocatorRule::Free)
        continue;
    }
    return false;
  }
  return true;
}

std::string FactBuilder::localName(const FunctionDecl *FD, const VarDecl *VD) {
  std::string Name = (FD->getName() + "::" + VD->getName()).str();
  const UseMap *U = usesOf(FD);
  if (U && U->LocalNames.lookup(VD->getName()) > 1) {
    const SourceManager &SM = Ctx.getSourceManager();
    Name += "@" + std::to_string(SM.getExpansionLineNumber(VD->getLocation()));
  }
  return Name;
}

} // namespace mapsafe
