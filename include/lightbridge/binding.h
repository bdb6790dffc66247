/* SPDX-License-Identifier: MIT */
/*
 * Port <-> module binding on a platform: an ASIC port on a front-panel port's lanes drives the
 * module in that port's cage. Binding brings the module up on the application whose host
 * interface runs the ASIC port's speed over its lanes (lb_module_find_app, the choice a NOS
 * makes) and, on a coherent module, whose line runs that speed too (its line mode's net rate:
 * 400G takes a 400ZR/ZR+ application, never ZR300 behind the same 400GAUI-8 host side),
 * through the steppable bring-up (lightbridge/bringup.h). A vendor line mode configured on a
 * coherent module (lb_module_select_line_mode: a PCS mode running the application's lanes at
 * another modulation) stays when it carries the speed, and is left for the application's own
 * when it does not. The port's operational
 * state seen through the platform (lb_platform_asic_port_oper) is the ASIC's own, held down
 * while the module is not carrying the port: the cage empty, the module not ready, the data
 * path on the port's host lanes not activated, or the optical link not delivering a signal
 * the module locks to (Rx LOS or LOL on the module's media lanes, which is what a link whose
 * ends run different line modes gives at both ends).
 *
 * Lanes: the ASIC port on lanes first .. first + n - 1 of a front-panel port whose ASIC
 * lanes start at fp_first uses the module's host lanes first - fp_first + 1 .. + n (bit i of
 * a lane mask = host lane i + 1), so a breakout maps each ASIC port to its own data path.
 *
 * Threads: as the platform's modules (platform.h): a module is used by one thread at a time,
 * so one port's binding calls are not made from two threads at once; the switch calls take
 * the switch's lock. Errors: a status, with the detail in lb_ctx_last_error.
 */
#ifndef LIGHTBRIDGE_BINDING_H
#define LIGHTBRIDGE_BINDING_H

#include <stdint.h>
#include <lightbridge/asic.h>
#include <lightbridge/bringup.h>
#include <lightbridge/common.h>
#include <lightbridge/module.h>
#include <lightbridge/op.h>
#include <lightbridge/platform.h>

LB_BEGIN_DECLS

/* Why a bound port is down: the first of these that holds, in this order. */
enum lb_port_down_reason {
	LB_PORT_DOWN_NONE = 0,           /* up */
	LB_PORT_DOWN_ADMIN = 1,          /* the ASIC port is admin down */
	LB_PORT_DOWN_MODULE_ABSENT = 2,  /* the cage is empty (lb_platform_check_present: on a cage
					  * without ModPrsL, nothing answers a probe there) */
	LB_PORT_DOWN_MODULE_ERROR = 3,   /* a module read failed, the cage not empty
					  * (module_status says how) */
	LB_PORT_DOWN_MODULE_NOT_READY = 4, /* module state not ModuleReady (module_state) */
	LB_PORT_DOWN_DATAPATH = 5,       /* a host lane of the port not DPActivated (dp_state) */
	LB_PORT_DOWN_LINK_LOS = 6,       /* the module receives no light (Rx LOS) */
	LB_PORT_DOWN_LINK_LOL = 7,       /* light, but no lock (Rx LOL): e.g. the far end runs
					  * another line mode */
	LB_PORT_DOWN_ASIC = 8,           /* the ASIC's own reason (asic_reason) */
	/* The link locks but does not close: a coherent module's line FEC leaves uncorrectable
	 * frames (its C-CMIS uncorrectable-frames flag, 33h:128+n-1 bit 2, holds on a media lane
	 * of the port: rx_uncorrectable). Comes after LOS and LOL, before the ASIC's reason.
	 * Appended: an order of precedence, not of value. */
	LB_PORT_DOWN_LINK_ERRORS = 9,
};
/** "admin-down", "module-absent", "module-error", "module-not-ready", "datapath-down",
 *  "link-los", "link-lol", "asic", "fec-uncorrectable", "" for none; "?" otherwise. */
LB_API const char *lb_port_down_reason_name(enum lb_port_down_reason reason);

#define LB_PORT_LINE_MODE_LEN 48 /* a line mode id with its NUL (LB_LINK_ID_LEN) */

