/* An in-house object cache driven by macros (as a project's own header
 * would be), and a spin lock made of compiler atomics. */
#ifndef OBJCACHE_H
#define OBJCACHE_H
#include <stddef.h>

struct objcache;
struct objcache *objcache_create_impl(size_t buckets);
void *objcache_lookup_impl(struct objcache *c, const char *key);
void objcache_store_impl(struct objcache *c, const char *key, void *obj);

#define OBJCACHE_NEW(buckets) objcache_create_impl(buckets)
#define OBJCACHE_GET(cache, key) objcache_lookup_impl((cache), (key))
#define OBJCACHE_PUT(cache, key, obj)                                        \
  do {                                                                       \
    if ((obj) != NULL)                                                       \
      objcache_store_impl((cache), (key), (obj));                            \
  } while (0)

typedef struct { volatile char held; } spin_t;
#define SPIN_LOCK(l)                                                         \
  do {                                                                       \
    while (__atomic_test_and_set(&(l)->held, __ATOMIC_ACQUIRE))              \
      ;                                                                      \
  } while (0)
#define SPIN_UNLOCK(l) __atomic_clear(&(l)->held, __ATOMIC_RELEASE)

#endif
