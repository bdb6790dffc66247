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
 * 0 when path may be trusted as a directory (is_dir) or a regular file; -1 with the reason
 * ("PATH: owned by uid 1000", "...: writable by others") in why otherwise.
 */
int lb_trust_path(const char *path, bool is_dir, char *why, size_t len);
/**
 * Open a trusted regular file for reading (O_NOFOLLOW), checking the open file itself too, so
 * nothing can be swapped in between: the fd, or -1 with the reason in why.
 */
int lb_trust_open(const char *path, char *why, size_t len);

#endif
