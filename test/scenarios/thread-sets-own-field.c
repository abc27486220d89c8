// Each worker gets a struct of its own; what the worker itself stores in
// that struct's field decides which map `j->seen` is: the shared global
// (buggy twin, reported) or a map it creates for itself (fixed, silent).
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdlib.h>

struct job {
  GHashTable *seen;
  int id;
};

static GHashTable *global_seen;

static void *run_job(void *arg) {
  struct job *j = arg;
#ifdef FIXED
  j->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
#else
  j->seen = global_seen;
#endif
  g_hash_table_add(j->seen, GINT_TO_POINTER(j->id)); // L:add
  // CHECK: thread-sets-own-field.c:[[L_add]]:3: warning: unsynchronized write to map 'global_seen' (g_hash_table_add) can race with a write in another instance of thread 'run_job'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: thread-sets-own-field.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'run_job'
  // CHECK-NEXT: thread-sets-own-field.c:[[L_spawn]]:5: note: thread 'run_job' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: thread-sets-own-field.c:[[L_new_global_seen]]:17: note: 'global_seen' is created here: a GHashTable with pointer keys
  return NULL;
}

int main(void) {
  pthread_t t[4];
  global_seen = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new_global_seen
  for (int i = 0; i < 4; i++) {
    struct job *j = malloc(sizeof *j);
    j->id = i;
    pthread_create(&t[i], NULL, run_job, j); // L:spawn
  }
  for (int i = 0; i < 4; i++)
    pthread_join(t[i], NULL);
  return 0;
}
