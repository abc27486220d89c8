// Thread handles kept in the workers' structs and read back to join them:
// a loop that pops every worker and joins `w->thread` ends the threads
// whose handles were stored in that field (fixed twin: the destroy after
// it is single-threaded).  Joining the first worker only ends nothing.
// RUN: %mapsafe_check %s -- %glib_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFIXED
// FIXED-NOT: warning:

#include <glib.h>

typedef struct {
  GThread *thread;
  int id;
} Worker;

static GHashTable *results;
static GMutex results_lock;

static gpointer work(gpointer data) {
  Worker *w = data;
  g_mutex_lock(&results_lock); // L:lock
  g_hash_table_insert(results, GINT_TO_POINTER(w->id), w); // L:insert
  g_mutex_unlock(&results_lock);
  return NULL;
}

int main(void) {
  GQueue *workers = g_queue_new();
  results = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  for (int i = 0; i < 4; i++) {
    Worker *w = g_new0(Worker, 1);
    w->id = i;
    w->thread = g_thread_new("worker", work, w); // L:spawn
    g_queue_push_tail(workers, w);
  }
  Worker *w;
#ifdef FIXED
  while ((w = g_queue_pop_head(workers)) != NULL) {
    g_thread_join(w->thread);
    g_free(w);
  }
#else
  w = g_queue_pop_head(workers);
  g_thread_join(w->thread);
#endif
  g_hash_table_destroy(results); // L:destroy
  g_queue_free(workers);
  return 0;
}

// CHECK: join-stored-handles.c:[[L_destroy]]:3: warning: unsynchronized write to map 'results' (g_hash_table_destroy) can race with a write in thread 'work'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: join-stored-handles.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'work'
// CHECK-NEXT: join-stored-handles.c:[[L_lock]]:3: note: 'results_lock', acquired here, protects the conflicting access but is not held at the reported one
// CHECK-NEXT: join-stored-handles.c:[[L_spawn]]:17: note: thread 'work' is started here by the main thread, with many instances running at once
// CHECK-NEXT: join-stored-handles.c:[[L_new]]:13: note: 'results' is created here: a GHashTable from pointer keys to Worker * values
