//===--- TUAnalysis.cpp - one analysis per translation unit, shared -------===//
#include "checks/TUAnalysis.h"

#include "checks/OptionPaths.h"
#include "facts/FunctionAnalysis.h"

#include "mapsafe/explain.h"
#include "mapsafe/facts_json.h"
#include "mapsafe/report.h"
#include "rules/Rules.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <mutex>

namespace mapsafe {

namespace {
// The checks of one translation unit find their shared analysis here, by
// the translation unit's source manager.  An entry lives as long as a check
// of that translation unit (or its preprocessor) holds it; clangd analyses
// several files at once, hence the lock.
std::mutex CacheLock;
llvm::DenseMap<const clang::SourceManager *, std::weak_ptr<TUAnalysis>> &cache() {
  static llvm::DenseMap<const clang::SourceManager *, std::weak_ptr<TUAnalysis>> C;
  return C;
}

/// The entry for SM, made with Make when there is none.
template <typename MakeFn>
std::shared_ptr<TUAnalysis> cached(const clang::SourceManager *SM, MakeFn Make) {
  std::lock_guard<std::mutex> Guard(CacheLock);
  auto &C = cache();
  auto It = C.find(SM);
  if (It != C.end())
    if (std::shared_ptr<TUAnalysis> A = It->second.lock())
      return A;
  // Drop entries of translation units that are gone.
  for (auto I = C.begin(), E = C.end(); I != E;) {
    auto Cur = I++;
    if (Cur->second.expired())
      C.erase(Cur);
  }
  std::shared_ptr<TUAnalysis> A = Make();
  C[SM] = A;
  return A;
}

/// The real path of the translation unit's main file, or "".
llvm::StringRef mainFile(const clang::SourceManager &SM) {
  const clang::FileEntry *Main = SM.getFileEntryForID(SM.getMainFileID());
  return Main ? Main->tryGetRealPathName() : "";
}

/// Where the relative paths of RulesFiles, GraphDir and FactsDir start
/// (OptionPaths.h); the output directories also name the outputs after the
/// source's path from there, so they count even when absolute.  Empty when
/// no option needs it.
std::string baseDir(const SharedOptions &Opts, llvm::StringRef MainFile) {
  llvm::SmallVector<OptionSetting, 3> Set;
  auto Note = [&](llvm::StringRef Name, llvm::StringRef Value, bool Output) {
    std::string List = Value.str();
    std::replace(List.begin(), List.end(), ',', ';');
    llvm::SmallVector<llvm::StringRef, 4> Paths;
    llvm::StringRef(List).split(Paths, ';');
    if (llvm::any_of(Paths, [&](llvm::StringRef P) {
          return !P.trim().empty() && (Output || !llvm::sys::path::is_absolute(P.trim()));
        }))
      Set.push_back({Name, Value});
  };
  Note("RulesFiles", Opts.RulesFiles, false);
  Note("GraphDir", Opts.GraphDir, true);
  Note("FactsDir", Opts.FactsDir, true);
  return Set.empty() ? std::string() : optionBaseDir(MainFile, Set);
}

/// The name of a translation unit's output files, before their suffix:
/// the source's path from Base when the source lies below it (`src/util.c`),
/// else its file name and a stable hash of its path (`util.c-9a3c01f2`), so
/// that two sources never share a name.
std::string outputName(llvm::StringRef Source, llvm::StringRef Base) {
  if (Source.empty())
    return "input.c";
  llvm::SmallString<256> Path(Source);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  llvm::SmallString<256> Root(Base);
  llvm::sys::path::remove_dots(Root, /*remove_dot_dot=*/true);
  if (!Root.empty()) {
    // The components of Path after those of Root, when Root's are a prefix.
    auto R = llvm::sys::path::begin(Root), RE = llvm::sys::path::end(Root);
    auto P = llvm::sys::path::begin(Path), PE = llvm::sys::path::end(Path);
    for (; R != RE && P != PE && *R == *P; ++R, ++P) {
    }
    if (R == RE && P != PE) {
      llvm::SmallString<256> Rel;
      for (; P != PE; ++P)
        llvm::sys::path::append(Rel, *P);
      return std::string(Rel);
    }
  }
  uint32_t Hash = 2166136261u; // FNV-1a
  for (unsigned char C : Path.str())
    Hash = (Hash ^ C) * 16777619u;
  char Hex[9];
  std::snprintf(Hex, sizeof Hex, "%08x", Hash);
  return (llvm::sys::path::filename(Path) + "-" + Hex).str();
}

bool writeFile(const std::string &Path, const char *Text, std::vector<std::string> &Errors) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_Text);
  if (EC) {
    Errors.push_back("cannot write '" + Path + "': " + EC.message());
    return false;
  }
  OS << Text;
  if (!llvm::StringRef(Text).ends_with("\n"))
    OS << '\n';
  return true;
}
} // namespace

