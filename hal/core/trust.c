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
#include "hal/core/trust.h"

static int refuse(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
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
	if (!path || path[0] != '/')
		return refuse(why, len, "%s: not an absolute path", path ? path : "(null)");
	struct stat st;
	if (lstat(path, &st))
		return refuse(why, len, "%s: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return refuse(why, len, "%s: a symlink", path);
	if (is_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return refuse(why, len, "%s: not a %s", path, is_dir ? "directory" : "regular file");
	if (check_owner_mode(path, &st, false, why, len))
		return -1;
	/* Every directory above it, symlinks resolved: what the kernel walks through. */
	char real[PATH_MAX];
	if (!realpath(path, real))
		return refuse(why, len, "%s: %s", path, strerror(errno));
	for (char *slash = strrchr(real, '/'); slash; slash = strrchr(real, '/')) {
		if (slash == real)
			slash[1] = 0; /* "/" itself */
		else
			*slash = 0;
		if (stat(real, &st))
			return refuse(why, len, "%s: %s", real, strerror(errno));
		if (check_owner_mode(real, &st, true, why, len))
			return -1;
		if (slash == real)
			break;
	}
	return 0;
}

int lb_trust_open(const char *path, char *why, size_t len)
{
	if (lb_trust_path(path, false, why, len))
		return -1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return refuse(why, len, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || check_owner_mode(path, &st, false, why, len)) {
		if (!why[0])
			refuse(why, len, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}
