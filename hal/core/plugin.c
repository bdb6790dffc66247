/* SPDX-License-Identifier: MIT */
/*
 * External drivers: shared objects loaded with dlopen and ABI-checked before registration.
 * A plugin's constructors run at dlopen, before any check of ours can: so only files that may
 * be trusted with code are opened (hal/core/trust.c: owned by root or the effective user, no
 * writable-by-others directory on the way, no symlink), and the very file checked is the one
 * loaded (opened once, dlopen'd through /proc/self/fd).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>
#include <stdbool.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/ctx.h>
#include "hal/core/ctx_internal.h"
#include "hal/core/trust.h"

#ifndef LB_PLUGINDIR
#define LB_PLUGINDIR "/usr/local/lib/lightbridge/plugins"
#endif

void lb_plugin_unload(void *dl_handle);
void lb_plugin_unload(void *dl_handle)
{
	dlclose(dl_handle);
}

/* A plugin's list is cut here: a list this long has lost its NULL terminator. */
#define PLUGIN_MAX_DRIVERS 64

LB_API int lb_ctx_load_plugin(struct lb_ctx *ctx, const char *path)
{
	if (!ctx || !path)
		return LB_E_INVAL;
	char why[PATH_MAX + 128] = "";
	int fd;
	int trc = lb_trust_open(path, &fd, why, sizeof(why));
	if (trc)
		return lb_ctx_error(ctx, trc, "plugin %s: not loaded: %s", path, why);
	char fdpath[64];
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	void *h = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
	close(fd);
	if (!h)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "plugin %s: %s", path, dlerror());
	/* The list entry point first; a plugin of the single-driver form is a list of one. */
	const struct lb_driver *one[2] = { NULL, NULL };
	const struct lb_driver *const *list = NULL;
	lb_driver_entry_list_fn list_entry;
	*(void **)&list_entry = dlsym(h, LB_DRIVER_ENTRY_LIST_SYMBOL);
	if (list_entry) {
		list = list_entry();
	} else {
		lb_driver_entry_fn entry;
		*(void **)&entry = dlsym(h, LB_DRIVER_ENTRY_SYMBOL);
		if (!entry) {
			dlclose(h);
			return lb_ctx_error(ctx, LB_E_NOTFOUND, "plugin %s: no %s or %s symbol", path,
					    LB_DRIVER_ENTRY_LIST_SYMBOL, LB_DRIVER_ENTRY_SYMBOL);
		}
		one[0] = entry();
		list = one;
	}
	unsigned n = 0;
	while (list && n <= PLUGIN_MAX_DRIVERS && list[n])
		n++;
	if (n == 0) {
		dlclose(h);
		return lb_ctx_error(ctx, LB_E_INVAL, "plugin %s: entry returned no driver", path);
	}
	if (n > PLUGIN_MAX_DRIVERS) {
		dlclose(h);
		return lb_ctx_error(ctx, LB_E_INVAL,
				    "plugin %s: more than %d drivers (is the list NULL-terminated?)", path,
				    PLUGIN_MAX_DRIVERS);
	}
	struct lb_ctx_plugin *plugin = calloc(1, sizeof(*plugin));
	if (!plugin || !(plugin->path = strdup(path))) {
		free(plugin);
		dlclose(h);
		return LB_E_NOMEM;
	}
	plugin->dl_handle = h;
	/* All of the plugin's drivers, or none: then the handle is closed here. */
	int rc = lb_ctx_register_drivers(ctx, list, n, plugin);
	if (rc) {
		free(plugin->path);
		free(plugin);
		dlclose(h);
		return rc;
	}
	for (unsigned i = 0; i < n && list[i]; i++) /* non-NULL all n (counted so above) */
		lb_log(ctx, LB_LOG_INFO, "plugin %s: driver %s loaded", path, list[i]->name);
	return LB_OK;
}

LB_API int lb_ctx_load_plugin_dir(struct lb_ctx *ctx, const char *dir)
{
	if (!ctx)
		return LB_E_INVAL;
	bool default_dir = !dir;
	if (!dir)
		dir = LB_PLUGINDIR;
	if (default_dir && access(dir, F_OK) != 0)
		return 0; /* no plugins installed */
	char why[PATH_MAX + 128] = "";
	int trc = lb_trust_path(dir, true, why, sizeof(why));
	if (trc)
		return lb_ctx_error(ctx, trc, "plugin directory %s: not used: %s", dir, why);
	DIR *d = opendir(dir);
	if (!d)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "plugin directory %s: cannot open", dir);
	int loaded = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 4 || strcmp(e->d_name + n - 3, ".so") != 0)
			continue;
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lb_ctx_load_plugin(ctx, path) == LB_OK)
			loaded++;
	}
	closedir(d);
	return loaded;
}
