// Each worker gets a map of its own, created for it in the spawn loop (as
// a bare map, or inside a per-worker struct): nothing is shared, nothing
// is reported (fixed twin).  The buggy twin hands every worker the same
// map, created once before the loop.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdlib.h>

#define N 4

struct job {
  GHashTable *seen;
  int id;
};

static void *count_words(void *arg) {
  GHashTable *words = arg;
  g_hash_table_insert(words, "the", GINT_TO_POINTER(1)); // L:insert_bare
  // CHECK: fresh-map-per-thread.c:[[L_insert_bare]]:3: warning: unsynchronized write to map 'words' (g_hash_table_insert) can race with a write in another instance of thread 'count_words'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: fresh-map-per-thread.c:[[L_insert_bare]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'count_words'
  // CHECK-NEXT: fresh-map-per-thread.c:[[L_spawn_bare]]:5: note: thread 'count_words' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: fresh-map-per-thread.c:[[L_new_words]]:23: note: 'words' is created here: a GHashTable from string keys to int values
  return NULL;
}

static void *run_job(void *arg) {
  struct job *j = arg;
  g_hash_table_add(j->seen, GINT_TO_POINTER(j->id)); // L:insert_struct
  // CHECK: fresh-map-per-thread.c:[[L_insert_struct]]:3: warning: unsynchronized write to map 'struct job.seen' (g_hash_table_add) can race with a write in another instance of thread 'run_job'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: fresh-map-per-thread.c:[[L_insert_struct]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'run_job'
  // CHECK-NEXT: fresh-map-per-thread.c:[[L_spawn_struct]]:5: note: thread 'run_job' is started here by the main thread, with many instances running at once
  return NULL;
}

int main(void) {
  pthread_t t[N], u[N];
  GHashTable *results[N];
#ifndef FIXED
  GHashTable *words = g_hash_table_new(g_str_hash, g_str_equal); // L:new_words
  GHashTable *shared = g_hash_table_new(g_direct_hash, g_direct_equal);
#endif
  for (int i = 0; i < N; i++) {
#ifdef FIXED
    GHashTable *words = g_hash_table_new(g_str_hash, g_str_equal);
#endif
    results[i] = words;
    pthread_create(&t[i], NULL, count_words, words); // L:spawn_bare
  }
  for (int i = 0; i < N; i++) {
    struct job *j = malloc(sizeof *j);
    j->id = i;
#ifdef FIXED
    j->seen = g_hash_table_new(g_direct_hash, g_direct_equal);
#else
    j->seen = shared;
#endif
    pthread_create(&u[i], NULL, run_job, j); // L:spawn_struct
  }
  for (int i = 0; i < N; i++) {
    pthread_join(t[i], NULL);
    pthread_join(u[i], NULL);
  }
  return results[0] != NULL ? 0 : 1;
}
