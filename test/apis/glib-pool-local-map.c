// A GThreadPool runs its function on several threads at once, all with the
// same user_data: a map made in a local variable and handed to the pool is
// shared by them.  The fixed twin locks around the insert.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -pthread -DFIXED

#include <glib.h>

static GMutex words_mutex;

static void index_word(gpointer word, gpointer user_data) {
  GHashTable *words = user_data;
#ifdef FIXED
  g_mutex_lock(&words_mutex);
#endif
  g_hash_table_add(words, word); // L:add
  // CHECK: glib-pool-local-map.c:[[L_add]]:3: warning: unsynchronized write to map 'words' (g_hash_table_add) can race with a write in another instance of thread 'index_word'; no lock is held [mapsafe-unsynchronized-write]
  // CHECK-NEXT: glib-pool-local-map.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'index_word'
  // CHECK-NEXT: glib-pool-local-map.c:[[L_pool]]:23: note: thread 'index_word' is started here by the main thread, with many instances running at once
  // CHECK-NEXT: glib-pool-local-map.c:[[L_new_words]]:23: note: 'words' is created here: a GHashTable with string keys
#ifdef FIXED
  g_mutex_unlock(&words_mutex);
#endif
}

int main(int argc, char **argv) {
  GHashTable *words = g_hash_table_new(g_str_hash, g_str_equal); // L:new_words
  GThreadPool *pool = g_thread_pool_new(index_word, words, 4, FALSE, NULL); // L:pool
  for (int i = 1; i < argc; i++)
    g_thread_pool_push(pool, argv[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
  g_print("%u words\n", g_hash_table_size(words));
  g_hash_table_destroy(words);
  return 0;
}
