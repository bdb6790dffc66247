/* SPDX-License-Identifier: MIT */
/*
 * Cross-process bus lock: flock on a lock file, released by the kernel if the process dies.
 * The file carries a counter of lock holds that may have moved select bytes, so a holder knows
 * whether someone else moved the page/mux selects since it last held the bus.
 *
 * The lock file is trusted only as a regular file of ours (or, with a lock group, of the
 * group and closed to others): it is opened without following a symbolic link (its first
 * bytes are rewritten as the counter), without waiting on a FIFO, created 0600 (0660 for a
 * group). Anyone who can open it can hold it, so one of ours that is open to others is closed
 * up. When the lock is held too long, the holder is named from /proc/locks.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <lightbridge/bus.h>
#include "hal/bus/bus_internal.h"
#include "hal/core/ctx_internal.h"

int lb_bus_lock_file_acquire(struct lb_bus *bus);
void lb_bus_lock_file_release(struct lb_bus *bus);
void lb_bus_lock_file_close(struct lb_bus *bus);

/* A group by name or number; false when there is none such. */
static bool group_id(const char *group, gid_t *out)
{
	char *end;
	unsigned long v = strtoul(group, &end, 10);
	if (*group && !*end && v <= (unsigned long)(gid_t)-1) {
		*out = (gid_t)v;
		return true;
	}
	char buf[4096];
	struct group g, *found = NULL;
	if (getgrnam_r(group, &g, buf, sizeof(buf), &found) != 0 || !found)
		return false;
	*out = found->gr_gid;
	return true;
}

/*
 * Open (create) the lock file as the rules above say. LB_OK with *out; LB_E_PERM with the
 * reason when it may not be trusted; LB_E_IO otherwise.
 */
static int open_lock_file(struct lb_ctx *ctx, const char *path, bool grouped, gid_t gid, int *out)
{
	mode_t want = grouped ? 0660 : 0600;
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, want);
	if (fd < 0) {
		int e = errno;
		int rc = e == EACCES || e == EPERM || e == ELOOP ? LB_E_PERM : LB_E_IO;
		return lb_ctx_error(ctx, rc, "lock file %s: %s", path,
				    e == ELOOP ? "is a symbolic link: refused" : strerror(e));
	}
	struct stat st;
	const char *why = NULL;
	char detail[160] = "";
	if (fstat(fd, &st) != 0) {
		why = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		why = "not a regular file: refused";
	} else if (st.st_uid == geteuid()) {
		/* Ours: exactly the mode (and group) it should have; the umask may have cut it. */
		if (grouped && st.st_gid != gid && fchown(fd, (uid_t)-1, gid) != 0)
			why = "cannot give it to the lock group";
		else if ((st.st_mode & 07777) != want && fchmod(fd, want) != 0)
			why = "cannot set its mode";
	} else if (grouped && st.st_gid == gid) {
		/* Another user's, of the group: taken when nobody outside the group may open it. */
		if (st.st_mode & (S_IRWXO | S_ISUID | S_ISGID)) {
			snprintf(detail, sizeof(detail), "mode %04o: open to others: refused",
				 (unsigned)(st.st_mode & 07777));
			why = detail;
		}
	} else {
		snprintf(detail, sizeof(detail), "owned by uid %u, not by us (uid %u)%s: refused",
			 (unsigned)st.st_uid, (unsigned)geteuid(),
			 grouped ? " nor of the lock group" : "");
		why = detail;
	}
	if (why) {
		close(fd);
		return lb_ctx_error(ctx, LB_E_PERM, "lock file %s: %s", path, why);
	}
	*out = fd;
	return LB_OK;
}

static int set_lock_file(struct lb_bus *bus, const char *path, uint32_t wait_ms, const char *group)
{
	if (!bus)
		return LB_E_INVAL;
	gid_t gid = 0;
	if (path && group && !group_id(group, &gid))
		return lb_ctx_error(bus->ctx, LB_E_PERM, "lock file %s: lock group '%s': no such group",
				    path, group);
	pthread_mutex_lock(&bus->mutex);
	if (bus->lock_depth || __atomic_load_n(&bus->claims_held, __ATOMIC_ACQUIRE)) {
		pthread_mutex_unlock(&bus->mutex);
		return LB_E_BUSY; /* in a sequence, or module claims sit next to the lock file */
	}
	/* A path that cannot be opened leaves the lock in force as it was. */
	int rc = LB_OK, fd = -1;
	char *copy = NULL;
	if (path) {
		rc = open_lock_file(bus->ctx, path, group != NULL, gid, &fd);
		if (rc == LB_OK && !(copy = strdup(path))) {
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
			bus->lock_grouped = group != NULL;
			bus->lock_gid = (unsigned)gid;
			lb_bus_invalidate(bus);
		}
	}
	pthread_mutex_unlock(&bus->mutex);
	return rc;
}

