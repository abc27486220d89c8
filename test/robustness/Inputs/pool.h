/* A user header that is the whole story: the table, the worker and the spawn
   are all here, and nothing in headers.c (-DPOOL) calls into it, so every
   diagnostic is in this header.  Line numbers are checked by headers.c. */
#include <glib.h>
#include <pthread.h>

static GHashTable *pool_jobs;

static void *pool_worker(void *arg) {
  g_hash_table_insert(pool_jobs, arg, arg);
  return NULL;
}

void pool_start(pthread_t *threads, int n) {
  pool_jobs = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (int i = 0; i < n; i++)
    pthread_create(&threads[i], NULL, pool_worker, &threads[i]);
}
