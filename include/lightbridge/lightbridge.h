/* SPDX-License-Identifier: MIT */
/* Umbrella header: the whole public API of lightbridge. */
#ifndef LIGHTBRIDGE_H
#define LIGHTBRIDGE_H

#include <lightbridge/common.h>
#include <lightbridge/status.h>
#include <lightbridge/options.h>
#include <lightbridge/log.h>
#include <lightbridge/clock.h>
#include <lightbridge/i2c.h>
#include <lightbridge/driver.h>
#include <lightbridge/ctx.h>
#include <lightbridge/bus.h>
#include <lightbridge/module.h>
#include <lightbridge/flags.h>
#include <lightbridge/op.h>
#include <lightbridge/bringup.h>
#include <lightbridge/cdb.h>
#include <lightbridge/firmware.h>
#include <lightbridge/platform.h>
#include <lightbridge/asic.h>
#include <lightbridge/binding.h>
#include <lightbridge/voq.h>
#include <lightbridge/lossless.h>
#include <lightbridge/thresholds.h>
#include <lightbridge/buffer.h>
#include <lightbridge/hyperport.h>
#include <lightbridge/macsec.h>
#include <lightbridge/qos.h>
#include <lightbridge/congestion.h>
#include <lightbridge/sideband.h>
#include <lightbridge/optoe.h>
#include <lightbridge/emulator.h>
#include <lightbridge/link.h>
#include <lightbridge/coherent.h>

#define LB_VERSION_STRING "0.1.0"

#endif
