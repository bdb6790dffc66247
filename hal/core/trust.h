/* SPDX-License-Identifier: MIT */
/*
 * Whether a file or directory may be trusted to hold code run as the current user (root, for
 * lbctl and lb-emud): an absolute path whose every component, after resolving symlinks, is
 * owned by root or the effective user and not writable by group or others (a sticky
 * directory such as /tmp is accepted on the way, since only the owner of an entry may move
 * it); the file itself is no symlink.
 */
#ifndef LB_HAL_CORE_TRUST_H
#define LB_HAL_CORE_TRUST_H

#include <stdbool.h>
#include <stddef.h>

/**
 * LB_OK when path may be trusted as a directory (is_dir) or a regular file; LB_E_NOTFOUND
 * when it does not exist, LB_E_PERM when it may not be trusted, with the reason ("PATH:
 * owned by uid 1000", "...: writable by others") in why.
 */
int lb_trust_path(const char *path, bool is_dir, char *why, size_t len);
/**
 * Open a trusted regular file for reading (O_NOFOLLOW), checking the open file itself too, so
 * nothing can be swapped in between: LB_OK and *fd, or a status as lb_trust_path's.
 */
int lb_trust_open(const char *path, int *fd, char *why, size_t len);

#endif