std::shared_ptr<TUAnalysis> TUAnalysis::prepare(const clang::SourceManager &SM,
                                                clang::Preprocessor &PP,
                                                const SharedOptions &Opts) {
  bool Made = false;
  std::shared_ptr<TUAnalysis> A = cached(&SM, [&] {
    Made = true;
    return std::make_shared<TUAnalysis>(Opts, mainFile(SM));
  });
  if (Made) {
    // Where the compiler reports errors, to know which findings they touch.
    A->CompileErrors = std::make_shared<ErrorLog>();
    watchErrors(PP.getDiagnostics(), A->CompileErrors);
  }
  if (Made && A->Active && A->Active->hasMacros()) {
    A->Macros = std::make_unique<MacroUses>(*A->Active, SM);
    // The callbacks hold the analysis alive as long as the preprocessor may call.
    PP.addPPCallbacks(A->Macros->callbacks(A));
  }
  return A;
}

std::shared_ptr<TUAnalysis> TUAnalysis::get(clang::ASTContext &Ctx, const SharedOptions &Opts) {
  std::shared_ptr<TUAnalysis> A =
      cached(&Ctx.getSourceManager(),
             [&] { return std::make_shared<TUAnalysis>(Opts, mainFile(Ctx.getSourceManager())); });
  std::call_once(A->Analysed, [&] { A->analyse(Ctx, Opts); });
  return A;
}

/// The engine's options from the check options; false (with an error)
/// when one is malformed.  Declared guards point into Words.
bool TUAnalysis::analysisOptions(const SharedOptions &Opts, ms_options &Out,
                                 std::vector<ms_declared_guard> &Declared,
                                 std::vector<std::string> &Words) {
  std::memset(&Out, 0, sizeof Out);
  llvm::StringRef Sites = llvm::StringRef(Opts.MinGuardedSites).trim();
  unsigned N = 0;
  if (!Sites.empty() && (Sites.getAsInteger(10, N) || N == 0 || N > 1000)) {
    Errors.push_back("option MinGuardedSites: '" + Sites.str() + "' is not a number from 1 to 1000");
    return false;
  }
  Out.min_guarded_sites = N;
  llvm::StringRef Ratio = llvm::StringRef(Opts.MinGuardedRatio).trim();
  double R = 0;
  if (!Ratio.empty() && (Ratio.getAsDouble(R) || R < 0 || R > 1)) {
    Errors.push_back("option MinGuardedRatio: '" + Ratio.str() + "' is not a number from 0 to 1");
    return false;
  }
  if (!Ratio.empty())
    Out.min_guarded_permille = R * 1000 < 1 ? 1 : static_cast<uint32_t>(R * 1000 + 0.5);
  llvm::StringRef Ext = llvm::StringRef(Opts.ConcurrentExternalFunctions).trim();
  if (!Ext.empty()) {
    std::optional<bool> B = llvm::StringSwitch<std::optional<bool>>(Ext.lower())
                                .Cases({"true", "1", "yes", "on"}, true)
                                .Cases({"false", "0", "no", "off"}, false)
                                .Default(std::nullopt);
    if (!B) {
      Errors.push_back("option ConcurrentExternalFunctions: '" + Ext.str() + "' is not true or false");
      return false;
    }
    Out.sequential_external = !*B;
  }
  std::string List = Opts.Guards;
  std::replace(List.begin(), List.end(), ',', ';');
  llvm::SmallVector<llvm::StringRef, 4> Pairs;
  llvm::StringRef(List).split(Pairs, ';', -1, false);
  for (llvm::StringRef P : Pairs) {
    auto [Map, Lock] = P.split('=');
    Map = Map.trim();
    Lock = Lock.trim();
    if (Map.empty() || Lock.empty()) {
      Errors.push_back("option Guards: '" + P.trim().str() +
                       "' is not MAP=LOCK (for example 'struct server.sessions=struct server.lock')");
      return false;
    }
    Words.push_back(Map.str());
    Words.push_back(Lock.str());
  }
  // And the guards the code declares (guarded_by, pt_guarded_by).
  for (const auto &[Map, Lock] : Builder->declaredGuards()) {
    Words.push_back(Map);
    Words.push_back(Lock);
  }
  for (size_t I = 0; I + 1 < Words.size(); I += 2)
    Declared.push_back({Words[I].c_str(), Words[I + 1].c_str()});
  Out.declared_guards = Declared.data();
  Out.declared_guard_count = static_cast<uint32_t>(Declared.size());
  return true;
}

