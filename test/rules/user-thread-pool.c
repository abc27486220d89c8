// A project's own thread pool declared in a rule file
// (Inputs/rules/workq.yaml): its function runs on many threads with the
// context as its first parameter, from the first push until workq_stop.
// The buggy twin indexes words without a lock; the fixed twin holds one.
// Filling the table before the first push and reading it after workq_stop
// are single-threaded.  Without the rule file nothing is known.
//
// RUN: %mapsafe_check %s \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/workq.yaml'}}" \
// RUN:   -- %glib_cflags -I%S/Inputs
// RUN: %mapsafe_check %s --prefix=FIXED \
// RUN:   --config="{CheckOptions: {mapsafe.RulesFiles: '%S/Inputs/rules/workq.yaml'}}" \
// RUN:   -- %glib_cflags -I%S/Inputs -DFIXED
// RUN: %mapsafe_check %s --prefix=NORULES -- %glib_cflags -I%S/Inputs

#include <glib.h>
#include "workq.h"

static GMutex words_lock;

static void index_word(void *ctx, void *item) {
  GHashTable *words = ctx;
#ifdef FIXED
  g_mutex_lock(&words_lock);
#endif
  g_hash_table_add(words, item); // L:add
#ifdef FIXED
  g_mutex_unlock(&words_lock);
#endif
}

int main(int argc, char **argv) {
  GHashTable *words = g_hash_table_new(g_str_hash, g_str_equal); // L:new
  g_hash_table_add(words, "the");
  workq *q = workq_start(4, index_word, words); // L:start
  g_hash_table_add(words, "a"); // before the first push: alone
  for (int i = 1; i < argc; i++)
    workq_push(q, argv[i]); // L:push
  workq_stop(q);
  g_print("%u words\n", g_hash_table_size(words));
  g_hash_table_destroy(words);
  return 0;
}

// CHECK: user-thread-pool.c:[[L_add]]:3: warning: unsynchronized write to map 'words' (g_hash_table_add) can race with a write in another instance of thread 'index_word'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: user-thread-pool.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'index_word'
// CHECK-NEXT: user-thread-pool.c:[[L_start]]:14: note: thread 'index_word' is started here by the main thread, with many instances running at once
// CHECK-NEXT: user-thread-pool.c:[[L_new]]:23: note: 'words' is created here: a GHashTable with string keys
