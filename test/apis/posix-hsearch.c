// POSIX hsearch: one table for the whole process, named by no argument.
// Lookups (FIND) in many threads may run at once; an insert (ENTER) may
// not run beside them.  hsearch_r works on the table the caller passes.
// The buggy twin inserts new names without the lock the lookups take; the
// fixed twin takes it.
// RUN: %mapsafe_check %s -- -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- -pthread -DFIXED

#define _GNU_SOURCE
#include <pthread.h>
#include <search.h>
#include <stddef.h>

static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hsearch_data ports;

static void *resolver(void *arg) {
  ENTRY q = {.key = arg, .data = NULL};
  pthread_mutex_lock(&names_lock); // L:lock
  ENTRY *found = hsearch(q, FIND); // L:find
  pthread_mutex_unlock(&names_lock);
  if (!found) {
#ifdef FIXED
    pthread_mutex_lock(&names_lock);
#endif
    hsearch(q, ENTER); // L:enter
#ifdef FIXED
    pthread_mutex_unlock(&names_lock);
#endif
  }
  // Lookups only: they may run at once.
  ENTRY *port;
  hsearch_r(q, FIND, &port, &ports);
  return found;
}

int main(void) {
  pthread_t t[2];
  hcreate(64); // L:create
  hcreate_r(16, &ports);
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, resolver, "example.org"); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  hdestroy_r(&ports);
  hdestroy();
  return 0;
}

// CHECK: posix-hsearch.c:[[L_enter]]:5: warning: unsynchronized write to map 'POSIX hsearch' (hsearch) can race with a write in another instance of thread 'resolver'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: posix-hsearch.c:[[L_enter]]:5: note: the same write (hsearch) runs concurrently in another instance of thread 'resolver'
// CHECK-NEXT: posix-hsearch.c:[[L_spawn]]:5: note: thread 'resolver' is started here by the main thread, with many instances running at once
// CHECK-NEXT: posix-hsearch.c:[[L_create]]:3: note: 'POSIX hsearch' is created here: a POSIX hsearch
