void cache_lock(void);
void cache_unlock(void);
