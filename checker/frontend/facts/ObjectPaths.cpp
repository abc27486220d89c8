//===--- ObjectPaths.cpp - which object an expression denotes -------------===//
//
// Maps and locks are named by paths (ms_path): a global, a parameter, a
// local object (created, allocated, or a local whose address is taken),
// followed by fields.  Local pointers are followed to what they hold; a
// fresh object stored into a global or field is named by it from that
// store on.  Arguments of calls and spawns become ms_value (with what the
// spawner stored in the fields of the struct it hands over, and whether the
// object is fresh for each spawned instance).
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include <string>

using namespace clang;

namespace mapsafe {

using namespace facts;

const Rule *FactBuilder::FunctionAnalysis::ruleOf(const CallExpr *CE) const {
  // A call classified with a rule (also one made from attributes).
  if (const Rule *R = Body.Rules.lookup(CE))
    return R;
  // The call a rule's macro became (khash's kh_init): the macro's rule.
  if (!Body.MacroCalls.empty())
    if (const Rule *R = Body.MacroCalls.lookup(CE))
      return R;
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return nullptr;
  return RuleTable.lookup(Callee->getName());
}

/// A call that returns a new object: a map creation or an allocation.
/// A call that returns its argument (an alias: memset, a ref function) is
/// what it is given: APR's apr_pcalloc is memset (apr_palloc (...), ...).
bool FactBuilder::FunctionAnalysis::isFresh(const Expr *E) const {
  for (unsigned Depth = 0; Depth < 4; ++Depth) {
    const auto *CE = dyn_cast_or_null<CallExpr>(strip(E));
    const Rule *R = CE ? ruleOf(CE) : nullptr;
    if (!R)
      return false;
    if (R->returnsFresh())
      return true;
    if (!R->alias || !(E = argOf(CE, R->alias->Returns)))
      return false;
  }
  return false;
}

/// A string of the facts (an interned copy).
ms_id FactBuilder::FunctionAnalysis::str(llvm::StringRef S) {
  return Builder.check(ms_strn(Facts, S.data(), S.size()));
}

ms_path FactBuilder::FunctionAnalysis::varPath(const VarDecl *VD, bool Local) {
  auto Memo = VarPathMemo.find(VD);
  if (Memo != VarPathMemo.end())
    return Memo->second;
  ms_path P = ms_path_unknown();
  // A thread-local variable is a different object in every thread: no
  // name can say which one, and no other thread can reach it.
  if (VD->getTLSKind() != VarDecl::TLS_None)
    return VarPathMemo[VD] = P;
  std::string Name;
  if (Local) {
    P.base = MS_BASE_LOCAL;
    Name = Builder.localName(FD, VD);
    P.owned = Builder.ownedLocal(FD, VD);
  } else {
    P.base = MS_BASE_GLOBAL;
    if (VD->isStaticLocal())
      Name = (FD->getName() + "::" + VD->getName()).str();
    else if (!VD->isExternallyVisible())
      Name = (Ctx.getSourceManager().getFilename(
                  Ctx.getSourceManager().getExpansionLoc(VD->getLocation())) +
              "::" + VD->getName())
                 .str();
    else
      Name = VD->getName().str();
  }
  P.name = str(Name);
  P.display = str(VD->getName());
  VarPathMemo[VD] = P;
  return P;
}

ms_path FactBuilder::FunctionAnalysis::withField(ms_path Base, const FieldDecl *FDecl) {
  Base.depth += 1;
  Base.field = str(FDecl->getName());
  Base.field_owner = str(ownerName(FDecl->getParent(), Ctx));
  Base.field_display = MS_NONE;
  return Base;
}

/// A member that a macro wrote into a record that a macro declared: the
/// GHashTable inside a typed wrapper's union (rtpengine's TYPED_GHASHTABLE,
/// `union media_id_ht { GHashTable *ht; ... }`), whose name the user never
/// wrote.
static bool macroMember(const FieldDecl *F) {
  return F->getLocation().isMacroID() && F->getParent()->getLocation().isMacroID();
}

/// How the user names the record a macro member is selected from: the
/// field or variable that holds it (`c->media_ids`: `struct call.media_ids`),
/// or "" when the code does not say (a record reached through a pointer).
static std::string userName(const Expr *E, const ASTContext &Ctx, unsigned Depth = 0) {
  E = E->IgnoreParenImpCasts();
  if (Depth > 8)
    return "";
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!F)
      return "";
    if (!ME->isArrow() && macroMember(F)) // a wrapper inside a wrapper
      return userName(ME->getBase(), Ctx, Depth + 1);
    return ownerName(F->getParent(), Ctx) + "." + F->getName().str();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && !isa<ParmVarDecl>(VD))
      return VD->getName().str();
  return "";
}

