// libmicrohttpd: the access handler runs on the daemon's threads, many at
// once with MHD_USE_THREAD_PER_CONNECTION (or a thread pool), on one
// internal thread with MHD_USE_INTERNAL_POLLING_THREAD, and on the
// caller's own thread (inside MHD_run) without either.  The handler counts
// hits per URL.  Buggy: no lock, thread per connection; fixed: the lock.
// One internal thread: the handler races only with main's read before
// MHD_stop_daemon.  External polling: no thread, nothing to report.
// RUN: %mapsafe_check %s -- %glib_cflags -DFLAGS=MHD_USE_THREAD_PER_CONNECTION
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFLAGS=MHD_USE_THREAD_PER_CONNECTION -DFIXED
// RUN: %mapsafe_check %s --prefix=POOL -- %glib_cflags -DFLAGS=MHD_USE_INTERNAL_POLLING_THREAD -DPOOL
// RUN: %mapsafe_check %s --prefix=ONE -- %glib_cflags -DFLAGS=MHD_USE_INTERNAL_POLLING_THREAD
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags -DFLAGS=0

#include <glib.h>
#include <microhttpd.h>
#include <stdio.h>

struct site {
  GMutex lock;
  GHashTable *hits;
};

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **req) {
  struct site *s = cls;
#ifdef FIXED
  g_mutex_lock(&s->lock);
#endif
  gpointer n = g_hash_table_lookup(s->hits, url); // L:lookup
  g_hash_table_replace(s->hits, g_strdup(url), GINT_TO_POINTER(GPOINTER_TO_INT(n) + 1)); // L:replace
#ifdef FIXED
  g_mutex_unlock(&s->lock);
#endif
  return MHD_NO;
}

int main(void) {
  static struct site s;
  s.hits = g_hash_table_new(g_str_hash, g_str_equal); // L:new
#ifdef POOL
  struct MHD_Daemon *d = MHD_start_daemon(FLAGS, 8080, NULL, NULL, handle, &s, MHD_OPTION_THREAD_POOL_SIZE, 4, MHD_OPTION_END); // L:start_pool
#else
  struct MHD_Daemon *d = MHD_start_daemon(FLAGS, 8080, NULL, NULL, handle, &s, MHD_OPTION_END); // L:start
#endif
  if (!d)
    return 1;
#if !defined(FIXED) && !defined(POOL)
  printf("%u urls\n", g_hash_table_size(s.hits)); // L:size
#endif
#if FLAGS == 0
  MHD_run(d);
#endif
  MHD_stop_daemon(d);
  return g_hash_table_size(s.hits) > 0;
}

// CHECK: libmicrohttpd-handler.c:[[L_lookup]]:16: warning: unsynchronized read of map 'struct site.hits' (g_hash_table_lookup) can race with a write in another instance of thread 'handle'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle', another instance
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_start]]:26: note: thread 'handle' is started here by the main thread, with many instances running at once
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: warning: unsynchronized write to map 'struct site.hits' (g_hash_table_replace) can race with a write in another instance of thread 'handle'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'handle'
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_start]]:26: note: thread 'handle' is started here by the main thread, with many instances running at once
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_size]]:23: warning: unsynchronized read of map 'struct site.hits' (g_hash_table_size) can race with a write in thread 'handle'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle'
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_start]]:26: note: thread 'handle' is started here by the main thread, with many instances running at once
// CHECK-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values

// POOL: libmicrohttpd-handler.c:[[L_lookup]]:16: warning: unsynchronized read of map 'struct site.hits' (g_hash_table_lookup) can race with a write in another instance of thread 'handle'; no lock is held [mapsafe-unsynchronized-read]
// POOL-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle', another instance
// POOL-NEXT: libmicrohttpd-handler.c:[[L_start_pool]]:26: note: thread 'handle' is started here by the main thread, with many instances running at once
// POOL-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values
// POOL-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: warning: unsynchronized write to map 'struct site.hits' (g_hash_table_replace) can race with a write in another instance of thread 'handle'; no lock is held [mapsafe-unsynchronized-write]
// POOL-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: note: the same write (g_hash_table_replace) runs concurrently in another instance of thread 'handle'
// POOL-NEXT: libmicrohttpd-handler.c:[[L_start_pool]]:26: note: thread 'handle' is started here by the main thread, with many instances running at once
// POOL-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values

// ONE: libmicrohttpd-handler.c:[[L_replace]]:3: warning: unsynchronized write to map 'struct site.hits' (g_hash_table_replace) can race with a read in the main thread; no lock is held [mapsafe-unsynchronized-write]
// ONE-NEXT: libmicrohttpd-handler.c:[[L_size]]:23: note: conflicting read (g_hash_table_size) in the main thread
// ONE-NEXT: libmicrohttpd-handler.c:[[L_start]]:26: note: thread 'handle' is started here by the main thread
// ONE-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values
// ONE-NEXT: libmicrohttpd-handler.c:[[L_size]]:23: warning: unsynchronized read of map 'struct site.hits' (g_hash_table_size) can race with a write in thread 'handle'; no lock is held [mapsafe-unsynchronized-read]
// ONE-NEXT: libmicrohttpd-handler.c:[[L_replace]]:3: note: conflicting write (g_hash_table_replace) in thread 'handle'
// ONE-NEXT: libmicrohttpd-handler.c:[[L_start]]:26: note: thread 'handle' is started here by the main thread
// ONE-NEXT: libmicrohttpd-handler.c:[[L_new]]:12: note: 'struct site.hits' is created here: a GHashTable from string keys to int values
