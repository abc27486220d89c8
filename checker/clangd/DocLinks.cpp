//===--- DocLinks.cpp - mapsafe's own documentation links in clangd's output //
//
// See DocLinks.h.  The forwarder never holds back a message longer than it
// takes to arrive whole: each complete LSP message is written out at once,
// byte for byte unless it is a publishDiagnostics notification with a
// mapsafe diagnostic (then re-serialized, with its Content-Length fixed).
// Anything that is not LSP framing (no Content-Length, an oversized header)
// switches the forwarder to copying raw bytes for good; a write error makes
// it discard what follows, still reading, so that clangd never blocks.
//
//===----------------------------------------------------------------------===//
#include "DocLinks.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace mapsafe {

namespace {

constexpr llvm::StringLiteral CheckPrefix = "mapsafe-";

/// The value of the Content-Length header, if the header block has exactly
/// one valid one.
std::optional<size_t> contentLength(llvm::StringRef Header) {
  std::optional<size_t> Length;
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Header.split(Lines, "\r\n");
  for (llvm::StringRef Line : Lines) {
    auto [Name, Value] = Line.split(':');
    if (!Name.trim().equals_insensitive("content-length"))
      continue;
    size_t N;
    if (Length || Value.trim().getAsInteger(10, N))
      return std::nullopt;
    Length = N;
  }
  return Length;
}

/// The header block with its Content-Length set to Length, other headers kept.
std::string withContentLength(llvm::StringRef Header, size_t Length) {
  std::string Out;
  llvm::SmallVector<llvm::StringRef, 4> Lines;
  Header.split(Lines, "\r\n");
  for (llvm::StringRef Line : Lines) {
    if (Line.split(':').first.trim().equals_insensitive("content-length"))
      Out += "Content-Length: " + std::to_string(Length);
    else
      Out += Line.str();
    Out += "\r\n";
  }
  return Out + "\r\n";
}

class Forwarder {
public:
  Forwarder(int In, int Out, std::string DocsURL)
      : In(In), Out(Out), DocsURL(std::move(DocsURL)) {}

  void run() {
    static char Chunk[1 << 16];
    for (;;) {
      ssize_t N = ::read(In, Chunk, sizeof Chunk);
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0)
        break;
      if (Raw) {
        writeAll(llvm::StringRef(Chunk, N));
        continue;
      }
      Buffer.append(Chunk, N);
      forwardComplete();
    }
    // The end: whatever is left (an incomplete message) goes out as it is.
    writeAll(Buffer);
    ::close(In);
  }

private:
  static constexpr size_t MaxHeader = 4096;

  void forwardComplete() {
    size_t Pos = 0;
    while (!Raw) {
      llvm::StringRef Rest = llvm::StringRef(Buffer).substr(Pos);
      size_t HeaderEnd = Rest.find("\r\n\r\n");
      if (HeaderEnd == llvm::StringRef::npos) {
        Raw = Rest.size() > MaxHeader;
        break;
      }
      std::optional<size_t> Length = contentLength(Rest.take_front(HeaderEnd));
      if (!Length || HeaderEnd > MaxHeader) {
        Raw = true;
        break;
      }
      size_t BodyStart = HeaderEnd + 4;
      if (Rest.size() - BodyStart < *Length)
        break; // the rest of the body is still on its way
      llvm::StringRef Body = Rest.substr(BodyStart, *Length);
      if (std::optional<std::string> New = rewriteDocLinks(Body, DocsURL))
        writeAll(withContentLength(Rest.take_front(HeaderEnd), New->size()) + *New);
      else
        writeAll(Rest.take_front(BodyStart + *Length));
      Pos += BodyStart + *Length;
    }
    if (Raw) {
      writeAll(llvm::StringRef(Buffer).substr(Pos));
      Buffer.clear();
      return;
    }
    Buffer.erase(0, Pos);
  }

