/* An in-house work queue: workq_start(n, fn, ctx) runs fn(ctx, item) on n
 * threads for every item pushed; workq_stop waits for them. */
#ifndef WORKQ_H
#define WORKQ_H
typedef struct workq workq;
workq *workq_start(int threads, void (*fn)(void *ctx, void *item), void *ctx);
void workq_push(workq *q, void *item);
void workq_stop(workq *q);
#endif