/// The object an expression of pointer type points to.
ms_path FactBuilder::FunctionAnalysis::pointee(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return ms_path_unknown();
  if (Depth == 0) {
    // The dataflow asks again on every pass over a block: remember.
    auto It = PointeeMemo.find(E);
    if (It != PointeeMemo.end())
      return It->second;
    ms_path P = pointee(E, 1);
    PointeeMemo[E] = P;
    return P;
  }
  E = strip(E);
  if (!E)
    return ms_path_unknown();
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf)
      return object(UO->getSubExpr(), Depth + 1);
    return ms_path_unknown();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *PVD = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      ms_path P = ms_path_unknown();
      P.base = MS_BASE_PARAM;
      P.param = static_cast<int32_t>(PVD->getFunctionScopeIndex());
      return P;
    }
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      if (VD->getType()->isArrayType())
        return object(E, Depth + 1); // decayed array: its elements
      if (VD->hasLocalStorage()) {
        // A variable an OpenMP team shares (OpenMP.cpp).
        if (!Omp.empty())
          if (ms_path Shared = ompShared(VD, E); !isUnknown(Shared))
            return Shared;
        return alias(VD, Depth + 1, E);
      }
      return varPath(VD, false); // the map a global pointer points to
    }
    return ms_path_unknown();
  }
  // An atomic load of a pointer (double-buffered publication): the object
  // the loaded variable names.
  if (const auto *AE = dyn_cast<AtomicExpr>(E)) {
    switch (AE->getOp()) {
    case AtomicExpr::AO__atomic_load_n:
    case AtomicExpr::AO__c11_atomic_load:
      return pointee(AE->getPtr(), Depth + 1);
    default:
      return ms_path_unknown();
    }
  }
  // A call that returns (a pointer to) one of its arguments.
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    const Rule *R = ruleOf(CE);
    const Expr *Returned = R ? argOf(CE, R->returns()) : nullptr;
    return Returned ? pointee(Returned, Depth + 1) : ms_path_unknown();
  }
  // A pointer field of a local struct that this function set before this
  // use (j->seen = shared_table): the object stored there.
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    ms_path Stored;
    if (storedInField(ME, Stored, Depth))
      return Stored;
  }
  // A pointer stored in a field or array element: the object is named by
  // where the pointer is stored.
  if (isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E))
    return object(E, Depth + 1);
  return ms_path_unknown();
}

