/* SPDX-License-Identifier: MIT */
/*
 * What the cp2112 bus driver shares with its companion, the cp2112 sideband driver on the
 * bridge's GPIO pins: one USB device handle (one claim of the HID interface) and the lock
 * that serialises every USB request on it, SMBus transfers and GPIO feature reports alike.
 */
#ifndef LB_DRIVERS_BUS_CP2112_USB_H
#define LB_DRIVERS_BUS_CP2112_USB_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/driver.h>

struct cp2112_bus;

extern const struct lb_driver lb_bus_driver_cp2112;

/** The cp2112 instance behind an opened bus; NULL when the bus runs another driver. */
struct cp2112_bus *cp2112_bus_of(struct lb_bus *bus);
/** "usb 1-2 serial X" and the bus name, for logs. */
const char *cp2112_bus_where(const struct cp2112_bus *b);
const char *cp2112_bus_name(const struct cp2112_bus *b);

/** Hold the device for a sequence of feature requests (nests with no other lock). */
void cp2112_bus_lock(struct cp2112_bus *b);
void cp2112_bus_unlock(struct cp2112_bus *b);
/* With the lock held; LB_E_NODEV once the bridge is unplugged. */
/** GET_REPORT (feature) id into buf (buf[0] = id): the length got, or a status. */
int cp2112_bus_get_feature(struct cp2112_bus *b, uint8_t id, uint8_t *buf, size_t len);
/** SET_REPORT (feature) of buf (buf[0] = id). LB_OK or a status. */
int cp2112_bus_set_feature(struct cp2112_bus *b, const uint8_t *buf, size_t len);

#endif
