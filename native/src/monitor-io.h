/* The monitor's hold on the container's stdio (the io op): json-file logs and attach clients. */
#ifndef BERTH_MONITOR_IO_H
#define BERTH_MONITOR_IO_H
#include <poll.h>
#include "helper.h"

#define IO_TTY 1u
#define IO_OPEN_STDIN 2u
#define IO_MAX_POLL 24

struct mon_io;

struct mon_io *io_prepare(struct ctx *c, const struct op *io);  /* before clone */
void io_child(struct ctx *c, struct mon_io *m);                  /* in the child, after clone */
void io_parent(struct mon_io *m);                                /* in the monitor, after clone */
int io_fds(const struct mon_io *m, int *fds, int max);           /* fds the monitor keeps open */
int io_poll(struct mon_io *m, struct pollfd *p);                 /* fills up to IO_MAX_POLL entries */
void io_handle(struct mon_io *m, const struct pollfd *p, int n);
void io_finish(struct mon_io *m);                                /* the container exited: drain, flush */
void io_close(struct mon_io *m);                                 /* then: attach clients see EOF */

#endif