/// Whether ME (B->f or Builder.f, B a local variable) reads a pointer field that
/// this function stored exactly once, before ME, with an object that is not
/// fresh; Out is then that object.
bool FactBuilder::FunctionAnalysis::storedInField(const MemberExpr *ME, ms_path &Out,
                                                  unsigned Depth) {
  const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
  const VarDecl *Base = localVar(ME->getBase());
  if (!Field || !Base)
    return false;
  auto It = Body.FieldStores.find(Base);
  if (It == Body.FieldStores.end())
    return false;
  const Assignment *Only = nullptr;
  for (const Assignment &A : It->second) {
    const auto *T = dyn_cast_or_null<MemberExpr>(A.Target);
    if (!T || T->getMemberDecl() != Field)
      continue;
    if (Only)
      return false; // stored more than once
    Only = &A;
  }
  if (!Only || isFresh(Only->Value) ||
      Only->Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull) ||
      !Ctx.getSourceManager().isBeforeInTranslationUnit(Only->Target->getBeginLoc(),
                                                        ME->getBeginLoc()))
    return false;
  if (const VarDecl *Src = localVar(Only->Value); Src && aliasInfo(Src, 0).Store == Only->Target)
    return false; // a fresh local stored here: the field names it
  Out = pointee(Only->Value, Depth + 1);
  return Out.base != MS_BASE_UNKNOWN || Out.depth;
}

/// The object an lvalue denotes.
ms_path FactBuilder::FunctionAnalysis::object(const Expr *E, unsigned Depth) {
  if (!E || Depth > 8)
    return ms_path_unknown();
  E = E->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD || isa<ParmVarDecl>(VD))
      return ms_path_unknown();
    if (!Omp.empty())
      if (ms_path Shared = ompShared(VD, DRE); !isUnknown(Shared))
        return Shared;
    ms_path P = varPath(VD, VD->hasLocalStorage());
    if (P.base == MS_BASE_LOCAL && !P.owned)
      P.owned = Builder.ownedAt(FD, VD, DRE); // before it is published
    return P;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FDecl = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FDecl)
      return ms_path_unknown();
    ms_path Base = ME->isArrow() ? pointee(ME->getBase(), Depth + 1)
                                 : object(ME->getBase(), Depth + 1);
    ms_path P = withField(Base, FDecl);
    // What a pointer field of an owned variable points to is not the
    // call's own (`ctx->srv->sessions`: the server's).
    if (ME->isArrow() && Base.depth > 0)
      P.owned = 0;
    // The map of a typed wrapper: named as the user wrote it, the same
    // object all the same.
    if (!ME->isArrow() && macroMember(FDecl))
      if (std::string Shown = userName(ME->getBase(), Ctx); !Shown.empty())
        P.field_display = str(Shown);
    return P;
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E))
    return pointee(AS->getBase(), Depth + 1); // all elements together
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    if (UO->getOpcode() == UO_Deref)
      return pointee(UO->getSubExpr(), Depth + 1);
  return ms_path_unknown();
}

