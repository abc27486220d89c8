// signal(sig, handler): the handler runs asynchronously, interrupting the
// thread that installed it at any point; mapsafe treats it as a thread
// started at the signal call and never joined.  The buggy twin forgets a
// child in the SIGCHLD handler while the main loop records children; the
// fixed twin only sets a flag in the handler and forgets the children in
// the main loop.
// The same with sigaction (the handler stored in sa.sa_handler, by an
// initialiser or an assignment).
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// RUN: %mapsafe_check %s -- %glib_cflags -DUSE_SIGACTION=1
// RUN: %mapsafe_check %s -- %glib_cflags -DUSE_SIGACTION=2
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DUSE_SIGACTION=1 -DFIXED

#include <glib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#if USE_SIGACTION == 1
#define INSTALL(sig, fn) \
  do { struct sigaction sa = {.sa_handler = fn}; sigaction(sig, &sa, NULL); } while (0)
#elif USE_SIGACTION == 2
#define INSTALL(sig, fn) \
  do { struct sigaction sa; sigemptyset(&sa.sa_mask); sa.sa_flags = 0; sa.sa_handler = fn; \
       sigaction(sig, &sa, NULL); } while (0)
#else
#define INSTALL(sig, fn) signal(sig, fn)
#endif

static GHashTable *children;
static volatile sig_atomic_t child_exited;

static void forget_children(void) {
  pid_t pid;
  while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
    g_hash_table_remove(children, GINT_TO_POINTER(pid)); // L:remove
  // CHECK: signal-handler.c:[[L_remove]]:5: warning: unsynchronized write to map 'children' (g_hash_table_remove) can race with a write in the main thread; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: signal-handler.c:[[L_insert]]:5: note: conflicting write (g_hash_table_insert) in the main thread
  // CHECK-NEXT: signal-handler.c:[[L_signal]]:3: note: thread 'on_child' is started here by the main thread
  // CHECK-NEXT: signal-handler.c:[[L_call]]:3: note: 'forget_children' is called from 'on_child' here
  // CHECK-NEXT: signal-handler.c:[[L_new]]:14: note: 'children' is created here: a GHashTable with pid_t keys
}

static void on_child(int sig) {
#ifdef FIXED
  child_exited = 1;
#else
  forget_children(); // L:call
#endif
}

int main(void) {
  children = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  INSTALL(SIGCHLD, on_child); // L:signal
  for (int i = 0; i < 3; i++) {
    pid_t pid = fork();
    if (pid == 0)
      _exit(0);
    g_hash_table_insert(children, GINT_TO_POINTER(pid), "job"); // L:insert
    // CHECK: signal-handler.c:[[L_insert]]:5: warning: unsynchronized write to map 'children' (g_hash_table_insert) can race with a write in thread 'on_child'; no lock is held [mapsafe-unsynchronized-write]
    // CHECK-NEXT: signal-handler.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'on_child'
    // CHECK-NEXT: signal-handler.c:[[L_signal]]:3: note: thread 'on_child' is started here by the main thread
    // CHECK-NEXT: signal-handler.c:[[L_call]]:3: note: 'forget_children' is called from 'on_child' here
    // CHECK-NEXT: signal-handler.c:[[L_new]]:14: note: 'children' is created here: a GHashTable with pid_t keys
  }
  while (g_hash_table_size(children) > 0) { // L:size
    // CHECK: signal-handler.c:[[L_size]]:10: warning: unsynchronized read of map 'children' (g_hash_table_size) can race with a write in thread 'on_child'; no lock is held [mapsafe-unsynchronized-read]
    // CHECK-NEXT: signal-handler.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'on_child'
    // CHECK-NEXT: signal-handler.c:[[L_signal]]:3: note: thread 'on_child' is started here by the main thread
    // CHECK-NEXT: signal-handler.c:[[L_call]]:3: note: 'forget_children' is called from 'on_child' here
    // CHECK-NEXT: signal-handler.c:[[L_new]]:14: note: 'children' is created here: a GHashTable with pid_t keys
    pause();
#ifdef FIXED
    if (child_exited) {
      child_exited = 0;
      forget_children();
    }
#endif
  }
  g_hash_table_destroy(children); // L:destroy
  // CHECK: signal-handler.c:[[L_destroy]]:3: warning: unsynchronized write to map 'children' (g_hash_table_destroy) can race with a write in thread 'on_child'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: signal-handler.c:[[L_remove]]:5: note: conflicting write (g_hash_table_remove) in thread 'on_child'
  // CHECK-NEXT: signal-handler.c:[[L_signal]]:3: note: thread 'on_child' is started here by the main thread
  // CHECK-NEXT: signal-handler.c:[[L_call]]:3: note: 'forget_children' is called from 'on_child' here
  // CHECK-NEXT: signal-handler.c:[[L_new]]:14: note: 'children' is created here: a GHashTable with pid_t keys
  return 0;
}
