/* SPDX-License-Identifier: MIT */
/*
 * Claims of modules (claim.h). The claim file of a module is the bus's lock file path +
 * ".<route>" (".50", ".70-3-50", ".70-3.71-0-50": mux address-channel hops, then the module's
 * address, in hex), in the lock file's directory, opened O_NOFOLLOW and trusted only when it
 * is a regular file owned by us (or root) that nobody else may write; created 0600. Its holder
 * keeps an exclusive flock on it and writes "<pid>\n<reason>\n" into it; a checker tests with a
 * shared, non-blocking flock (taken and dropped at once), so a claim is seen exactly as long as
 * its holder's process keeps it: the kernel drops the flock when the process ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hal/bus/bus_internal.h"
#include "hal/bus/claim.h"
#include "hal/core/ctx_internal.h"

struct lb_bus_claim {
	struct lb_module_addr where;
	const void *holder;
	char reason[LB_BUS_CLAIM_REASON];
	int fd; /* the claim file, flocked exclusively; -1: in-process only */
};

/* claims_mutex held. */
static struct lb_bus_claim *find_claim(struct lb_bus *bus, const struct lb_module_addr *where)
{
	for (unsigned i = 0; i < bus->n_claims; i++)
		if (lb_bus_same_route(&bus->claims[i].where, where))
			return &bus->claims[i];
	return NULL;
}

/* "module 0x50", "module 0x50 behind mux 0x70 channel 3 (and mux 0x71 channel 0)". */
static void route_text(const struct lb_module_addr *w, char *out, size_t len)
{
	int n = snprintf(out, len, "module 0x%02x", w->addr);
	if (w->mux_channel >= 0 && n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, " behind mux 0x%02x channel %d", w->mux_addr,
			      w->mux_channel);
	if (w->mux_channel >= 0 && w->mux2_addr && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, ", mux 0x%02x channel %d", w->mux2_addr,
			 w->mux2_channel);
}

/*
 * claims_mutex held. The claim file's path: 1, or 0 when claims are in-process only (no lock
 * file), or LB_E_RANGE (with the detail) when the path would not fit.
 */
static int claim_path(const struct lb_bus *bus, const struct lb_module_addr *w, char *out,
		      size_t len)
{
	if (!bus->claim_base)
		return 0;
	int n;
	if (w->mux_channel < 0)
		n = snprintf(out, len, "%s.%02x", bus->claim_base, w->addr);
	else if (!w->mux2_addr)
		n = snprintf(out, len, "%s.%02x-%d-%02x", bus->claim_base, w->mux_addr,
			     w->mux_channel, w->addr);
	else
		n = snprintf(out, len, "%s.%02x-%d.%02x-%d-%02x", bus->claim_base, w->mux_addr,
			     w->mux_channel, w->mux2_addr, w->mux2_channel, w->addr);
	if (n > 0 && (size_t)n < len)
		return 1;
	return lb_ctx_error(bus->ctx, LB_E_RANGE, "claim file next to %s: path too long",
			    bus->claim_base);
}

/*
 * Open a claim file (create: if missing, 0600). LB_OK with *fd; LB_E_NOTFOUND when it does not
 * exist and create is false; LB_E_PERM when it may not be trusted; LB_E_IO otherwise.
 */
static int open_claim_file(struct lb_ctx *ctx, const char *path, bool create, int *fd)
{
	*fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | (create ? O_CREAT : 0), 0600);
	if (*fd < 0) {
		if (errno == ENOENT && !create)
			return LB_E_NOTFOUND;
		int rc = errno == EACCES || errno == ELOOP || errno == EPERM ? LB_E_PERM : LB_E_IO;
		return lb_ctx_error(ctx, rc, "claim file %s: %s", path,
				    errno == ELOOP ? "is a symbolic link" : strerror(errno));
	}
	struct stat st;
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != geteuid() && st.st_uid != 0) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(*fd);
		*fd = -1;
		return lb_ctx_error(ctx, LB_E_PERM,
				    "claim file %s: not a regular file of ours that only we may write",
				    path);
	}
	return LB_OK;
}