TUAnalysis::TUAnalysis(const SharedOptions &Opts, llvm::StringRef MainFile)
    : BaseDir(baseDir(Opts, MainFile)) {
  if (!Rules::builtinError().empty()) {
    Errors.push_back(Rules::builtinError());
    return;
  }
  Active = &Rules::builtin();
  if (Opts.RulesFiles.empty())
    return;
  // A rule file with a mistake adds nothing; the others still count.
  UserRules = std::make_unique<Rules>(Rules::builtin());
  std::string List = Opts.RulesFiles;
  std::replace(List.begin(), List.end(), ',', ';');
  llvm::SmallVector<llvm::StringRef, 4> Paths;
  llvm::StringRef(List).split(Paths, ';', -1, false);
  for (llvm::StringRef P : Paths) {
    std::string Error;
    if (!UserRules->loadFile(resolvePath(P.trim(), BaseDir), Error))
      Errors.push_back(Error);
  }
  Active = UserRules.get();
}

void TUAnalysis::analyse(clang::ASTContext &Ctx, const SharedOptions &Opts) {
  SM = &Ctx.getSourceManager();
  if (!Active)
    return;
  // Broken code: the functions the errors touch are analysed as unknown,
  // and no finding that involves them or their callers is told.
  if (Ctx.getDiagnostics().hasUncompilableErrorOccurred()) {
    ErrorLog Unknown;
    Unknown.Unplaced = true; // not watched: where the errors are is unknown
    Broken = brokenFunctions(Ctx, CompileErrors ? *CompileErrors : Unknown);
  }
  Facts = ms_facts_new();
  if (!Facts) {
    Errors.push_back("out of memory");
    return;
  }
  if (std::string Error; !Concurrency.parse(Opts.ConcurrentFunctions, Error)) {
    Errors.push_back("option ConcurrentFunctions: " + Error);
    return;
  }
  // The rules' callback tables: every field of theirs.
  for (const std::string &Record : Active->callbackTables())
    Concurrency.Fields.emplace_back(Record, "*");
  Builder = std::make_unique<FactBuilder>(Ctx, *Active, Facts, !Opts.FactsDir.empty(),
                                          &Concurrency, Macros.get(),
                                          Broken.Broken.empty() ? nullptr : &Broken.Broken);
  if (!Builder->run()) {
    Errors.push_back("out of memory while building the facts; this file is not analysed");
    return;
  }
  ms_options Options;
  std::vector<ms_declared_guard> Declared;
  std::vector<std::string> GuardWords;
  if (!analysisOptions(Opts, Options, Declared, GuardWords))
    return;
  ms_error Err{};
  Result = ms_analyze(Facts, &Options, &Err);
  if (!Result)
    Errors.push_back(std::string("analysis failed: ") + Err.message);
  if (Result && Broken.any()) {
    bool Any = false;
    for (uint32_t I = 0, N = ms_finding_count(Result); I < N; ++I)
      Any |= Withheld.emplace_back(involvesBroken(*ms_finding_at(Result, I)));
    Paused = Any || touchesMaps();
  }
  // A graph or fact set with holes where the errors are would mislead.
  if (!Broken.any())
    writeOutputs(Ctx, Opts);
}

