/* SPDX-License-Identifier: MIT */
/*
 * The FUSE file system (libfuse3 high-level API, single-threaded loop, and a mutex around every
 * callback all the same):
 *   /platform.json        a platform whose buses use the optoe driver on the files below
 *   /<port>/eeprom        optoe linear layout (the kernel driver's view), read-write
 *   /<port>/i2c           the raw 256-byte window: offset = byte address, no page select
 *   /<port>/present       "1" or "0"; write 0 to pull the module, 1 to plug it back
 *   /<port>/banking       the bank layout eeprom serves ("optoe\n", "sonic\n", "none\n"), read-only
 * Every file is direct I/O: each read or write reaches the emulated module.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tools/lb-emud/emud.h"

enum emud_file { F_NONE, F_ROOT, F_PLATFORM, F_PORTDIR, F_EEPROM, F_I2C, F_PRESENT, F_BANKING };

static struct emud *ctx_emud(void)
{
	return fuse_get_context()->private_data;
}

static enum emud_file lookup(struct emud *d, const char *path, struct emud_port **port)
{
	*port = NULL;
	if (strcmp(path, "/") == 0)
		return F_ROOT;
	if (strcmp(path, "/platform.json") == 0)
		return F_PLATFORM;
	char *end;
	unsigned long n = strtoul(path + 1, &end, 10);
	if (end == path + 1)
		return F_NONE;
	for (unsigned i = 0; i < d->n_ports; i++)
		if (d->ports[i].number == n)
			*port = &d->ports[i];
	if (!*port)
		return F_NONE;
	if (*end == 0)
		return F_PORTDIR;
	if (strcmp(end, "/eeprom") == 0)
		return F_EEPROM;
	if (strcmp(end, "/i2c") == 0)
		return F_I2C;
	if (strcmp(end, "/present") == 0)
		return F_PRESENT;
	if (strcmp(end, "/banking") == 0)
		return F_BANKING;
	return F_NONE;
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->direct_io = 1;       /* no page cache: every access reaches the module */
	cfg->kernel_cache = 0;
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	cfg->use_ino = 0;
	return ctx_emud();
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	struct emud *d = ctx_emud();
	struct emud_port *p;
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&d->lock);
	enum emud_file f = lookup(d, path, &p);
	int rc = 0;
	st->st_nlink = 1;
	/* The files are the mounting user's: with default_permissions the modes mean what they say. */
	st->st_uid = getuid();
	st->st_gid = getgid();
	switch (f) {
	case F_ROOT:
	case F_PORTDIR:
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		break;
	case F_PLATFORM:
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)d->platform_json_len;
		break;
	case F_EEPROM:
		st->st_mode = S_IFREG | 0644;
		st->st_size = emud_eeprom_size(d, p);
		break;
	case F_I2C:
		st->st_mode = S_IFREG | 0600;
		st->st_size = 256;
		break;
	case F_PRESENT:
		st->st_mode = S_IFREG | 0644;
		st->st_size = 2;
		break;
	case F_BANKING:
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)strlen(lb_optoe_banking_name(d->banking)) + 1;
		break;
	default:
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&d->lock);
	return rc;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	struct emud *d = ctx_emud();
	struct emud_port *p;
	pthread_mutex_lock(&d->lock);
	enum emud_file f = lookup(d, path, &p);
	int rc = 0;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	if (f == F_ROOT) {
		fill(buf, "platform.json", NULL, 0, 0);
		for (unsigned i = 0; i < d->n_ports; i++) {
			char n[16];
			snprintf(n, sizeof(n), "%u", d->ports[i].number);
			fill(buf, n, NULL, 0, 0);
		}
	} else if (f == F_PORTDIR) {
		fill(buf, "eeprom", NULL, 0, 0);
		fill(buf, "i2c", NULL, 0, 0);
		fill(buf, "present", NULL, 0, 0);
		fill(buf, "banking", NULL, 0, 0);
	} else {
		rc = -ENOTDIR;
	}
	pthread_mutex_unlock(&d->lock);
	return rc;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	struct emud *d = ctx_emud();
	struct emud_port *p;
	pthread_mutex_lock(&d->lock);
	enum emud_file f = lookup(d, path, &p);
	pthread_mutex_unlock(&d->lock);
	if (f == F_NONE)
		return -ENOENT;
	if (f == F_ROOT || f == F_PORTDIR)
		return -EISDIR;
	if ((f == F_PLATFORM || f == F_BANKING) && (fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->nonseekable = 0;
	return 0;
}

static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)size;
	(void)fi;
	struct emud *d = ctx_emud();
	struct emud_port *p;
	pthread_mutex_lock(&d->lock);
	enum emud_file f = lookup(d, path, &p);
	pthread_mutex_unlock(&d->lock);
	/* An EEPROM has a fixed size: O_TRUNC and truncate are accepted and change nothing. */
	return f == F_EEPROM || f == F_I2C || f == F_PRESENT ? 0 : f == F_NONE ? -ENOENT : -EACCES;
}

