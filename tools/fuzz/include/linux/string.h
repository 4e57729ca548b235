/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: what validate.c needs of <linux/string.h> is in kshim.h. */