/// Whether the file has map operations mapsafe could check, in the
/// functions analysed or in those its errors kept out.
bool TUAnalysis::touchesMaps() const {
  if (Facts->accesses.count)
    return true;
  for (const clang::FunctionDecl *FD : Broken.Broken) {
    const clang::FunctionDecl *Def = FD->getDefinition();
    const clang::Stmt *Body = Def ? Def->getBody() : nullptr;
    if (!Body)
      continue;
    if (Macros && Macros->anyWithin(Body->getBeginLoc(), Body->getEndLoc()))
      return true;
    bool Found = false;
    facts::scanCalls(Body, [&](const clang::CallExpr *CE) {
      const clang::FunctionDecl *Callee = CE->getDirectCallee();
      if (Callee && Callee->getIdentifier())
        if (const Rule *R = Active->lookup(Callee->getName()); R && R->mapOp)
          Found = true;
    });
    if (Found)
      return true;
  }
  return false;
}

bool TUAnalysis::involvesBroken(const ms_finding &F) const {
  // Guard inference weighs every function that touches the map.
  if (Broken.WholeFile || F.check == MS_CHECK_INCONSISTENT_LOCKING)
    return true;
  if (Broken.suspect(*SM, location(ms_finding_loc(Result, &F))))
    return true;
  ms_explanation E;
  if (ms_explain(Result, &F, &E))
    return true;
  bool Suspect = false;
  for (uint32_t I = 0; I < E.count && !Suspect; ++I)
    Suspect = Broken.suspect(*SM, location(E.steps[I].loc));
  ms_explanation_free(&E);
  return Suspect;
}

TUAnalysis::~TUAnalysis() {
  ms_result_free(Result);
  ms_facts_free(Facts);
}

void TUAnalysis::writeOutputs(clang::ASTContext &Ctx, const SharedOptions &Opts) {
  if (Opts.GraphDir.empty() && Opts.FactsDir.empty())
    return;
  const clang::SourceManager &SM = Ctx.getSourceManager();
  std::string Base = outputName(mainFile(SM), BaseDir);
  auto Out = [&](const std::string &Dir, const char *Suffix, char *Text) {
    if (!Text) {
      Errors.push_back("out of memory writing " + Base + Suffix);
      return;
    }
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Base + Suffix);
    llvm::StringRef Parent = llvm::sys::path::parent_path(Path);
    if (std::error_code EC = llvm::sys::fs::create_directories(Parent))
      Errors.push_back("cannot create '" + Parent.str() + "': " + EC.message());
    else
      writeFile(std::string(Path), Text, Errors);
    std::free(Text);
  };
  if (!Opts.FactsDir.empty())
    Out(resolvePath(Opts.FactsDir, BaseDir), ".facts.json", ms_facts_to_json(Facts));
  if (!Opts.GraphDir.empty() && Result) {
    std::string Dir = resolvePath(Opts.GraphDir, BaseDir);
    Out(Dir, ".mapsafe.json", ms_graph_json(Result));
    Out(Dir, ".mapsafe.dot", ms_graph_dot(Result));
  }
}

} // namespace mapsafe
