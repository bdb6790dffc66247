/* SPDX-License-Identifier: MIT */
/*
 * Cross-process bus lock: flock on a lock file, released by the kernel if the process dies.
 * The file carries a counter of lock holds that wrote select bytes, so a holder knows
 * whether someone else moved the page/mux selects since it last held the bus.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include <lightbridge/bus.h>
#include "hal/bus/bus_internal.h"
#include "hal/core/ctx_internal.h"

int lb_bus_lock_file_acquire(struct lb_bus *bus);
void lb_bus_lock_file_release(struct lb_bus *bus);
void lb_bus_lock_file_close(struct lb_bus *bus);

LB_API int lb_bus_set_lock_file(struct lb_bus *bus, const char *path, uint32_t wait_ms)
{
	if (!bus)
		return LB_E_INVAL;
	pthread_mutex_lock(&bus->mutex);
	if (bus->lock_depth) {
		pthread_mutex_unlock(&bus->mutex);
		return LB_E_BUSY;
	}
	lb_bus_lock_file_close(bus);
	int rc = LB_OK;
	if (path) {
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0) {
			rc = lb_ctx_error(bus->ctx, errno == EACCES ? LB_E_PERM : LB_E_IO,
					  "lock file %s: %s", path, strerror(errno));
		} else {
			bus->lock_fd = fd;
			bus->lock_wait_ms = wait_ms;
			lb_bus_invalidate(bus);
		}
	}
	pthread_mutex_unlock(&bus->mutex);
	return rc;
}

static uint64_t read_counter(int fd)
{
	uint64_t v = 0;
	if (pread(fd, &v, sizeof(v), 0) != (ssize_t)sizeof(v))
		return 0;
	return v;
}

int lb_bus_lock_file_acquire(struct lb_bus *bus)
{
	/*
	 * The holder is another real process, so the wait is in real milliseconds whatever
	 * clock the context runs on (a virtual clock would never run out).
	 */
	for (uint32_t waited = 0;; waited++) {
		if (flock(bus->lock_fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return lb_ctx_error(bus->ctx, LB_E_IO, "bus lock: %s", strerror(errno));
		if (waited >= bus->lock_wait_ms)
			return lb_ctx_error(bus->ctx, LB_E_BUSY,
					    "bus lock held by another process for more than %u ms",
					    bus->lock_wait_ms);
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	uint64_t counter = read_counter(bus->lock_fd);
	if (counter != bus->lock_counter_seen)
		lb_bus_invalidate(bus);
	bus->lock_counter_seen = counter;
	bus->lock_select_mark = bus->stats.select_writes;
	return LB_OK;
}

void lb_bus_lock_file_release(struct lb_bus *bus)
{
	if (bus->stats.select_writes != bus->lock_select_mark) {
		uint64_t counter = read_counter(bus->lock_fd) + 1;
		if (pwrite(bus->lock_fd, &counter, sizeof(counter), 0) == (ssize_t)sizeof(counter))
			bus->lock_counter_seen = counter;
		else
			lb_bus_invalidate(bus);
	}
	flock(bus->lock_fd, LOCK_UN);
}

void lb_bus_lock_file_close(struct lb_bus *bus)
{
	if (bus->lock_fd >= 0)
		close(bus->lock_fd);
	bus->lock_fd = -1;
}