/* What a claim file says of its holder: "<reason> (pid N)", printable ASCII only. */
static void read_holder(int fd, char *out, size_t len)
{
	char buf[LB_BUS_CLAIM_REASON + 32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	char *nl = strchr(buf, '\n');
	long pid = strtol(buf, NULL, 10);
	const char *reason = nl ? nl + 1 : "";
	char *end = strchr(nl ? nl + 1 : buf, '\n');
	if (end)
		*end = 0;
	for (char *p = (char *)reason; *p; p++)
		if (*p < 0x20 || *p > 0x7E)
			*p = '?';
	if (out && len)
		snprintf(out, len, "%s (pid %ld)", *reason ? reason : "claimed", pid);
}

/*
 * Whether another process (or another bus object of this one) holds the module's claim file,
 * tested through the probe's descriptor. claims_mutex held. LB_OK with *held.
 */
static int test_claim_file(struct lb_bus *bus, const struct lb_module_addr *w,
			   struct lb_bus_claim_probe *probe, bool *held, char *reason, size_t len)
{
	*held = false;
	char path[PATH_MAX + 32];
	int have = claim_path(bus, w, path, sizeof(path));
	if (have <= 0)
		return have;
	if (probe->fd >= 0 && (probe->pid != (long)getpid() || probe->gen != bus->claim_gen))
		lb_bus_claim_probe_close(probe);
	if (probe->fd < 0) {
		int rc = open_claim_file(bus->ctx, path, false, &probe->fd);
		if (rc == LB_E_NOTFOUND)
			return LB_OK; /* never claimed */
		if (rc)
			return rc;
		probe->pid = (long)getpid();
		probe->gen = bus->claim_gen;
	}
	if (flock(probe->fd, LOCK_SH | LOCK_NB) == 0) {
		flock(probe->fd, LOCK_UN);
		return LB_OK;
	}
	if (errno != EWOULDBLOCK)
		return lb_ctx_error(bus->ctx, LB_E_IO, "claim file %s: %s", path, strerror(errno));
	*held = true;
	read_holder(probe->fd, reason, len);
	return LB_OK;
}

void lb_bus_claim_probe_close(struct lb_bus_claim_probe *p)
{
	/* A forked child closes its copy of the parent's descriptor only: the parent keeps it. */
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

/*
 * Take the claim file: an exclusive flock, then our pid and reason into it. A shared flock
 * held for a moment by a checker (another process asking) is waited out; an exclusive one
 * means another holder.
 */
static int take_claim_file(struct lb_bus *bus, const char *path, const char *reason,
			   const char *route, int *out)
{
	int fd, rc = open_claim_file(bus->ctx, path, true, &fd);
	if (rc)
		return rc;
	for (unsigned tries = 0;; tries++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EWOULDBLOCK && flock(fd, LOCK_SH | LOCK_NB) == 0) {
			flock(fd, LOCK_UN); /* only checkers have it: they let go at once */
			if (tries < 100000) {
				sched_yield();
				continue;
			}
		}
		int err = errno;
		char who[LB_BUS_CLAIM_REASON + 32];
		read_holder(fd, who, sizeof(who));
		close(fd);
		if (err != EWOULDBLOCK && err != 0)
			return lb_ctx_error(bus->ctx, LB_E_IO, "claim file %s: %s", path, strerror(err));
		return lb_ctx_error(bus->ctx, LB_E_BUSY, "%s: claimed: %s", route, who);
	}
	char text[LB_BUS_CLAIM_REASON + 32];
	int n = snprintf(text, sizeof(text), "%ld\n%s\n", (long)getpid(), reason);
	if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n) {
		int err = errno;
		flock(fd, LOCK_UN);
		close(fd);
		return lb_ctx_error(bus->ctx, LB_E_IO, "claim file %s: %s", path, strerror(err));
	}
	*out = fd;
	return LB_OK;
}

/* The reason as kept: at most LB_BUS_CLAIM_REASON - 1 bytes, printable ASCII. */
static void keep_reason(char *out, const char *reason)
{
	snprintf(out, LB_BUS_CLAIM_REASON, "%s", reason && *reason ? reason : "claimed");
	for (char *p = out; *p; p++)
		if (*p < 0x20 || *p > 0x7E)
			*p = '?';
}

