/* SPDX-License-Identifier: MIT */
/* lbctl detect: the I2C adapters and USB-I2C bridges this machine has, as the bus drivers see them. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/detect.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl detect [--json] [--driver NAME]\n\n"
		"List the two-wire buses this machine has, as the bus drivers that reach them see\n"
		"them: Linux /dev/i2c-N adapters (linux-i2c: name from sysfs, functionality from\n"
		"I2C_FUNCS) and CP2112 USB-I2C bridges (cp2112: USB bus and port, serial number).\n"
		"OPTIONS is the driver's \"options\" object for a platform file's bus. Nothing is\n"
		"sent on any bus. --driver limits the list to one bus driver.\n"
		"Exit status: 0, also when nothing is found.\n");
	return LBCTL_EXIT_OK;
}

struct found_list {
	struct lb_bus_found *v;
	size_t n, cap;
};

static int collect(void *user, const struct lb_bus_found *bus)
{
	struct found_list *l = user;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct lb_bus_found *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return LB_E_NOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *bus;
	return 0;
}

static int print_json(struct lbctl *app, const struct found_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct lb_bus_found *b = &l->v[i];
		json_error_t jerr;
		json_t *opts = json_loads(b->options, 0, &jerr);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:b}", "driver", b->driver,
				      "device", b->device, "name", b->name, "serial", b->serial,
				      "details", b->details, "functionality", (json_int_t)b->functionality,
				      "max_transfer_bytes", (json_int_t)b->max_transfer, "usable", b->usable);
		json_object_set_new(o, "options", opts ? opts : json_string(b->options));
		json_object_set_new(o, "problem", b->problem[0] ? json_string(b->problem) : json_null());
		json_array_append_new(arr, o);
	}
	return lbctl_json_emit(app, json_pack("{s:o}", "buses", arr));
}

static void print_text(struct lbctl *app, const struct found_list *l)
{
	if (l->n == 0) {
		fprintf(app->out, "no I2C adapters or USB-I2C bridges found\n");
		return;
	}
	/* A bus takes a few lines, each inside the width: its name, then what to put in a platform
	 * file ("options"), its serial number, details and, when it cannot be used, why. */
	fprintf(app->out, "%-10s %-14s %s\n", "DRIVER", "DEVICE", "NAME");
	for (size_t i = 0; i < l->n; i++) {
		const struct lb_bus_found *b = &l->v[i];
		char text[1024];
		fprintf(app->out, "%-10s %-14s ", b->driver, b->device);
		lbctl_wrap(app, 26, 26, b->name[0] ? b->name : "-");
		snprintf(text, sizeof(text), "options %s", b->options);
		fprintf(app->out, "%11s", "");
		lbctl_wrap(app, 11, 19, text);
		if (b->serial[0]) {
			snprintf(text, sizeof(text), "serial %s", b->serial);
			fprintf(app->out, "%11s", "");
			lbctl_wrap(app, 11, 13, text);
		}
		if (b->details[0] || b->max_transfer) {
			char size[48] = "";
			if (b->max_transfer)
				snprintf(size, sizeof(size), "%s%u-byte messages", b->details[0] ? "; " : "",
					 b->max_transfer);
			snprintf(text, sizeof(text), "%s%s", b->details, size);
			fprintf(app->out, "%11s", "");
			lbctl_wrap(app, 11, 13, text);
		}
		if (!b->usable) {
			snprintf(text, sizeof(text), "not usable: %s", b->problem[0] ? b->problem : "?");
			fprintf(app->out, "%11s", "");
			lbctl_wrap(app, 11, 13, text);
		}
	}
}

int lbctl_cmd_detect(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = { { "driver", "NAME", 0 }, { NULL, NULL, 0 } };
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 0, 0, "no argument", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	const char *driver = cl.value[0];
	bool json = cl.json;
	struct found_list l = { 0 };
	int rc = lb_detect_buses(app->ctx, driver, collect, &l);
	if (rc < 0) {
		free(l.v);
		return lbctl_fail(app, rc, "detect%s%s", driver ? " --driver " : "", driver ? driver : "");
	}
	int code = LBCTL_EXIT_OK;
	if (json)
		code = print_json(app, &l);
	else
		print_text(app, &l);
	free(l.v);
	return code;
}