  void writeAll(llvm::StringRef Data) {
    while (!WriteFailed && !Data.empty()) {
      ssize_t N = ::write(Out, Data.data(), Data.size());
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0) {
        WriteFailed = true;
        break;
      }
      Data = Data.drop_front(N);
    }
  }

  int In, Out;
  std::string DocsURL;
  std::string Buffer;
  bool Raw = false;
  bool WriteFailed = false;
};

struct ForwarderState {
  std::mutex M;
  std::condition_variable Done;
  bool Finished = false;
  std::thread Thread;
};

ForwarderState *State = nullptr;

} // namespace

std::optional<std::string> rewriteDocLinks(llvm::StringRef Body, llvm::StringRef DocsURL) {
  // Cheap first: most messages are not diagnostics of ours.
  if (!Body.contains("textDocument/publishDiagnostics") || !Body.contains("\"mapsafe-"))
    return std::nullopt;
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(Body);
  if (!V) {
    llvm::consumeError(V.takeError());
    return std::nullopt;
  }
  llvm::json::Object *Msg = V->getAsObject();
  if (!Msg || Msg->getString("method") != "textDocument/publishDiagnostics")
    return std::nullopt;
  llvm::json::Object *Params = Msg->getObject("params");
  llvm::json::Array *Diags = Params ? Params->getArray("diagnostics") : nullptr;
  if (!Diags)
    return std::nullopt;
  llvm::StringRef Base = DocsURL;
  while (Base.consume_back("/"))
    ;
  bool Changed = false;
  for (llvm::json::Value &D : *Diags) {
    llvm::json::Object *Diag = D.getAsObject();
    std::optional<llvm::StringRef> Code = Diag ? Diag->getString("code") : std::nullopt;
    if (!Code || !Code->starts_with(CheckPrefix) || Code->size() == CheckPrefix.size())
      continue;
    llvm::json::Object *Desc = Diag->getObject("codeDescription");
    if (!Desc || !Desc->getString("href"))
      continue;
    (*Desc)["href"] = (Base + "/checks/" + Code->drop_front(CheckPrefix.size()) + ".md").str();
    Changed = true;
  }
  if (!Changed)
    return std::nullopt;
  // As clangd wrote it: pretty-printed (--pretty) or on one line.
  if (Body.contains('\n'))
    return llvm::formatv("{0:2}", *V).str();
  return llvm::formatv("{0}", *V).str();
}

bool startDocLinkForwarder(llvm::StringRef DocsURL) {
  if (State)
    return true;
  int Pipe[2];
  if (::pipe(Pipe) != 0)
    return false;
  int RealOut = ::dup(STDOUT_FILENO);
  if (RealOut < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    return false;
  }
  // Neither end of the pipe, nor the real output, for processes clangd starts.
  ::fcntl(Pipe[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(RealOut, F_SETFD, FD_CLOEXEC);
  std::fflush(stdout);
  if (::dup2(Pipe[1], STDOUT_FILENO) < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    ::close(RealOut);
    return false;
  }
  ::close(Pipe[1]);
  State = new ForwarderState;
  State->Thread = std::thread([In = Pipe[0], RealOut, URL = DocsURL.str()] {
    Forwarder(In, RealOut, URL).run();
    std::lock_guard<std::mutex> Lock(State->M);
    State->Finished = true;
    State->Done.notify_all();
  });
  return true;
}

void stopDocLinkForwarder() {
  if (!State)
    return;
  llvm::outs().flush();
  std::fflush(stdout);
  // The pipe's only write end is our standard output: closing it ends the
  // forwarder once it has read everything.
  int Null = ::open("/dev/null", O_WRONLY);
  if (Null >= 0) {
    ::dup2(Null, STDOUT_FILENO);
    ::close(Null);
  } else {
    ::close(STDOUT_FILENO);
  }
  std::unique_lock<std::mutex> Lock(State->M);
  // A process clangd started may still hold the pipe: do not wait for it.
  if (State->Done.wait_for(Lock, std::chrono::seconds(5), [] { return State->Finished; })) {
    Lock.unlock();
    State->Thread.join();
  } else {
    Lock.unlock();
    State->Thread.detach();
  }
}

} // namespace mapsafe
