/* SPDX-License-Identifier: MIT */
/* A platform: buses, cages and how front-panel ports reach them, from a JSON description. */
#ifndef LIGHTBRIDGE_PLATFORM_H
#define LIGHTBRIDGE_PLATFORM_H

#include <stdbool.h>
#include <lightbridge/common.h>
#include <lightbridge/ctx.h>
#include <lightbridge/bus.h>
#include <lightbridge/module.h>
#include <lightbridge/op.h>

LB_BEGIN_DECLS

struct lb_platform;

/*
 * Threads: a platform may be shared between threads once open: lb_platform_module,
 * lb_platform_sideband, lb_platform_check_present and the getters may be called from
 * several threads at once (a module handle itself is used by one thread at a time, see
 * module.h). lb_platform_close must not race with other calls.
 */

/**
 * Open a platform from a JSON file, or the embedded default emulated platform when path is
 * NULL. A bad file gives LB_E_PARSE (or LB_E_NOTFOUND, LB_E_RANGE) and "FILE: FIELD: reason"
 * in lb_ctx_last_error(). Opens every bus; modules are opened on first use.
 */
LB_API int lb_platform_open(struct lb_ctx *ctx, const char *path, struct lb_platform **out);
/** Same, from JSON text; origin names it in error messages. */
LB_API int lb_platform_open_json(struct lb_ctx *ctx, const char *json, const char *origin,
				 struct lb_platform **out);
/** Close every module and bus (emulated state is saved if the context has a state dir). NULL ok. */
LB_API void lb_platform_close(struct lb_platform *p);
/** The embedded default platform's JSON text. */
LB_API const char *lb_platform_default_json(void);

LB_API const char *lb_platform_name(const struct lb_platform *p);

/*
 * A front-panel port of the platform. Sized (include/lightbridge/common.h): set size
 * (LB_PORT_INFO_INIT) before lb_platform_port_at or lb_platform_port; the strings are the
 * platform's, valid while it is open.
 */
struct lb_port_info {
	size_t size;
	unsigned port;         /* front-panel port number */
	const char *name;      /* e.g. "Ethernet0" */
	const char *bus;       /* bus name */
	const char *cage;      /* cage form factor, e.g. "QSFP-DD" */
	struct lb_module_addr addr;
};
#define LB_PORT_INFO_SIZE_V1 LB_SIZE_THROUGH(struct lb_port_info, addr)
#define LB_PORT_INFO_INIT LB_SIZED_INIT(struct lb_port_info)
LB_API unsigned lb_platform_port_count(const struct lb_platform *p);
/** Port by index 0..count-1 (out sized). LB_E_INVAL: NULL, or out's size below V1. */
LB_API int lb_platform_port_at(const struct lb_platform *p, unsigned index,
			       struct lb_port_info *out);
/** Port by front-panel number (out sized); LB_E_NOTFOUND if the platform has no such port. */
LB_API int lb_platform_port(const struct lb_platform *p, unsigned port, struct lb_port_info *out);
/**
 * The module in a port (opened on first use, owned by the platform). LB_E_NOTFOUND: no such
 * port; LB_E_NODEV: the cage is empty. Presence is known from ModPrsL where the cage has a
 * sideband, else from the last access to the module (acknowledged: present, no bus traffic);
 * it is probed with a 1-byte read only on first use or after the module stopped answering.
 * A module pulled from a cage without a sideband is therefore noticed by the next call on
 * it (LB_E_NACK or LB_E_NODEV), then here; lb_platform_check_present asks at once.
 */
LB_API int lb_platform_module(struct lb_platform *p, unsigned port, struct lb_module **out);
/**
 * Probe presence now (ModPrsL, else a 1-byte read): *present. LB_OK whether present or not;
 * LB_E_NOTFOUND for no such port; a bus error that says nothing of presence otherwise.
 */