LB_API int lb_bus_set_lock_file(struct lb_bus *bus, const char *path, uint32_t wait_ms)
{
	return set_lock_file(bus, path, wait_ms, NULL);
}

LB_API int lb_bus_set_lock_file_group(struct lb_bus *bus, const char *path, uint32_t wait_ms,
				      const char *group)
{
	return set_lock_file(bus, path, wait_ms, group);
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
 * (a failed select write may still have landed). On a paged bus (optoe) the kernel selects
 * each access's page itself and writes PageSelect 0 back after it: any transfer there moves
 * the select under a raw user of the same module.
 */
static uint64_t change_mark(const struct lb_bus *bus)
{
	return bus->stats.select_writes + bus->stats.writes + bus->stats.errors +
	       (lb_bus_is_paged(bus) ? bus->stats.transactions : 0);
}

/*
 * flock belongs to the open file description, which a forked child shares with its parent:
 * the two would never exclude each other. A child opens the file afresh.
 */
static int reopen_after_fork(struct lb_bus *bus)
{
	if (bus->lock_pid == (long)getpid())
		return LB_OK;
	int fd;
	int rc = open_lock_file(bus->ctx, bus->lock_path, bus->lock_grouped, (gid_t)bus->lock_gid,
				&fd);
	if (rc)
		return rc;
	close(bus->lock_fd); /* the parent's description: closing it drops nothing of the parent's */
	bus->lock_fd = fd;
	bus->lock_pid = (long)getpid();
	lb_bus_invalidate(bus);
	return LB_OK;
}

/*
 * Who holds the flock on fd, from /proc/locks (the kernel's list: pid, device and inode of
 * each lock): "pid 4242 (user nobody)", several joined by ", "; empty when it cannot tell.
 */
static void lock_holders(int fd, char *out, size_t len)
{
	out[0] = 0;
	struct stat st;
	if (fstat(fd, &st) != 0)
		return;
	FILE *f = fopen("/proc/locks", "re");
	if (!f)
		return;
	char line[256];
	size_t at = 0;
	unsigned found = 0;
	while (found < 4 && fgets(line, sizeof(line), f)) {
		char kind[16];
		long pid;
		unsigned maj, min;
		unsigned long long ino;
		/* "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF"; a waiter's line has "->" */
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%llu", kind, &pid, &maj, &min, &ino) != 5 ||
		    strcmp(kind, "FLOCK") != 0 || maj != major(st.st_dev) || min != minor(st.st_dev) ||
		    ino != (unsigned long long)st.st_ino || pid == (long)getpid())
			continue;
		char proc[64], user[64] = "";
		struct stat ps;
		snprintf(proc, sizeof(proc), "/proc/%ld", pid);
		if (stat(proc, &ps) == 0) {
			char buf[4096];
			struct passwd pw, *pwp = NULL;
			if (getpwuid_r(ps.st_uid, &pw, buf, sizeof(buf), &pwp) == 0 && pwp)
				snprintf(user, sizeof(user), " (user %s)", pwp->pw_name);
			else
				snprintf(user, sizeof(user), " (uid %u)", (unsigned)ps.st_uid);
		}
		int n = snprintf(out + at, len - at, "%spid %ld%s", found ? ", " : "", pid, user);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
		found++;
	}
	fclose(f);
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
	bool waiting = false;
	for (;;) {
		if (flock(bus->lock_fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return lb_ctx_error(bus->ctx, LB_E_IO, "bus lock %s: %s", bus->lock_path,
					    strerror(errno));
		if (!waiting) { /* said at once, so that a person knows why nothing happens */
			char who[256];
			lock_holders(bus->lock_fd, who, sizeof(who));
			lb_log(bus->ctx, LB_LOG_WARN, "bus lock %s held by %s; waiting up to %u ms",
			       bus->lock_path, who[0] ? who : "another process", bus->lock_wait_ms);
			waiting = true;
		}
		if (monotonic_ns() - start >= (uint64_t)bus->lock_wait_ms * 1000000u) {
			char who[256];
			lock_holders(bus->lock_fd, who, sizeof(who));
			return lb_ctx_error(bus->ctx, LB_E_BUSY,
					    "bus lock %s held by %s for more than %u ms", bus->lock_path,
					    who[0] ? who : "another process", bus->lock_wait_ms);
		}
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
