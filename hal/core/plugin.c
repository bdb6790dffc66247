/* SPDX-License-Identifier: MIT */
/* External drivers: shared objects loaded with dlopen and ABI-checked before registration. */
#include <dirent.h>
#include <stdbool.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/ctx.h>
#include "hal/core/ctx_internal.h"

#ifndef LB_PLUGINDIR
#define LB_PLUGINDIR "/usr/local/lib/lightbridge/plugins"
#endif

void lb_plugin_unload(void *dl_handle);
void lb_plugin_unload(void *dl_handle)
{
	dlclose(dl_handle);
}

LB_API int lb_ctx_load_plugin(struct lb_ctx *ctx, const char *path)
{
	if (!ctx || !path)
		return LB_E_INVAL;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "plugin %s: %s", path, dlerror());
	lb_driver_entry_fn entry;
	*(void **)&entry = dlsym(h, LB_DRIVER_ENTRY_SYMBOL);
	if (!entry) {
		dlclose(h);
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "plugin %s: no %s symbol", path,
				    LB_DRIVER_ENTRY_SYMBOL);
	}
	const struct lb_driver *drv = entry();
	if (!drv) {
		dlclose(h);
		return lb_ctx_error(ctx, LB_E_INVAL, "plugin %s: entry returned no driver", path);
	}
	if (drv->abi != LB_DRIVER_ABI || drv->size != sizeof(struct lb_driver)) {
		int rc = lb_ctx_error(ctx, LB_E_ABI,
				      "plugin %s: driver ABI %u (size %u) does not match the library's ABI %u (size %zu)",
				      path, drv->abi, drv->size, LB_DRIVER_ABI, sizeof(struct lb_driver));
		dlclose(h);
		return rc;
	}
	int rc = lb_ctx_register_driver(ctx, drv);
	if (rc) {
		dlclose(h);
		return rc;
	}
	ctx->drivers[ctx->n_drivers - 1].dl_handle = h;
	lb_log(ctx, LB_LOG_INFO, "plugin %s: driver %s loaded", path, drv->name);
	return LB_OK;
}

LB_API int lb_ctx_load_plugin_dir(struct lb_ctx *ctx, const char *dir)
{
	if (!ctx)
		return LB_E_INVAL;
	bool default_dir = !dir;
	if (!dir)
		dir = LB_PLUGINDIR;
	DIR *d = opendir(dir);
	if (!d && default_dir)
		return 0; /* no plugins installed */
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