LB_API int lb_platform_check_present(struct lb_platform *p, unsigned port, bool *present);
LB_API unsigned lb_platform_bus_count(const struct lb_platform *p);
/** Bus by index; name may be NULL. */
LB_API int lb_platform_bus_at(const struct lb_platform *p, unsigned index, struct lb_bus **bus,
			      const char **name);
/** One port of lb_platform_bring_up: what to bring up (in) and how it went (out). */
struct lb_port_bringup {
	unsigned port;                   /* in: front-panel port number */
	uint32_t lane_mask;              /* in: host lanes, 0 = every lane of the application */
	uint8_t appsel;                  /* in: 1-15, 0 = the first application that fits */
	int status;                      /* out: LB_OK, or what ended this port's bring-up */
	struct lb_bringup_report report; /* out: elapsed on its bus's clock, deadline, reject code */
};
/** Progress of one port (see lb_progress_fn); called from that port's bus thread. */
typedef void (*lb_port_progress_fn)(void *user, unsigned port, const char *step, double fraction);
/**
 * Bring several ports up concurrently: one thread per bus, each stepping the bring-ups of its
 * ports from one loop (lb_bringup_step), so that the whole set takes about as long as its
 * slowest module plus its busiest bus's traffic. op (may be NULL) gives the deadline and the
 * cancel flag for every port; its progress callback is not used: progress (may be NULL)
 * receives each port's progress, from several threads at once (serialise in the callback).
 * Returns LB_OK when every port came up, else the first failing port's status (each port's
 * own status and report are in ports[]). Modules of these ports must not be used by other
 * threads meanwhile.
 */
LB_API int lb_platform_bring_up(struct lb_platform *p, struct lb_port_bringup *ports, unsigned n,
				const struct lb_op *op, lb_port_progress_fn progress, void *user);
/**
 * Two ports joined by a fibre path, as the platform file's top-level "links" say
 * (docs/link-paths.md, "Joining two ports"): on an emulated bus the two modules become an
 * emulated coherent link (lb_emu_link_create); on hardware the entry tells `lbctl link` which
 * port is at the far end and over which path. Sized (LB_PLATFORM_LINK_INIT); the strings
 * belong to the platform and live as long as it.
 */
#define LB_PLATFORM_LINK_MAX_MEDIA_MODES 8
struct lb_platform_link {
	size_t size;
	const char *name;  /* the entry's "name", or "PORTA-PORTB" */
	unsigned port_a, port_b;
	const char *path;  /* as the file gives it: a name of link/paths/ or a file name */
	/* "media_modes": applications (by media interface code) run as these line modes (ids of
	 * link/modes.json), before lb_line_mode_for_media_id's table. */
	unsigned media_mode_count;
	uint8_t media_id[LB_PLATFORM_LINK_MAX_MEDIA_MODES];
	const char *media_mode[LB_PLATFORM_LINK_MAX_MEDIA_MODES];
};
#define LB_PLATFORM_LINK_INIT LB_SIZED_INIT(struct lb_platform_link)
#define LB_PLATFORM_LINK_SIZE_V1 LB_SIZE_THROUGH(struct lb_platform_link, media_mode)
/** Links of the platform file. */
LB_API unsigned lb_platform_link_count(const struct lb_platform *p);
/** Link by index 0..count-1; LB_E_RANGE past the end, LB_E_INVAL for NULL or a bad size. */
LB_API int lb_platform_link_at(const struct lb_platform *p, unsigned index,
			       struct lb_platform_link *out);
/** The link with port at one of its ends; LB_E_NOTFOUND when the port is on none. */
LB_API int lb_platform_port_link(const struct lb_platform *p, unsigned port,
				 struct lb_platform_link *out);
/** Sum of the counters of every bus (out sized, as lb_bus_get_stats: LB_E_INVAL). */
LB_API int lb_platform_get_stats(const struct lb_platform *p, struct lb_bus_stats *out);

LB_END_DECLS
#endif
