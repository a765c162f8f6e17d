import type { Source } from "./bilingual.ts";

export type ErrnoInfo = { readonly number: number; readonly message: string };

export const ERRNO_SOURCES: readonly Source[] = [
  {
    label: "include/uapi/asm-generic/errno-base.h (1–34), v6.1",
    url: "https://github.com/torvalds/linux/blob/v6.1/include/uapi/asm-generic/errno-base.h",
  },
  {
    label: "include/uapi/asm-generic/errno.h (35+), v6.1",
    url: "https://github.com/torvalds/linux/blob/v6.1/include/uapi/asm-generic/errno.h",
  },
  {
    label: "messages: glibc 2.36 strerror() (Debian 12), read with os.strerror",
    url: "https://sourceware.org/git/?p=glibc.git;a=blob;f=sysdeps/gnu/errlist.h",
  },
];

/** Linux numbers (x86/generic; alpha, mips, parisc, sparc differ) and glibc strerror texts. Kernel APIs return them negated. */
export const ERRNO = {
  EPERM: { number: 1, message: "Operation not permitted" },
  ENOENT: { number: 2, message: "No such file or directory" },
  EINTR: { number: 4, message: "Interrupted system call" },
  EAGAIN: { number: 11, message: "Resource temporarily unavailable" },
  ENOMEM: { number: 12, message: "Cannot allocate memory" },
  EBUSY: { number: 16, message: "Device or resource busy" },
  EEXIST: { number: 17, message: "File exists" },
  EINVAL: { number: 22, message: "Invalid argument" },
  EPIPE: { number: 32, message: "Broken pipe" },
  EADDRINUSE: { number: 98, message: "Address already in use" },
  EADDRNOTAVAIL: { number: 99, message: "Cannot assign requested address" },
  ENETUNREACH: { number: 101, message: "Network is unreachable" },
  ECONNABORTED: { number: 103, message: "Software caused connection abort" },
  ECONNRESET: { number: 104, message: "Connection reset by peer" },
  ENOTCONN: { number: 107, message: "Transport endpoint is not connected" },
  ETIMEDOUT: { number: 110, message: "Connection timed out" },
  ECONNREFUSED: { number: 111, message: "Connection refused" },
  EHOSTUNREACH: { number: 113, message: "No route to host" },
  EINPROGRESS: { number: 115, message: "Operation now in progress" },
} as const satisfies Record<string, ErrnoInfo>;
export type ErrnoName = keyof typeof ERRNO;
