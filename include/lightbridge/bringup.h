/* SPDX-License-Identifier: MIT */
/*
 * Bring-up as a state machine a caller steps, in the shape NOS daemons drive their cages
 * (one task that services every cage: SONiC's CMIS manager, the kernel's sfp.c): start,
 * then step whenever the operation asked to be woken, until it ends. One thread can bring
 * up every cage of a switch; lb_module_bring_up is the blocking wrapper, and
 * lb_platform_bring_up brings a set of ports up concurrently.
 */
#ifndef LIGHTBRIDGE_BRINGUP_H
#define LIGHTBRIDGE_BRINGUP_H

#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/module.h>
#include <lightbridge/op.h>

LB_BEGIN_DECLS

struct lb_bringup;

/**
 * Start bringing lanes up on an application (see lb_module_bring_up for lane_mask and
 * appsel). No bus traffic yet: the first lb_bringup_step does the first step. op may be NULL
 * (LB_OP_INIT); it is copied. LB_E_INVAL for a bad argument or an op of unknown size.
 * Threads: the operation is used by one thread at a time, like its module; only
 * lb_bringup_cancel may be called from another thread.
 */
LB_API int lb_bringup_start(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			    const struct lb_op *op, struct lb_bringup **out);
/**
 * Start bringing a data-path configuration up (struct lb_dp_config, module.h): the
 * sequence of lb_module_bring_up, staging cfg where it stages an application. lb_bringup_start
 * is this with only lane_mask and appsel set. cfg is copied (the caller may free it); LB_E_INVAL
 * for a NULL cfg or one whose size is below LB_DP_CONFIG_SIZE_V1. What the advertisement
 * refuses ends the operation at its first step, before any write, as lb_module_apply_config
 * would refuse it (the code in the report). Lanes already up on the application with the
 * same DataPathIDs are left as they are, unless cfg sets explicit_control or a coherent
 * member (those are always staged and applied). As lb_module_apply_config, it waits out a
 * configuration still in progress on the lanes before its own ApplyDPInit, and checks the
 * active control set after ConfigSuccess (LB_E_STATE when it is not what was staged).
 */
LB_API int lb_bringup_start_config(struct lb_module *m, const struct lb_dp_config *cfg,
				   const struct lb_op *op, struct lb_bringup **out);
/**
 * Do what can be done now. Returns LB_E_AGAIN while the operation runs, with *wake_ns the
 * time (ns on the module's bus clock, lb_bus_now_ns) at which it next needs attention:
 * step again at or after it (stepping earlier is harmless). Returns LB_OK when every lane is
 * activated, or the status that ended it (LB_E_TIMEOUT, LB_E_REJECTED, LB_E_FAULT,
 * LB_E_CANCELED, a bus error, ...); further steps return the same status. wake_ns may be NULL.
 */
LB_API int lb_bringup_step(struct lb_bringup *b, uint64_t *wake_ns);
/** Ask the operation to stop at its next step (LB_E_CANCELED). Any thread. */
LB_API void lb_bringup_cancel(struct lb_bringup *b);
/** The step the operation is in ("plan", "power up", "deactivate", "apply", "activate", "done"). */
LB_API const char *lb_bringup_step_name(const struct lb_bringup *b);
/** What it cost so far (elapsed, deadline, reject code). out is sized (common.h). */
LB_API int lb_bringup_get_report(const struct lb_bringup *b, struct lb_bringup_report *out);
/** The lanes and application the operation settled on (valid once past "plan"). */
LB_API void lb_bringup_get_target(const struct lb_bringup *b, uint32_t *lane_mask,
				  uint8_t *appsel);
/**
 * The lanes of other data paths the operation takes down because they overlap the lanes it
 * brings up (bit i = lane i+1; valid once past "plan"; 0 for NULL). An application is never
 * brought up on part of a running data path: a data path that shares a lane with the target
 * goes down whole (DPDeinit on all its lanes), and its lanes outside the target are released
 * (AppSel 0, unused) in the same ApplyDPInit, so none of them comes up again on the old
 * configuration; they stay DPDeactivated with DPDeinit set. Lanes that share no data path with
 * the target are not touched, and no read is spent looking when the target holds every lane.
 */
LB_API uint32_t lb_bringup_released_lanes(const struct lb_bringup *b);
/** Free the operation (running or not; a running one is abandoned where it got to). NULL ok. */
LB_API void lb_bringup_free(struct lb_bringup *b);

LB_END_DECLS
#endif
