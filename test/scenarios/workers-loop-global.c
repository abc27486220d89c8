// Workers spawned in a loop insert into a global table without a lock
// (write/write); the fixed twin takes the table's mutex.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>
#include <pthread.h>
#include <stdio.h>

#define NWORKERS 8

static GHashTable *sessions;
static pthread_mutex_t sessions_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  long id = (long)arg;
  char *name = g_strdup_printf("session-%ld", id);
#ifdef FIXED
  pthread_mutex_lock(&sessions_mutex);
#endif
  g_hash_table_insert(sessions, name, GINT_TO_POINTER(id)); // L:insert
  // CHECK: workers-loop-global.c:[[L_insert]]:3: warning: unsynchronized write to map 'sessions' (g_hash_table_insert) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: workers-loop-global.c:[[L_insert]]:3: note: the same write (g_hash_table_insert) runs concurrently in another instance of thread 'worker'
  // CHECK-NEXT: workers-loop-global.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: workers-loop-global.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a GHashTable from string keys to long values
#ifdef FIXED
  pthread_mutex_unlock(&sessions_mutex);
#endif
  return NULL;
}

int main(void) {
  pthread_t threads[NWORKERS];
  sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new_sessions
  for (long i = 0; i < NWORKERS; i++)
    pthread_create(&threads[i], NULL, worker, (void *)i); // L:spawn
  for (int i = 0; i < NWORKERS; i++)
    pthread_join(threads[i], NULL);
  printf("%u sessions\n", g_hash_table_size(sessions));
  g_hash_table_destroy(sessions);
  return 0;
}