/* A read of a small text file: the bytes of text from off. */
static long read_text(char *buf, size_t size, off_t off, const char *text, size_t len)
{
	if (off < 0 || off >= (off_t)len)
		return 0;
	size_t n = len - (size_t)off;
	if (n > size)
		n = size;
	memcpy(buf, text + off, n);
	return (long)n;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)fi;
	struct emud *d = ctx_emud();
	struct emud_port *p;
	long rc;
	char t[16];
	pthread_mutex_lock(&d->lock);
	switch (lookup(d, path, &p)) {
	case F_PLATFORM:
		rc = read_text(buf, size, off, d->platform_json, d->platform_json_len);
		break;
	case F_EEPROM:
		rc = emud_eeprom_read(d, p, buf, size, off);
		break;
	case F_I2C:
		rc = emud_i2c_read(d, p, buf, size, off);
		break;
	case F_PRESENT:
		snprintf(t, sizeof(t), "%c\n", lb_emu_module_present(p->module) ? '1' : '0');
		rc = read_text(buf, size, off, t, strlen(t));
		break;
	case F_BANKING:
		snprintf(t, sizeof(t), "%s\n", lb_optoe_banking_name(d->banking));
		rc = read_text(buf, size, off, t, strlen(t));
		break;
	default:
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&d->lock);
	return (int)rc;
}

static int fs_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	(void)fi;
	struct emud *d = ctx_emud();
	struct emud_port *p;
	long rc;
	pthread_mutex_lock(&d->lock);
	switch (lookup(d, path, &p)) {
	case F_EEPROM:
		rc = emud_eeprom_write(d, p, buf, size, off);
		break;
	case F_I2C:
		rc = emud_i2c_write(d, p, buf, size, off);
		break;
	case F_PRESENT:
		emud_catch_up(d);
		if (size && buf[0] == '0')
			lb_emu_module_remove(p->module);
		else if (size && buf[0] == '1')
			lb_emu_module_insert(p->module);
		rc = size ? (long)size : 0;
		break;
	case F_PLATFORM:
	case F_BANKING:
		rc = -EACCES;
		break;
	default:
		rc = -ENOENT;
	}
	pthread_mutex_unlock(&d->lock);
	return (int)rc;
}

static const struct fuse_operations emud_ops = {
	.init = fs_init,
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.truncate = fs_truncate,
	.read = fs_read,
	.write = fs_write,
};

int emud_serve(struct emud *d, bool allow_other, bool debug)
{
	char *argv[6];
	int argc = 0;
	argv[argc++] = (char *)"lb-emud";
	/*
	 * default_permissions: the kernel checks every access against the modes above, so with
	 * allow_other the other users may read the EEPROM files and platform.json, and nothing
	 * else: pulling a module (present), writing an EEPROM or the raw i2c window stay the
	 * mounting user's.
	 */
	argv[argc++] = (char *)"-ofsname=lb-emud,subtype=lb-emud,default_permissions";
	if (allow_other)
		argv[argc++] = (char *)"-oallow_other";
	if (debug)
		argv[argc++] = (char *)"-d";
	argv[argc] = NULL;
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse *f = fuse_new(&args, &emud_ops, sizeof(emud_ops), d);
	fuse_opt_free_args(&args);
	if (!f)
		return -1;
	int rc = -1;
	if (fuse_mount(f, d->mount) == 0) {
		struct fuse_session *se = fuse_get_session(f);
		if (fuse_set_signal_handlers(se) == 0) {
			fprintf(stderr, "lb-emud: serving %u port%s of %s at %s\n", d->n_ports,
				d->n_ports == 1 ? "" : "s", d->platform_name, d->mount);
			rc = fuse_loop(f); /* returns on SIGINT, SIGTERM, SIGHUP or an unmount */
			if (rc > 0)
				rc = 0; /* ended by a signal: a clean stop */
			fuse_remove_signal_handlers(se);
		}
		fuse_unmount(f);
	}
	fuse_destroy(f);
	return rc;
}
