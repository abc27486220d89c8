// APR: a per-request struct allocated from the request's pool
// (apr_palloc, or apr_pcalloc, a macro over apr_palloc and memset) is a
// fresh object in every call: its hash table is the request's own, even
// when the hook runs on many threads at once.  The buggy twin keeps the
// table in a static struct instead, shared by every request.
// RUN: %mapsafe_check %s --prefix=FIXED \
// RUN:   --config="{CheckOptions: {mapsafe.ConcurrentFunctions: 'create_request_config'}}" \
// RUN:   -- %apr_cflags -pthread -DFIXED
// RUN: %mapsafe_check %s --prefix=FIXED \
// RUN:   --config="{CheckOptions: {mapsafe.ConcurrentFunctions: 'create_request_config'}}" \
// RUN:   -- %apr_cflags -pthread -DFIXED -DCALLOC
// RUN: %mapsafe_check %s \
// RUN:   --config="{CheckOptions: {mapsafe.ConcurrentFunctions: 'create_request_config'}}" \
// RUN:   -- %apr_cflags -pthread

#include <apr_hash.h>
#include <apr_pools.h>

struct req_cfg {
  apr_hash_t *vms;
  int count;
};

#ifndef FIXED
static struct req_cfg shared_cfg;
#endif

/* A per-request hook: the server runs it on many threads at once. */
int create_request_config(apr_pool_t *p, struct req_cfg **out) { // L:hook
#ifndef FIXED
  struct req_cfg *cfg = &shared_cfg;
#elif defined(CALLOC)
  struct req_cfg *cfg = apr_pcalloc(p, sizeof *cfg);
#else
  struct req_cfg *cfg = apr_palloc(p, sizeof *cfg);
#endif
  cfg->vms = apr_hash_make(p); // L:make
  apr_hash_set(cfg->vms, "main", APR_HASH_KEY_STRING, p); // L:set
  *out = cfg;
  return 0;
}
// CHECK: apr-pool-request.c:[[L_make]]:14: warning: unsynchronized write to map 'struct req_cfg.vms' (apr_hash_make) can race with a write in another instance of thread 'create_request_config'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: apr-pool-request.c:[[L_set]]:3: note: conflicting write (apr_hash_set) in thread 'create_request_config', another instance
// CHECK-NEXT: apr-pool-request.c:[[L_hook]]:5: note: 'create_request_config' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: apr-pool-request.c:[[L_make]]:14: note: 'struct req_cfg.vms' is created here: an apr_hash_t with apr_pool_t * values
// CHECK: apr-pool-request.c:[[L_set]]:3: warning: unsynchronized write to map 'struct req_cfg.vms' (apr_hash_set) can race with a write in another instance of thread 'create_request_config'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: apr-pool-request.c:[[L_set]]:3: note: the same write (apr_hash_set) runs concurrently in another instance of thread 'create_request_config'
// CHECK-NEXT: apr-pool-request.c:[[L_hook]]:5: note: 'create_request_config' is declared to run on many threads at once (ConcurrentFunctions, or a rule's callback table)
// CHECK-NEXT: apr-pool-request.c:[[L_make]]:14: note: 'struct req_cfg.vms' is created here: an apr_hash_t with apr_pool_t * values