/// What a local pointer variable points to, over all its assignments.
const FactBuilder::FunctionAnalysis::AliasInfo &
FactBuilder::FunctionAnalysis::aliasInfo(const VarDecl *VD, unsigned Depth) {
  static const AliasInfo Unknown{ms_path_unknown(), ms_path_unknown(), nullptr, nullptr};
  auto Memo = AliasMemo.find(VD);
  if (Memo != AliasMemo.end())
    return Memo->second;
  if (Body.AddressTaken.count(VD) || AliasBusy.count(VD))
    return Unknown;
  AliasBusy.insert(VD);
  AliasInfo Info{ms_path_unknown(), ms_path_unknown(), nullptr, nullptr};
  const Expr *Assigned = nullptr; // the one assignment of a shared place's value
  bool Any = false, Fresh = false, Conflict = false;
  auto It = Body.Assigns.find(VD);
  if (It != Body.Assigns.end())
    for (const Assignment &A : It->second) {
      if (A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        continue;
      if (isFresh(A.Value)) {
        Conflict |= Any && !Fresh;
        Fresh = Any = true;
        continue;
      }
      ms_path P = pointee(A.Value, Depth + 1);
      if (!Any) {
        Info.Path = P;
        Assigned = A.Value;
      }
      else if (Fresh || !samePath(Info.Path, P))
        Conflict = true;
      Any = true;
    }
  if (Conflict || !Any) {
    Info.Path = ms_path_unknown();
  } else if (Fresh) {
    // A fresh object is named by the variable until the function stores it
    // in one global or field, which names it from then on (a map built
    // privately, then handed over, stays private up to the hand-over).
    Info.Path = varPath(VD, true);
    auto Esc = Body.Escapes.find(VD);
    if (Esc != Body.Escapes.end() && Esc->second.size() == 1) {
      ms_path Target = object(Esc->second.front(), Depth + 1);
      if (Target.base == MS_BASE_GLOBAL || Target.depth) {
        Info.Escaped = Target;
        Info.Store = Esc->second.front();
      }
    }
  }
  if (!Conflict && !Fresh && Assigned && (Info.Path.base == MS_BASE_GLOBAL || Info.Path.depth)) {
    // Copy-on-write: `old = shared; shared = fresh;`.  After the store,
    // nobody can newly reach what `old` holds: it is this call's own.
    const SourceManager &SM = Ctx.getSourceManager();
    for (const BinaryOperator *BO : Body.Stores)
      if (const Expr *L = BO->getLHS()->IgnoreParenCasts();
          SM.isBeforeInTranslationUnit(Assigned->getBeginLoc(), L->getBeginLoc()) &&
          (!Info.Swap || SM.isBeforeInTranslationUnit(L->getBeginLoc(), Info.Swap->getBeginLoc())) &&
          samePath(object(L, Depth + 1), Info.Path))
        Info.Swap = L;
  }
  AliasBusy.erase(VD);
  return AliasMemo[VD] = Info;
}

/// What a local pointer variable points to where Use reads it.
ms_path FactBuilder::FunctionAnalysis::alias(const VarDecl *VD, unsigned Depth, const Expr *Use) {
  const AliasInfo &Info = aliasInfo(VD, Depth);
  const SourceManager &SM = Ctx.getSourceManager();
  if (Info.Store && Use && SM.isBeforeInTranslationUnit(Info.Store->getBeginLoc(), Use->getBeginLoc()))
    return Info.Escaped;
  if (Info.Swap && Use && SM.isBeforeInTranslationUnit(Info.Swap->getBeginLoc(), Use->getBeginLoc()))
    return varPath(VD, true);
  ms_path P = Info.Path;
  // A fresh struct this call fills before it publishes it: its own so far.
  if (P.base == MS_BASE_LOCAL && P.depth == 0 && !P.owned && Use && P.name == varPath(VD, true).name)
    P.owned = Builder.ownedAt(FD, VD, Use);
  return P;
}

/// Where the result of a call ends up: the variable or lvalue assigned.
ms_path FactBuilder::FunctionAnalysis::resultPath(const CallExpr *CE) {
  auto I = Body.InitOf.find(CE);
  if (I != Body.InitOf.end())
    return alias(I->second, 0);
  auto A = Body.AssignedTo.find(CE);
  if (A != Body.AssignedTo.end()) {
    if (const VarDecl *VD = localVar(A->second))
      return alias(VD, 0);
    return object(A->second);
  }
  return ms_path_unknown();
}

/// The handle a spawn returns: the variable or lvalue it is stored in.
ms_path FactBuilder::FunctionAnalysis::returnedHandle(const CallExpr *CE) {
  auto I = Body.InitOf.find(CE);
  if (I != Body.InitOf.end())
    return varPath(I->second, true);
  auto A = Body.AssignedTo.find(CE);
  return A != Body.AssignedTo.end() ? object(A->second) : ms_path_unknown();
}

/// Where a thread handle is stored.  A spawn is given a pointer to that
/// place (`&t[i]`, `&w->thread`, `h`); a join is given the handle itself
/// (`t[i]`, `w->thread`, `*h`, a GThread* variable).
ms_path FactBuilder::FunctionAnalysis::handlePath(const Expr *E, bool PointerToHandle) {
  return PointerToHandle ? pointee(E) : object(E);
}

bool FactBuilder::FunctionAnalysis::loopWithin(const Stmt *Inner, const Stmt *Outer) const {
  for (const Stmt *L = Inner; L; L = Body.LoopParent.lookup(L))
    if (L == Outer)
      return true;
  return Inner == Outer;
}

/// Whether each execution of Site gets an object of its own through E.
bool FactBuilder::FunctionAnalysis::freshPerInstance(const Expr *E, const CallExpr *Site) {
  const Stmt *SiteLoop = Body.CallLoop.lookup(Site);
  const Expr *S = strip(E);
  if (!S)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    return isFresh(CE) && loopWithin(Body.CallLoop.lookup(CE), SiteLoop);
  if (const VarDecl *VD = localVar(S)) {
    if (Body.AddressTaken.count(VD))
      return false;
    auto It = Body.Assigns.find(VD);
    if (It == Body.Assigns.end())
      return false;
    bool AllFresh = false;
    for (const Assignment &A : It->second) {
      if (A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
        continue;
      if (!isFresh(A.Value) || !loopWithin(A.Loop, SiteLoop))
        return false;
      AllFresh = true;
    }
    return AllFresh;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    if (UO->getOpcode() != UO_AddrOf)
      return false;
    const Expr *Sub = UO->getSubExpr()->IgnoreParenCasts();
    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Sub)) {
      // &args[i] in a loop: a different element each time.
      Expr::EvalResult Res;
      return SiteLoop && !AS->getIdx()->EvaluateAsInt(Res, Ctx);
    }
    if (const VarDecl *VD = localVar(Sub))
      return SiteLoop && loopWithin(Body.VarLoop.lookup(VD), SiteLoop) && Body.VarLoop.lookup(VD);
  }
  return false;
}

