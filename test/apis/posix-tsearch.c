// POSIX <search.h>: a tsearch tree shared by threads.  tsearch takes the
// root's address, twalk its value: both name the tree 'root'.  The buggy
// twin inserts, looks up and deletes without the mutex, and walks the tree
// without it; the fixed twin holds the mutex at each.
// RUN: %mapsafe_check %s -- -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- -pthread -DFIXED
// Guard inference alone: the walk with twalk_r holds the mutex.
// RUN: %mapsafe_check %s --prefix=GUARD --checks='-*,mapsafe-inconsistent-locking' -- -pthread
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- -pthread -DFIXED

#define _GNU_SOURCE
#include <pthread.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>

static void *root;
// A `void *` that is no tree: clearing it is not a map's destruction, even
// though the tree handles are `void *` too.
static void *last_name;
static pthread_mutex_t root_lock = PTHREAD_MUTEX_INITIALIZER;

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

static void count_node(const void *node, VISIT which, void *closure) {
  if (which == postorder || which == leaf)
    ++*(int *)closure;
}

static void print_node(const void *node, VISIT which, int depth) {}

static void *registrar(void *name) {
#ifdef FIXED
  pthread_mutex_lock(&root_lock);
#endif
  if (!tfind(name, &root, by_name)) // L:tfind
    tsearch(name, &root, by_name); // L:tsearch
  tdelete("stale", &root, by_name); // L:tdelete
  last_name = NULL;
  // CHECK: posix-tsearch.c:[[L_tfind]]:8: warning: unsynchronized read of map 'root' (tfind) can race with a write in another instance of thread 'registrar'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: posix-tsearch.c:[[L_tsearch]]:5: note: conflicting write (tsearch) in thread 'registrar', another instance
  // CHECK-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: posix-tsearch.c:[[L_tsearch]]:5: warning: unsynchronized write to map 'root' (tsearch) can race with a write in another instance of thread 'registrar'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: posix-tsearch.c:[[L_tsearch]]:5: note: the same write (tsearch) runs concurrently in another instance of thread 'registrar'
  // CHECK-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: posix-tsearch.c:[[L_tdelete]]:3: warning: unsynchronized write to map 'root' (tdelete) can race with a write in another instance of thread 'registrar'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: posix-tsearch.c:[[L_tsearch]]:5: note: conflicting write (tsearch) in thread 'registrar', another instance
  // CHECK-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // GUARD: posix-tsearch.c:[[L_tfind]]:8: warning: 'root' is accessed with 'root_lock' held in 1 of 2 functions; this read (tfind) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: posix-tsearch.c:[[L_twalk_r]]:3: note: 'root_lock' is held here
  // GUARD-NEXT: posix-tsearch.c:[[L_tsearch]]:5: note: conflicting write (tsearch) in thread 'registrar', another instance
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // GUARD-NEXT: posix-tsearch.c:[[L_tsearch]]:5: warning: 'root' is accessed with 'root_lock' held in 1 of 2 functions; this write (tsearch) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: posix-tsearch.c:[[L_twalk_r]]:3: note: 'root_lock' is held here
  // GUARD-NEXT: posix-tsearch.c:[[L_twalk_r]]:3: note: conflicting iteration (twalk_r) in thread 'reporter'
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn_reporter]]:3: note: thread 'reporter' is started here by the main thread
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // GUARD-NEXT: posix-tsearch.c:[[L_tdelete]]:3: warning: 'root' is accessed with 'root_lock' held in 1 of 2 functions; this write (tdelete) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: posix-tsearch.c:[[L_twalk_r]]:3: note: 'root_lock' is held here
  // GUARD-NEXT: posix-tsearch.c:[[L_twalk_r]]:3: note: conflicting iteration (twalk_r) in thread 'reporter'
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn_reporter]]:3: note: thread 'reporter' is started here by the main thread
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
#ifdef FIXED
  pthread_mutex_unlock(&root_lock);
#endif
  return NULL;
}

static void *reporter(void *arg) {
  int n = 0;
  pthread_mutex_lock(&root_lock);
  twalk_r(root, count_node, &n); // L:twalk_r
  pthread_mutex_unlock(&root_lock);
#ifdef FIXED
  pthread_mutex_lock(&root_lock);
#endif
  twalk(root, print_node); // L:twalk
  // CHECK: posix-tsearch.c:[[L_twalk]]:3: warning: unsynchronized iteration over map 'root' (twalk) can race with a write in thread 'registrar'; no lock is held [mapsafe-unsynchronized-read]
  // CHECK-NEXT: posix-tsearch.c:[[L_tsearch]]:5: note: conflicting write (tsearch) in thread 'registrar'
  // CHECK-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: posix-tsearch.c:[[L_spawn_reporter]]:3: note: thread 'reporter' is started here by the main thread
  // GUARD: posix-tsearch.c:[[L_twalk]]:3: warning: 'root' is accessed with 'root_lock' held in 1 of 2 functions; this iteration (twalk) does not hold it [mapsafe-inconsistent-locking]
  // GUARD-NEXT: posix-tsearch.c:[[L_twalk_r]]:3: note: 'root_lock' is held here
  // GUARD-NEXT: posix-tsearch.c:[[L_tsearch]]:5: note: conflicting write (tsearch) in thread 'registrar'
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn]]:5: note: thread 'registrar' is started here by the main thread, with many instances running at once
  // GUARD-NEXT: posix-tsearch.c:[[L_spawn_reporter]]:3: note: thread 'reporter' is started here by the main thread
#ifdef FIXED
  pthread_mutex_unlock(&root_lock);
#endif
  return NULL;
}

int main(void) {
  pthread_t r[4], p;
  for (int i = 0; i < 4; i++)
    pthread_create(&r[i], NULL, registrar, "svc"); // L:spawn
  pthread_create(&p, NULL, reporter, NULL); // L:spawn_reporter
  for (int i = 0; i < 4; i++)
    pthread_join(r[i], NULL);
  pthread_join(p, NULL);
  /* Alone again: not reported. */
  twalk(root, print_node);
  tdestroy(root, free);
  return 0;
}
