// The lock wrappers of cache.c, in a file of their own.
#include <pthread.h>
#include "cache.h"

static pthread_mutex_t cache_mutex = PTHREAD_MUTEX_INITIALIZER;

void cache_lock(void) { pthread_mutex_lock(&cache_mutex); }
void cache_unlock(void) { pthread_mutex_unlock(&cache_mutex); }