/// An argument as the engine sees it; Fields receives what the pointed-to
/// struct is known to hold (spawn arguments only).
ms_value FactBuilder::FunctionAnalysis::value(const Expr *E, const CallExpr *Site, bool Spawn,
                                              std::vector<ms_field_value> &Fields) {
  ms_value V;
  V.path = pointee(E);
  // A pool runs many threads from one spawn: nothing it is given is fresh
  // for each of them.
  const Rule *SiteRule = Spawn ? Body.Rules.lookup(Site) : nullptr;
  bool Pool = SiteRule && SiteRule->spawn && spawnsMany(Site, *SiteRule->spawn);
  V.per_instance = Spawn && !Pool && freshPerInstance(E, Site);
  // Handed over whole to each instance: the fields of what it is given are
  // that instance's own, as an owned variable's are its call's.
  if (V.per_instance && V.path.base == MS_BASE_LOCAL && V.path.depth == 0)
    if (const VarDecl *VD = localVar(strip(E)))
      V.path.owned = Builder.handedOverAt(FD, VD, E);
  V.null = 0;
  V.fields = nullptr;
  V.field_count = 0;
  if (!Spawn)
    return V;
  // The struct behind the argument: `c` (a local pointer), `&c`, `&args[i]`.
  const Expr *S = strip(E);
  const VarDecl *Base = nullptr;
  if (const auto *UO = S ? dyn_cast<UnaryOperator>(S) : nullptr) {
    if (UO->getOpcode() == UO_AddrOf)
      Base = baseVar(UO->getSubExpr());
  } else if (S) {
    Base = localVar(S);
  }
  auto It = Base ? Body.FieldStores.find(Base) : Body.FieldStores.end();
  if (It == Body.FieldStores.end())
    return V;
  // One value per field; a field stored twice with different objects is left out.
  llvm::SmallVector<std::pair<ms_field_value, bool>, 4> Seen;
  for (const Assignment &A : It->second) {
    const FieldDecl *Fld = nullptr;
    if (A.Target) {
      if (const auto *ME = dyn_cast<MemberExpr>(A.Target))
        Fld = dyn_cast<FieldDecl>(ME->getMemberDecl());
    } else if (const RecordDecl *RD = Base->getType()->getAsRecordDecl()) {
      // Initialiser list: find the field by position.
      const auto *ILE = dyn_cast<InitListExpr>(Base->getInit()->IgnoreParenImpCasts());
      unsigned I = 0;
      for (const FieldDecl *Cand : RD->fields()) {
        if (ILE && I < ILE->getNumInits() && ILE->getInit(I) == A.Value)
          Fld = Cand;
        ++I;
      }
    }
    if (!Fld || A.Value->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
      continue;
    ms_field_value FV;
    FV.field = str(Fld->getName());
    // What is stored: a fresh object, or a local holding one stored here,
    // is named by the field itself.
    const VarDecl *Src = localVar(A.Value);
    bool StoresFresh = isFresh(A.Value) || (Src && A.Target && aliasInfo(Src, 0).Store == A.Target);
    FV.value = StoresFresh && A.Target ? object(A.Target) : pointee(A.Value);
    FV.per_instance = !Pool && (isFresh(A.Value) ? loopWithin(A.Loop, Body.CallLoop.lookup(Site))
                                                 : freshPerInstance(A.Value, Site));
    bool Merged = false;
    for (auto &P : Seen)
      if (P.first.field == FV.field) {
        if (!samePath(P.first.value, FV.value))
          P.second = false;
        Merged = true;
      }
    if (!Merged)
      Seen.push_back({FV, true});
  }
  for (auto &P : Seen)
    if (P.second)
      Fields.push_back(P.first);
  V.fields = Fields.data();
  V.field_count = static_cast<uint32_t>(Fields.size());
  return V;
}

/// T without the typeof sugar a macro wraps it in (`__typeof__((h).__key)`,
/// also beneath pointers): the type it names, as the user wrote that one
/// (`str *`, typedefs kept).
static QualType withoutTypeof(QualType T, const ASTContext &Ctx, unsigned Depth = 0) {
  if (T.isNull() || Depth > 8)
    return T;
  Qualifiers Q = T.getLocalQualifiers();
  const Type *Ty = T.getTypePtr();
  if (const auto *TE = dyn_cast<TypeOfExprType>(Ty)) {
    QualType Named = TE->getUnderlyingExpr()->getType();
    if (TE->getKind() == TypeOfKind::Unqualified)
      Named = Named.getUnqualifiedType();
    return withoutTypeof(Ctx.getQualifiedType(Named, Q), Ctx, Depth + 1);
  }
  if (const auto *TT = dyn_cast<TypeOfType>(Ty)) {
    QualType Named = TT->getUnmodifiedType();
    if (TT->getKind() == TypeOfKind::Unqualified)
      Named = Named.getUnqualifiedType();
    return withoutTypeof(Ctx.getQualifiedType(Named, Q), Ctx, Depth + 1);
  }
  if (const auto *PT = dyn_cast<PointerType>(Ty)) {
    QualType Pointee = withoutTypeof(PT->getPointeeType(), Ctx, Depth + 1);
    if (Pointee != PT->getPointeeType())
      return Ctx.getQualifiedType(Ctx.getPointerType(Pointee), Q);
  }
  return T;
}

/// The type of a key or value argument, before its cast to a generic pointer.
ms_id FactBuilder::FunctionAnalysis::typeName(const Expr *E) {
  if (!E || E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull))
    return MS_NONE;
  const Expr *S = E->IgnoreParenCasts();
  QualType T = S->getType();
  if (T.isNull() || T->isVoidPointerType() || T->isDependentType())
    return MS_NONE;
  if (isa<CallExpr>(S) || T->isIntegerType() || T->isPointerType() || T->isRealFloatingType()) {
    PrintingPolicy PP(Ctx.getLangOpts());
    std::string Name = withoutTypeof(T, Ctx).getUnqualifiedType().getAsString(PP);
    return str(Name);
  }
  return MS_NONE;
}

} // namespace mapsafe
