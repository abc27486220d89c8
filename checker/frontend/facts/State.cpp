//===--- State.cpp - the program state of the dataflow --------------------===//
//
// The locks held form a must-set: an entry survives a join of paths only
// when both paths have it, and then it lists the calls of both that may
// have released it.  The threads running form a may-set: an entry from
// either path survives, and lists only the calls that may have joined it
// on both.  Both lists only grow, or only shrink, so the fixpoint settles.
//
//===----------------------------------------------------------------------===//
#include "facts/FunctionAnalysis.h"

#include "llvm/ADT/STLExtras.h"

namespace mapsafe {
namespace facts {

namespace {

/// Adds X to V unless it is there; returns whether it was added.
template <typename Vec, typename T> bool addOnce(Vec &V, const T &X) {
  if (llvm::is_contained(V, X))
    return false;
  V.push_back(X);
  return true;
}

bool addPathOnce(llvm::SmallVectorImpl<ms_path> &V, const ms_path &P) {
  if (llvm::any_of(V, [&](const ms_path &Q) { return samePath(Q, P); }))
    return false;
  V.push_back(P);
  return true;
}

/// Adds every element of From to Into; returns whether Into grew.
template <typename Vec> bool unite(Vec &Into, const Vec &From) {
  bool Changed = false;
  for (const auto &X : From)
    Changed |= addOnce(Into, X);
  return Changed;
}

bool unitePaths(llvm::SmallVectorImpl<ms_path> &Into, llvm::ArrayRef<ms_path> From) {
  bool Changed = false;
  for (const ms_path &P : From)
    Changed |= addPathOnce(Into, P);
  return Changed;
}

/// Keeps in Into only what From has too; returns whether Into shrank.
template <typename Vec> bool intersect(Vec &Into, const Vec &From) {
  size_t Before = Into.size();
  llvm::erase_if(Into, [&](const auto &X) { return !llvm::is_contained(From, X); });
  return Into.size() != Before;
}

bool intersectPaths(llvm::SmallVectorImpl<ms_path> &Into, llvm::ArrayRef<ms_path> From) {
  size_t Before = Into.size();
  llvm::erase_if(Into, [&](const ms_path &P) {
    return llvm::none_of(From, [&](const ms_path &Q) { return samePath(P, Q); });
  });
  return Into.size() != Before;
}

bool sameLock(const HeldLock &A, const HeldLock &B) {
  return A.Call == B.Call && (A.Call || samePath(A.Lock, B.Lock));
}

bool sameThread(const RunningThread &A, const RunningThread &B) {
  return A.Call == B.Call && A.Spawn == B.Spawn;
}

} // namespace

void State::acquire(const ms_path &Lock, ms_lock_mode Mode, ms_id At) {
  llvm::erase_if(Maybe, [&](const ms_path &P) { return samePath(P, Lock); });
  // The caller's lock, released on this path and taken again: the caller
  // holds it as before (a function that drops its caller's lock around a
  // callback).
  auto Back = llvm::find_if(Released, [&](const ReleasedLock &R) {
    return samePath(R.Lock, Lock) && R.UnlessAcquiredBy.empty();
  });
  if (Back != Released.end() && Mode == MS_LOCK_EXCLUSIVE) {
    Released.erase(Back);
    return;
  }
  // A lock we cannot name is still a lock: kept, the engine treats it as
  // excluding everything.
  for (HeldLock &H : Locks)
    if (!H.Call && samePath(H.Lock, Lock)) {
      H.Mode = Mode;
      H.ReleasedBy.clear(); // taken again: held whatever came before
      return;
    }
  HeldLock H;
  H.Lock = Lock;
  H.Mode = Mode;
  H.AcquiredAt = At;
  Locks.push_back(std::move(H));
}

void State::releaseCall(const clang::CallExpr *CE) {
  llvm::erase_if(Locks, [&](const HeldLock &H) { return H.Call == CE; });
}

void State::release(const ms_path &Lock) {
  llvm::erase_if(Maybe, [&](const ms_path &P) { return samePath(P, Lock); });
  llvm::SmallVector<const clang::CallExpr *, 2> CallsHolding;
  for (HeldLock &H : Locks) {
    if (H.Call) {
      addPathOnce(H.Released, Lock);
      CallsHolding.push_back(H.Call);
    }
  }
  size_t Before = Locks.size();
  llvm::erase_if(Locks, [&](const HeldLock &H) { return !H.Call && samePath(H.Lock, Lock); });
  if (Locks.size() != Before)
    return;
  // Not acquired here: the caller's lock, unless a call before took it.
  for (ReleasedLock &R : Released)
    if (samePath(R.Lock, Lock)) {
      for (const clang::CallExpr *C : CallsHolding)
        addOnce(R.UnlessAcquiredBy, C);
      return;
    }
  ReleasedLock R;
  R.Lock = Lock;
  R.UnlessAcquiredBy.assign(CallsHolding.begin(), CallsHolding.end());
  Released.push_back(std::move(R));
}

void State::call(const clang::CallExpr *CE, bool TouchesLocks, bool TouchesThreads) {
  if (TouchesLocks) {
    llvm::erase_if(Locks, [&](const HeldLock &H) { return H.Call == CE; });
    for (HeldLock &H : Locks)
      addOnce(H.ReleasedBy, CE);
    HeldLock H;
    H.Lock = ms_path_unknown();
    H.Call = CE;
    Locks.push_back(std::move(H));
  }
  if (TouchesThreads) {
    Elements.clear(); // the callee may store new threads in any array
    llvm::erase_if(Running, [&](const RunningThread &T) { return T.Call == CE; });
    for (RunningThread &T : Running)
      addOnce(T.JoinedBy, CE);
    RunningThread T;
    T.Call = CE;
    Running.push_back(std::move(T));
  }
}

void State::spawned(int Spawn, const ms_path &Handle) {
  // A thread stored in an element: the elements joined before do not count.
  llvm::erase_if(Elements, [&](const JoinedElements &J) { return samePath(J.Array, Handle); });
  for (RunningThread &T : Running)
    if (!T.Call && T.Spawn == Spawn) {
      T.JoinedBy.clear(); // a new instance, joined by nothing yet
      return;
    }
  RunningThread T;
  T.Spawn = Spawn;
  T.Handle = Handle;
  Running.push_back(std::move(T));
}

void State::spawnFailed(int Spawn) {
  llvm::erase_if(Running, [&](const RunningThread &T) { return !T.Call && T.Spawn == Spawn; });
}

void State::joined(const ms_path &Handle) {
  if (isUnknown(Handle))
    return;
  llvm::erase_if(Running, [&](const RunningThread &T) {
    return !T.Call && samePath(T.Handle, Handle);
  });
  for (RunningThread &T : Running)
    if (T.Call)
      addPathOnce(T.Joined, Handle);
}

bool State::joinedElement(const ms_path &Array, unsigned Index, unsigned Size) {
  if (isUnknown(Array) || Size == 0 || Size > 64 || Index >= Size)
    return false;
  JoinedElements *Mine = nullptr;
  for (JoinedElements &J : Elements)
    if (samePath(J.Array, Array))
      Mine = &J;
  if (!Mine) {
    Elements.push_back(JoinedElements{Array, 0});
    Mine = &Elements.back();
  }
  // Kept when complete: on a path that joined them all and one that joined
  // some, the rest joined later still completes the array.
  Mine->Indices |= uint64_t(1) << Index;
  uint64_t All = Size == 64 ? ~uint64_t(0) : (uint64_t(1) << Size) - 1;
  return Mine->Indices == All;
}

bool State::running(int Spawn) const {
  return llvm::any_of(Running, [&](const RunningThread &T) { return !T.Call && T.Spawn == Spawn; });
}

bool State::join(const State &O) {
  if (!O.Reachable)
    return false;
  if (!Reachable) {
    *this = O;
    return true;
  }
  bool Changed = false;
  if (Teardown && !O.Teardown) {
    Teardown = false;
    Changed = true;
  }
  // Own locks held on one side only are maybe-held.
  Changed |= unitePaths(Maybe, O.Maybe);
  for (const HeldLock &G : O.Locks)
    if (!G.Call && llvm::none_of(Locks, [&](const HeldLock &H) { return sameLock(H, G); }))
      Changed |= addPathOnce(Maybe, G.Lock);
  // Locks: a must-set.
  for (size_t I = 0; I < Locks.size();) {
    HeldLock &H = Locks[I];
    const HeldLock *Other = nullptr;
    for (const HeldLock &G : O.Locks)
      if (sameLock(H, G))
        Other = &G;
    if (!Other) {
      if (!H.Call)
        addPathOnce(Maybe, H.Lock);
      Locks.erase(Locks.begin() + I);
      Changed = true;
      continue;
    }
    if (Other->Mode == MS_LOCK_SHARED && H.Mode != MS_LOCK_SHARED) {
      H.Mode = MS_LOCK_SHARED;
      Changed = true;
    }
    Changed |= unite(H.ReleasedBy, Other->ReleasedBy);
    Changed |= unitePaths(H.Released, Other->Released);
    ++I;
  }
  // Locks released that were not acquired here: a may-set, which says of
  // each whether it was released on one side only.
  for (ReleasedLock &K : Released)
    if (!K.SomePaths && llvm::none_of(O.Released, [&](const ReleasedLock &R) {
          return samePath(K.Lock, R.Lock);
        })) {
      K.SomePaths = true;
      Changed = true;
    }
  for (const ReleasedLock &R : O.Released) {
    ReleasedLock *Mine = nullptr;
    for (ReleasedLock &K : Released)
      if (samePath(K.Lock, R.Lock))
        Mine = &K;
    if (!Mine) {
      Released.push_back(R);
      Released.back().SomePaths = true;
      Changed = true;
    } else {
      Changed |= unite(Mine->UnlessAcquiredBy, R.UnlessAcquiredBy);
      if (R.SomePaths && !Mine->SomePaths) {
        Mine->SomePaths = true;
        Changed = true;
      }
    }
  }
  // Elements joined: a must-set, index by index.
  for (size_t I = 0; I < Elements.size();) {
    JoinedElements &J = Elements[I];
    uint64_t Both = 0;
    for (const JoinedElements &K : O.Elements)
      if (samePath(J.Array, K.Array))
        Both = J.Indices & K.Indices;
    if (!Both) {
      Elements.erase(Elements.begin() + I);
      Changed = true;
      continue;
    }
    if (Both != J.Indices) {
      J.Indices = Both;
      Changed = true;
    }
    ++I;
  }
  // Threads: a may-set, whose "joined since" lists hold on every path.
  for (const RunningThread &T : O.Running) {
    RunningThread *Mine = nullptr;
    for (RunningThread &K : Running)
      if (sameThread(K, T))
        Mine = &K;
    if (!Mine) {
      Running.push_back(T);
      Changed = true;
    } else {
      Changed |= intersect(Mine->JoinedBy, T.JoinedBy);
      Changed |= intersectPaths(Mine->Joined, T.Joined);
    }
  }
  return Changed;
}

} // namespace facts
} // namespace mapsafe