int lb_bus_claim(struct lb_bus *bus, const struct lb_module_addr *where, const void *holder,
		 const char *reason)
{
	char route[96];
	route_text(where, route, sizeof(route));
	int rc = lb_bus_lock(bus);
	if (rc)
		return rc;
	pthread_mutex_lock(&bus->claims_mutex);
	struct lb_bus_claim *c = find_claim(bus, where);
	if (c) {
		rc = c->holder == holder
			     ? lb_ctx_error(bus->ctx, LB_E_STATE, "%s: already claimed by this handle", route)
			     : lb_ctx_error(bus->ctx, LB_E_BUSY, "%s: claimed: %s", route, c->reason);
		goto out;
	}
	if (bus->n_claims == bus->cap_claims) {
		unsigned cap = bus->cap_claims ? 2 * bus->cap_claims : 4;
		struct lb_bus_claim *p = realloc(bus->claims, cap * sizeof(*p));
		if (!p) {
			rc = LB_E_NOMEM;
			goto out;
		}
		bus->claims = p;
		bus->cap_claims = cap;
	}
	struct lb_bus_claim claim = { .where = *where, .holder = holder, .fd = -1 };
	keep_reason(claim.reason, reason);
	char path[PATH_MAX + 32];
	int have = claim_path(bus, where, path, sizeof(path));
	if (have < 0 || (have && (rc = take_claim_file(bus, path, claim.reason, route, &claim.fd)))) {
		rc = have < 0 ? have : rc;
		goto out;
	}
	bus->claims[bus->n_claims++] = claim;
	__atomic_add_fetch(&bus->claims_held, 1, __ATOMIC_RELEASE);
out:
	pthread_mutex_unlock(&bus->claims_mutex);
	lb_bus_unlock(bus);
	return rc;
}

/* claims_mutex held. */
static void drop_claim(struct lb_bus *bus, struct lb_bus_claim *c)
{
	if (c->fd >= 0) {
		/* An empty file says "nobody" to a reader that does not flock; the flock is what counts. */
		int r = ftruncate(c->fd, 0);
		(void)r;
		flock(c->fd, LOCK_UN);
		close(c->fd);
	}
	*c = bus->claims[--bus->n_claims];
	__atomic_sub_fetch(&bus->claims_held, 1, __ATOMIC_RELEASE);
}

int lb_bus_unclaim(struct lb_bus *bus, const struct lb_module_addr *where, const void *holder)
{
	pthread_mutex_lock(&bus->claims_mutex);
	struct lb_bus_claim *c = find_claim(bus, where);
	int rc = LB_E_STATE;
	if (c && c->holder == holder) {
		drop_claim(bus, c);
		rc = LB_OK;
	}
	pthread_mutex_unlock(&bus->claims_mutex);
	return rc;
}

int lb_bus_claim_state(struct lb_bus *bus, const struct lb_module_addr *where, const void *holder,
		       struct lb_bus_claim_probe *probe, char *reason, size_t len)
{
	if (reason && len)
		reason[0] = 0;
	pthread_mutex_lock(&bus->claims_mutex);
	int rc = LB_CLAIM_NONE;
	const struct lb_bus_claim *c = find_claim(bus, where);
	if (c) {
		rc = c->holder == holder ? LB_CLAIM_OWN : LB_CLAIM_OTHER;
		if (reason && len)
			snprintf(reason, len, "%s", c->reason);
	} else {
		bool held;
		int trc = test_claim_file(bus, where, probe, &held, reason, len);
		rc = trc ? trc : held ? LB_CLAIM_OTHER : LB_CLAIM_NONE;
	}
	pthread_mutex_unlock(&bus->claims_mutex);
	return rc;
}

int lb_bus_claim_check(struct lb_bus *bus, const struct lb_module_addr *where,
		       const void *holder, struct lb_bus_claim_probe *probe)
{
	/* Nothing claimed here and no other process to ask: the common case costs nothing. */
	if (!__atomic_load_n(&bus->claims_held, __ATOMIC_ACQUIRE) && bus->lock_fd < 0)
		return LB_OK;
	char who[LB_BUS_CLAIM_REASON + 32], route[96];
	pthread_mutex_lock(&bus->claims_mutex);
	int rc = LB_OK;
	const struct lb_bus_claim *c = find_claim(bus, where);
	if (c) {
		if (c->holder != holder) {
			snprintf(who, sizeof(who), "%s", c->reason);
			rc = LB_E_BUSY;
		}
	} else {
		bool held;
		rc = test_claim_file(bus, where, probe, &held, who, sizeof(who));
		if (rc == LB_OK && held)
			rc = LB_E_BUSY;
	}
	pthread_mutex_unlock(&bus->claims_mutex);
	if (rc == LB_E_BUSY) {
		route_text(where, route, sizeof(route));
		lb_ctx_error(bus->ctx, LB_E_BUSY, "%s: claimed: %s", route, who);
	}
	return rc;
}

void lb_bus_claims_free(struct lb_bus *bus)
{
	pthread_mutex_lock(&bus->claims_mutex);
	while (bus->n_claims)
		drop_claim(bus, &bus->claims[bus->n_claims - 1]);
	free(bus->claims);
	bus->claims = NULL;
	bus->cap_claims = 0;
	free(bus->claim_base);
	bus->claim_base = NULL;
	pthread_mutex_unlock(&bus->claims_mutex);
}