/* An ASIC port's state through the platform (lb_platform_asic_port_oper). Sized. */
struct lb_port_oper {
	size_t size;
	unsigned port;                   /* the front-panel port whose lanes hold the ASIC port */
	enum lb_asic_oper oper;          /* up only when every layer is */
	enum lb_port_down_reason reason; /* LB_PORT_DOWN_NONE when up */
	enum lb_asic_down_reason asic_reason; /* the ASIC's own (LB_ASIC_DOWN_NONE: it is up) */
	int module_status;               /* LB_OK, or the status of the module read that failed */
	int module_state;                /* enum lb_module_state as read; 0 unread */
	uint8_t dp_state;                /* of the first host lane not activated, else DPActivated;
					  * 0 unread */
	uint8_t appsel;                  /* active AppSel on the port's first host lane; 0 none */
	uint32_t host_lane_mask;         /* the module's host lanes of the ASIC port */
	uint32_t rx_los, rx_lol;         /* the port's media lanes with Rx LOS / LOL now (bit i =
					  * lane i + 1; see lb_platform_asic_port_oper) */
	/* A coherent module's line mode in force on the port's host lanes when it is not the
	 * application's own (a vendor's PCS mode, lb_module_select_line_mode), else "". */
	char line_mode[LB_PORT_LINE_MODE_LEN];
	/* V2: the port's media lanes whose uncorrectable-frames flag holds now (a coherent
	 * module's C-CMIS 33h, read only when the port is otherwise up; bit i = lane i + 1). */
	uint32_t rx_uncorrectable;
};
#define LB_PORT_OPER_INIT LB_SIZED_INIT(struct lb_port_oper)
#define LB_PORT_OPER_SIZE_V1 LB_SIZE_THROUGH(struct lb_port_oper, line_mode)
#define LB_PORT_OPER_SIZE_V2 LB_SIZE_THROUGH(struct lb_port_oper, rx_uncorrectable)

/**
 * The front-panel port whose ASIC lanes hold ASIC port asic_port, and the module's host lanes
 * of it (see the top of this file). LB_E_NOTFOUND: no such ASIC port, or it is on no
 * front-panel port's lanes; LB_E_RANGE: the port has more lanes than a module has.
 */
LB_API int lb_platform_asic_port_lanes(struct lb_platform *p, uint32_t asic_port, unsigned *port,
				       uint32_t *host_lane_mask);
/**
 * Start binding ASIC port asic_port to the module in its cage: choose the application whose
 * host interface runs the ASIC port's speed over its host lanes (lb_module_find_app) and, on
 * a coherent module, whose line mode's net rate is that speed (the first in AppSel order),
 * and start bringing those lanes up on it (lb_bringup_start; step it, free it with
 * lb_bringup_free). *appsel (may be NULL) receives the application chosen. Bus traffic: the
 * module's advertisement (read once per insertion) and, on a coherent module, the line mode
 * in force (lb_module_get_line_mode); when that is a vendor mode of another rate, it is left
 * first (lb_module_select_line_mode(m, lanes, ""), which waits for the module). Errors: those
 * of lb_platform_asic_port_lanes; LB_E_NODEV for an empty cage; LB_E_NOTFOUND when the module
 * has no application for the speed over those lanes, or (coherent) none whose line runs it
 * (the detail names the port, the speed and what the module offers: "asic port 0: port 1: no
 * application runs 800G on the line over host lanes 1-8: AppSel 1 (ID, 600G) has another line
 * rate"); the errors of lb_module_select_line_mode.
 */
LB_API int lb_platform_asic_port_bind_start(struct lb_platform *p, uint32_t asic_port,
					    const struct lb_op *op, uint8_t *appsel,
					    struct lb_bringup **out);
/**
 * Bind and wait: lb_platform_asic_port_bind_start, then step the bring-up to its end,
 * sleeping on the module's bus clock between steps. report (sized, may be NULL) receives the
 * bring-up's report. LB_OK when the port's host lanes are activated; the bring-up's status
 * otherwise (LB_E_TIMEOUT, LB_E_REJECTED, ...).
 */
LB_API int lb_platform_asic_port_bind(struct lb_platform *p, uint32_t asic_port,
				      const struct lb_op *op, struct lb_bringup_report *report);
/**
 * The ASIC port's state through the platform (sized): the ASIC's configuration and status,
 * then the module in the cage (state, the data path of the port's host lanes, the Rx LOS /
 * LOL flags of its media lanes, read through a consumer of its own: other consumers still
 * see them, flags.h). Those flags are clear-on-read and latch again while the condition
 * holds: when the first read shows one (it may have latched a while ago), a second read says
 * whether it holds now. Bus traffic: the module's lower page and page 11h (a second flag read
 * on a port whose link is down); on a coherent module whose link is otherwise up, the media
 * lanes' bytes of C-CMIS page 33h (read twice while the uncorrectable flag shows, as LOS).
 * LB_OK with the state
 * (a module that does not answer is a down reason, not an error); LB_E_NOTFOUND as
 * lb_platform_asic_port_lanes; the switch's status when the ASIC cannot be read.
 */
LB_API int lb_platform_asic_port_oper(struct lb_platform *p, uint32_t asic_port,
				      struct lb_port_oper *out);

LB_END_DECLS
#endif
