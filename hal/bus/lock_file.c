/* SPDX-License-Identifier: MIT */
/*
 * Cross-process bus lock: flock on a lock file, released by the kernel if the process dies.
 * The file carries a counter of lock holds that wrote select bytes, so a holder knows
 * whether someone else moved the page/mux selects since it last held the bus.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
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
	if (bus->lock_depth || __atomic_load_n(&bus->claims_held, __ATOMIC_ACQUIRE)) {
		pthread_mutex_unlock(&bus->mutex);
		return LB_E_BUSY; /* in a sequence, or module claims sit next to the lock file */
	}
	/* A path that cannot be opened leaves the lock in force as it was. */
	int rc = LB_OK, fd = -1;
	char *copy = NULL;
	if (path) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0) {
			rc = lb_ctx_error(bus->ctx, errno == EACCES ? LB_E_PERM : LB_E_IO,
					  "lock file %s: %s", path, strerror(errno));
		} else if (!(copy = strdup(path))) {
			close(fd);
			rc = LB_E_NOMEM;
		}
	}
	char *base = NULL;
	if (rc == LB_OK && path && !(base = strdup(path))) {
		close(fd);
		free(copy);
		rc = LB_E_NOMEM;
	}
	if (rc == LB_OK) {
		lb_bus_lock_file_close(bus);
		/* Module claims go next to the lock file, or stay in this process without one. */
		pthread_mutex_lock(&bus->claims_mutex);
		free(bus->claim_base);
		bus->claim_base = base;
		bus->claim_gen++;
		pthread_mutex_unlock(&bus->claims_mutex);
		if (path) {
			bus->lock_path = copy;
			bus->lock_fd = fd;
			bus->lock_pid = (long)getpid();
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

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * What may have moved the module's select bytes (or a mux) during a hold: select writes, any
 * other write (a SoftwareReset or a write to 126/127 resets or moves PageSelect) and errors
 * (a failed select write may still have landed).
 */
static uint64_t change_mark(const struct lb_bus *bus)
{
	return bus->stats.select_writes + bus->stats.writes + bus->stats.errors;
}

/*
 * flock belongs to the open file description, which a forked child shares with its parent:
 * the two would never exclude each other. A child opens the file afresh.
 */
static int reopen_after_fork(struct lb_bus *bus)
{
	if (bus->lock_pid == (long)getpid())
		return LB_OK;
	int fd = open(bus->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return lb_ctx_error(bus->ctx, errno == EACCES ? LB_E_PERM : LB_E_IO,
				    "lock file %s: %s", bus->lock_path, strerror(errno));
	close(bus->lock_fd); /* the parent's description: closing it drops nothing of the parent's */
	bus->lock_fd = fd;
	bus->lock_pid = (long)getpid();
	lb_bus_invalidate(bus);
	return LB_OK;
}

int lb_bus_lock_file_acquire(struct lb_bus *bus)
{
	int rc = reopen_after_fork(bus);
	if (rc)
		return rc;
	/*
	 * The holder is another real process, so the wait is in real milliseconds whatever
	 * clock the context runs on (a virtual clock would never run out), measured on
	 * CLOCK_MONOTONIC rather than counted in sleeps (each sleep overruns its 1 ms).
	 */
	uint64_t start = monotonic_ns();
	for (;;) {
		if (flock(bus->lock_fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return lb_ctx_error(bus->ctx, LB_E_IO, "bus lock: %s", strerror(errno));
		if (monotonic_ns() - start >= (uint64_t)bus->lock_wait_ms * 1000000u)
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
	bus->lock_select_mark = change_mark(bus);
	return LB_OK;
}

void lb_bus_lock_file_release(struct lb_bus *bus)
{
	if (change_mark(bus) != bus->lock_select_mark) {
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
	free(bus->lock_path);
	bus->lock_path = NULL;
}
