/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lightbridge/status.h>
#include "hal/core/trust.h"

/* LB_E_PERM with the reason in why. */
static int refuse(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return LB_E_PERM;
}

/* A failed system call on path: LB_E_NOTFOUND for a missing one, LB_E_PERM otherwise. */
static int sys_fail(char *why, size_t len, const char *path, int err)
{
	refuse(why, len, "%s: %s", path, strerror(err));
	return err == ENOENT || err == ENOTDIR ? LB_E_NOTFOUND : LB_E_PERM;
}

/* One object on the way: owned by root or us; not writable by others (sticky dirs aside). */
static int check_owner_mode(const char *what, const struct stat *st, bool on_the_way, char *why,
			    size_t len)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return refuse(why, len, "%s: owned by uid %u, neither root nor uid %u", what,
			      (unsigned)st->st_uid, (unsigned)geteuid());
	bool sticky_dir = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);
	if ((st->st_mode & 022) && !(on_the_way && sticky_dir))
		return refuse(why, len, "%s: writable by %s", what,
			      (st->st_mode & 002) ? "others" : "its group");
	return 0;
}

int lb_trust_path(const char *path, bool is_dir, char *why, size_t len)
{
	why[0] = 0;
	if (!path || path[0] != '/')
		return refuse(why, len, "%s: not an absolute path", path ? path : "(null)");
	struct stat st;
	if (lstat(path, &st))
		return sys_fail(why, len, path, errno);
	if (S_ISLNK(st.st_mode))
		return refuse(why, len, "%s: a symlink", path);
	if (is_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return refuse(why, len, "%s: not a %s", path, is_dir ? "directory" : "regular file");
	if (check_owner_mode(path, &st, false, why, len))
		return LB_E_PERM;
	/* Every directory above it, symlinks resolved: what the kernel walks through. */
	char real[PATH_MAX];
	if (!realpath(path, real))
		return sys_fail(why, len, path, errno);
	for (char *slash = strrchr(real, '/'); slash; slash = strrchr(real, '/')) {
		if (slash == real)
			slash[1] = 0; /* "/" itself */
		else
			*slash = 0;
		if (stat(real, &st))
			return sys_fail(why, len, real, errno);
		if (check_owner_mode(real, &st, true, why, len))
			return LB_E_PERM;
		if (slash == real)
			break;
	}
	return LB_OK;
}

int lb_trust_open(const char *path, int *fd, char *why, size_t len)
{
	*fd = -1;
	int rc = lb_trust_path(path, false, why, len);
	if (rc)
		return rc;
	int f = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (f < 0)
		return sys_fail(why, len, path, errno);
	struct stat st;
	if (fstat(f, &st) || !S_ISREG(st.st_mode) || check_owner_mode(path, &st, false, why, len)) {
		if (!why[0])
			refuse(why, len, "%s: not a regular file", path);
		close(f);
		return LB_E_PERM;
	}
	*fd = f;
	return LB_OK;
}
